"""The load balancer exercise's probes that its data cannot say: the round robin
seen through lb-01 (task 1) and the manifest's parse (task 2). Each takes the
engine's Context (labtools/exercise/engine.py) and the check's values."""
from __future__ import annotations

import re
import shlex

from labtools.exercise import probes
from labtools.exercise.engine import Context, find_file

REQUESTS = 6   # through the load balancer, one after the other


def _served(ctx: Context) -> list[list[str]]:
    """REQUESTS requests to the load balancer's port 80, one after the other:
    [status, X-Served-By or "-"] each (status 0: no answer)."""
    out = ctx.run(f"for i in $(seq {REQUESTS}); do curl -s -o /dev/null -D - --max-time 5 http://127.0.0.1/ "
                  "| tr -d '\\r' | awk 'NR == 1 {s = $2} tolower($1) == \"x-served-by:\" {h = $2} END {print (s ? s : 0), (h ? h : \"-\")}'; done",
                  timeout=60).out.split("\n")
    return [line.split() for line in out if line.strip()]


def round_robin(ctx: Context, values: dict) -> dict:
    """Requests to the load balancer's port 80 one after the other: each answered,
    each by a web server (X-Served-By), every web server among them. Strictly in
    turn is `in_turn`'s (a note: two HAProxys sharing port 80, say one started by
    hand beside the service's, each keep their own turn, and the school's checker
    sees both servers answer)."""
    webs = sorted(m["name"] for m in values["lab_machines"] if "web" in m["roles"])
    answers = _served(ctx)
    statuses = [a[0] for a in answers]
    served = [a[1] for a in answers]
    if not answers or all(s == "0" for s in statuses):
        on_disk = ctx.run("haproxy -c -q -f /etc/haproxy/haproxy.cfg && grep -Eq '^[[:space:]]*bind[[:space:]]+[^[:space:]]*:80\\b' "
                          "/etc/haproxy/haproxy.cfg", timeout=20).rc == 0
        if on_disk:
            return {"verdict": "fail", "cause": f"nothing answers on {ctx.target.name}'s port 80, though the configuration on "
                                                "disk binds it: the running HAProxy never loaded it (service haproxy restart; "
                                                "start does nothing when it runs already, as it does from its install on)"}
        return {"verdict": "fail", "cause": f"nothing answers on {ctx.target.name}'s port 80: HAProxy has no frontend "
                                            "bound to *:80, or did not load its configuration (haproxy -c -f /etc/haproxy/haproxy.cfg)"}
    if any(s != "200" for s in statuses):
        bad = sorted(set(s for s in statuses if s != "200"))
        why = ("no web server is up in its backend (server lines: the web servers' addresses and port 80)"
               if "503" in bad else "see journalctl -u haproxy")
        return {"verdict": "fail", "cause": f"{ctx.target.name} answers HTTP {', '.join(bad)}: {why}"}
    if "-" in served:
        return {"verdict": "fail", "cause": "answers through the load balancer carry no X-Served-By: the web servers "
                                            "do not send it (task 0 on both), or HAProxy sends elsewhere"}
    unknown = sorted(set(served) - set(webs))
    if unknown:
        return {"verdict": "fail", "cause": f"X-Served-By {', '.join(unknown)} is not one of the web servers {', '.join(webs)}"}
    if len(set(served)) < len(webs):
        return {"verdict": "fail", "cause": f"every request went to {served[0]}: round robin sends them to "
                                            f"{' and '.join(webs)} in turn (balance roundrobin, a server line for each)"}
    return {"verdict": "ok"}


def in_turn(ctx: Context, values: dict) -> dict:
    """The web servers answer strictly in turn (one HAProxy, balance roundrobin)."""
    served = [a[1] for a in _served(ctx)]
    if any(a == b for a, b in zip(served, served[1:])):
        listeners = ctx.run("pgrep -c -x haproxy", timeout=10).out.strip()
        return {"verdict": "fail", "cause": f"the web servers answer {' '.join(served)}, not strictly in turn "
                                            f"({listeners or '?'} haproxy processes: one started by hand beside the "
                                            "service's shares port 80 and keeps its own turn)"}
    return {"verdict": "ok"}


def manifest_parses(ctx: Context, values: dict) -> dict:
    """The manifest is where the student keeps it, and Puppet's parser takes it."""
    name = "2-puppet_custom_http_response_header.pp"
    place = find_file(ctx, name)
    if not place:
        return {"verdict": "fail", "cause": f"{name} is not in {values['home']} on {ctx.target.name}"}
    if ctx.run("command -v puppet", timeout=10).rc != 0:
        return {"verdict": "fail", "cause": f"Puppet is not installed on {ctx.target.name} (make practice EXERCISE=0x0F installs it)"}
    done = ctx.run(f"puppet parser validate {shlex.quote(place)} 2>&1", timeout=120)
    if done.rc != 0:
        said = re.sub(r"\x1b\[[0-9;]*m", "", (done.out.strip().splitlines() or ["?"])[-1])
        return {"verdict": "fail", "cause": probes.one_line(f"puppet parser validate refuses {name}: {said}", 300)}
    return {"verdict": "ok"}
