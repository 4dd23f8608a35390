"""Web stack debugging #1's probes: the broken state, port 80 as the student sees
it (and why not, when it is not), the fix surviving a restart, and task 1's
rules. Each takes the engine's Context and the check's values."""
from __future__ import annotations

import re
import shlex

from labtools.exercise import probes
from labtools.exercise.engine import Context, find_file


def _nginx_ports(ctx: Context) -> list[str]:
    """The ports Nginx listens on (TCP, IPv4 and IPv6 alike)."""
    out = ctx.run("ss -Hltnp | grep '\"nginx\"'", timeout=10).out
    return sorted({line.split()[3].rsplit(":", 1)[1] for line in out.splitlines() if len(line.split()) > 3},
                  key=lambda p: int(p) if p.isdigit() else 0)


def _enabled_site(ctx: Context) -> str:
    """What /etc/nginx/sites-enabled/default is: a link to where, or a file of its own."""
    out = ctx.run("f=/etc/nginx/sites-enabled/default; if [ -L $f ]; then echo link $(readlink -f $f); "
                  "elif [ -e $f ]; then echo file; else echo none; fi", timeout=10).out.split()
    return " ".join(out)


def broken_state(ctx: Context, values: dict) -> dict:
    """Nginx runs, and nothing serves port 80: the exercise's start."""
    if probes.unit(ctx.target, "nginx.service").get("ActiveState") != "active":
        return {"verdict": "fail", "cause": "Nginx is not running: make practice EXERCISE=0x0E breaks the server as the exercise begins"}
    if "80" in _nginx_ports(ctx):
        return {"verdict": "fail", "cause": "Nginx already serves port 80: make practice EXERCISE=0x0E breaks the server again"}
    return {"verdict": "ok"}


def port_80(ctx: Context, values: dict) -> dict:
    """What `curl 127.0.0.1` (and the server's address) gives on port 80: Nginx's
    page, else what a student would see, and why."""
    for where in ("127.0.0.1", values["address"]):
        answer = probes.http(ctx.target, f"http://{where}/")
        if answer["status"] == 200 and answer["headers"].get("server", "").startswith("nginx"):
            continue
        if answer["status"]:
            return {"verdict": "fail", "cause": f"port 80 of {where} answers HTTP {answer['status']} "
                                                f"(Server: {answer['headers'].get('server', '?')}), not Nginx's page"}
        ports = _nginx_ports(ctx)
        state = probes.unit(ctx.target, "nginx.service")
        site = _enabled_site(ctx)
        if state.get("ActiveState") != "active" and not ports:
            said = ctx.run("journalctl -u nginx -n 5 --no-pager -o cat 2>/dev/null | grep -iE 'emerg|error|fail' | tail -n 1",
                           timeout=10).out.strip()
            return {"verdict": "fail", "cause": f"nothing answers on port 80 of {where} (connection refused): Nginx is not "
                                                f"running ({state.get('SubState')}){': ' + said if said else ''}"}
        why = ""
        if site == "file":
            why = (" - /etc/nginx/sites-enabled/default is a file of its own, not a link to sites-available/default: "
                   "what Nginx runs is not the site available")
        elif site.startswith("link"):
            listens = ctx.run(f"grep -hE '^[[:space:]]*listen' {shlex.quote(site.split()[1])} | head -n 2", timeout=10).out.split("\n")[0].strip()
            why = f" - the enabled site says `{listens}`" if listens else ""
        return {"verdict": "fail", "cause": f"nothing answers on port 80 of {where} (connection refused): Nginx listens on "
                                            f"{', '.join(ports) or 'no port'}{why}"}
    return {"verdict": "ok"}


def survives_restart(ctx: Context, values: dict) -> dict:
    """Nginx is its service (systemd knows the master that serves port 80), and
    serves port 80 again after `systemctl restart nginx`: the fix is in its files."""
    state = probes.unit(ctx.target, "nginx.service")
    if state.get("ActiveState") != "active":
        return {"verdict": "fail", "cause": f"port 80 answers, but nginx.service is {state.get('ActiveState')}: "
                                            "the Nginx serving it was started by hand (or its master killed); "
                                            "service nginx restart runs it as the service"}
    ctx.run("systemctl restart nginx", timeout=60)
    after = probes.http(ctx.target, "http://127.0.0.1/")
    if after["status"] != 200:
        return {"verdict": "fail", "cause": "after systemctl restart nginx, port 80 no longer answers: the fix is not in "
                                            f"Nginx's files ({after['error'] or after['status']})"}
    return {"verdict": "ok"}


def short_script(ctx: Context, values: dict) -> dict:
    """Task 1's rules, read from the script where the student keeps it."""
    name = "1-debugging_made_short"
    place = find_file(ctx, name)
    if not place:
        return {"verdict": "fail", "cause": f"{name} is not in {values['home']} on {ctx.target.name}"}
    text = ctx.run(f"cat {shlex.quote(place)}", timeout=10).out
    lines = text.split("\n")
    count = len(lines) - 1 if text.endswith("\n") else len(lines)
    if count > 5:
        return {"verdict": "fail", "cause": f"{name} has {count} lines: at most 5"}
    if not text.endswith("\n"):
        return {"verdict": "fail", "cause": f"{name} does not end with a newline"}
    code = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    for forbidden, said in ((";", "`;`"), ("&&", "`&&`"), ("wget", "wget")):
        if forbidden in code:
            return {"verdict": "fail", "cause": f"{name} uses {said}, which the task forbids"}
    if re.search(values["task0_script"], text):
        return {"verdict": "fail", "cause": f"{name} names {values['task0_script']}: the task forbids running the previous answer"}
    return {"verdict": "ok"}
