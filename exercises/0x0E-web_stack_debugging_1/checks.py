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


def _service_said(ctx: Context, state: dict) -> str:
    """Why nginx.service failed, from its last invocation's own lines (none
    when it did not fail: it was stopped, or never started)."""
    if state.get("ActiveState") != "failed":
        return ""
    line = ctx.run("id=$(systemctl show -p InvocationID --value nginx); [ -n \"$id\" ] && journalctl "
                   "_SYSTEMD_INVOCATION_ID=$id --no-pager -o cat 2>/dev/null | grep -m 1 -E 'bind\\(\\) to|emerg|Failed with'",
                   timeout=10).out.strip()
    # Nginx's words alone: not its time stamp and PID, nor which of its runs said them.
    return re.sub(r"^.*?\[emerg\] (?:\d+#\d+: )?", "", line)


def broken_state(ctx: Context, values: dict) -> dict:
    """Nginx runs, and nothing serves port 80: the exercise's start."""
    ports = _nginx_ports(ctx)
    if not ports:
        return {"verdict": "fail", "cause": "Nginx is not running: make practice EXERCISE=0x0E breaks the server as the exercise begins"}
    if "80" in ports:
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
            said = _service_said(ctx, state)
            return {"verdict": "fail", "cause": f"nothing answers on port 80 of {where} (connection refused): Nginx is not "
                                                f"running ({state.get('SubState')}){': ' + said if said else ''}"}
        why = ""
        if site == "file":
            why = (" - /etc/nginx/sites-enabled/default is a file of its own, not a link to sites-available/default: "
                   "what Nginx runs is not the site available")
        elif site.startswith("link"):
            listens = ctx.run(f"grep -hE '^[[:space:]]*listen' {shlex.quote(site.split()[1])} | head -n 2", timeout=10).out.split("\n")[0].strip()
            why = f" - the enabled site says `{listens}`" if listens else ""
        service = ""
        if state.get("ActiveState") != "active":
            said = _service_said(ctx, state)
            service = f" (a master outside nginx.service; the service is {state.get('ActiveState')}{': ' + said if said else ''})"
        return {"verdict": "fail", "cause": f"nothing answers on port 80 of {where} (connection refused): Nginx listens on "
                                            f"{', '.join(ports) or 'no port'}{service}{why}"}
    return {"verdict": "ok"}


def survives_restart(ctx: Context, values: dict) -> dict:
    """Nginx serving port 80 is its service, on the files as they are: systemd
    knows the master that serves it, and Nginx's configuration on disk listens
    on 80. Only looks (a learner's later task may hang on the running master)."""
    state = probes.unit(ctx.target, "nginx.service")
    if state.get("ActiveState") != "active":
        return {"verdict": "fail", "cause": f"port 80 answers, but nginx.service is {state.get('ActiveState')}: "
                                            "the Nginx serving it runs outside its service (started by hand, or a "
                                            "master the init system does not know); after a reboot port 80 is gone"}
    main = state.get("MainPID", "0")
    listeners = probes.port(ctx.target, 80).get("pids", [])
    parents = ctx.run(f"ps -o ppid= -p {','.join(map(str, listeners)) or '0'} 2>/dev/null", timeout=10).out.split()
    if main not in {*map(str, listeners), *parents}:
        return {"verdict": "fail", "cause": f"port 80 is served by an Nginx master that is not nginx.service's "
                                            f"(PID {main}): systemctl restart nginx would not take it"}
    on_disk = ctx.run("nginx -T 2>/dev/null | grep -cE '^[[:space:]]*listen[[:space:]]+(\\[::\\]:)?80([[:space:];])'",
                      timeout=20).out.strip()
    if on_disk in ("", "0"):
        return {"verdict": "fail", "cause": "Nginx's files on disk no longer listen on port 80: a restart would lose it"}
    return {"verdict": "ok"}


def init_not_running(ctx: Context, values: dict) -> dict:
    """What the exercise container's `service nginx status` says: its init script
    goes by /run/nginx.pid (a live process named there: running)."""
    said = ctx.run("pid=$(cat /run/nginx.pid 2>/dev/null || true); "
                   "if [ -n \"$pid\" ] && kill -0 \"$pid\" 2>/dev/null; then echo \"running $pid\"; else echo stopped; fi",
                   timeout=10).out.split()
    if said and said[0] == "running":
        return {"verdict": "fail", "cause": f"`service nginx status` would say nginx is running: /run/nginx.pid names "
                                            f"the live master (PID {said[1]}); the task wants init to say it is not running "
                                            "while port 80 answers (the exercise's init goes by that pid file)"}
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
