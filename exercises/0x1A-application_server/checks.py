"""The application-server exercise's probes that its data cannot say: the checker's
own Gunicorn (task 1), the page's assets (task 5), gunicorn.service and why it does
not run (task 6), and the reload under a client's requests (task 7). Each takes
the engine's Context (labtools/exercise/engine.py) and the check's values, and
returns an observation the check's `expect:` reads."""
from __future__ import annotations

import re
import shlex
import time

from labtools.exercise import probes
from labtools.exercise.engine import Context, SetupFailed, find_file, gateway_cause

STAND_IN = "practice-{app}.service"     # the practice server's Gunicorns (provision/practice.sh)


def _wait(check, timeout: float, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


# --- task 1 -----------------------------------------------------------------------------

def checker_gunicorn(ctx: Context, values: dict) -> dict:
    """What the checker does: its own Gunicorn of the hello app on the reserved port,
    started from the clone as the student's user; what /airbnb-onepage/ answered."""
    port, app = values["reserved_ports"][0], values["apps"]["hello"]
    inner = (f"{values['gunicorn']} --bind 127.0.0.1:{port} --workers 1 {app['module']} >/tmp/checker-gunicorn.log 2>&1 & pid=$!; "
             f"for i in $(seq 100); do curl -s 127.0.0.1:{port}{values['hello_path']} && break; sleep 0.1; done; "
             # TERM, then KILL if it is still there after 5 s: the port must be free after.
             "kill $pid; for i in $(seq 50); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done; "
             "kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null; true")
    # `cd ... || exit;` rather than `&&`: with `&&`, `&` would put the cd and the
    # Gunicorn in one background subshell, and $! would be that subshell's pid.
    done = ctx.run(f"cd {shlex.quote(values['app_dir'])} || exit 1; {inner}", user=values["user"], timeout=60)
    error = ctx.run("tail -n 1 /tmp/checker-gunicorn.log 2>/dev/null", timeout=10).out.strip()
    return {"answer": done.out, "error": probes.one_line(error or done.err or "no answer", 160)}


# --- task 5 -----------------------------------------------------------------------------

# The lab's own additions to the page: jQuery served from the clone (the
# curriculum's page loads it from a public CDN, which the lab cannot reach).
LAB_EXTRAS = "/static/vendor/"


def page_assets(ctx: Context, values: dict) -> dict:
    """Every /static/ file the page references, through Nginx: those that do not
    load. The lab's extras are noted apart: a correct site on the school's server
    never meets them."""
    page = probes.http(ctx.target, "http://127.0.0.1/")
    if page["status"] != 200:
        return {"failed": ["/"], "first_failed": gateway_cause(ctx, page, values["apps"]["hbnb"])}
    assets = sorted(set(re.findall(r'(?:href|src)="(/static/[^"?]+)', page["body"])))
    if not assets:
        return {"failed": ["none"], "first_failed": "/ references no /static/ file"}
    failed, causes = [], []
    for asset in assets:
        got = probes.http(ctx.target, f"http://127.0.0.1{asset}")
        if got["status"] == 200:
            continue
        cause = f"{asset}: {gateway_cause(ctx, got, values['apps']['hbnb'])}"
        if asset.startswith(LAB_EXTRAS):
            ctx.notes.append(f"{cause} - a file the lab adds (the school's page takes jQuery from a CDN): "
                             "here the page's script cannot run")
            continue
        failed.append(asset)
        causes.append(cause)
    return {"failed": failed, "first_failed": causes[0] if causes else ""}


# --- task 6 -----------------------------------------------------------------------------

# systemd's own lines about a unit's life: they say that it failed, not why.
GENERIC = re.compile(r"^(?:Started|Stopped|Starting|Stopping|Failed to start|Deactivated|Consumed|Scheduled restart|"
                     r"\S+\.service: (?:Main process exited|Failed with result|Control process exited|"
                     r"Scheduled restart|Consumed|Deactivated))")
# What says most about a failure, first: Python's and the tools' own words.
STRONGEST = re.compile(r"No module named|ModuleNotFoundError|ImportError|isn't writable|Permission denied|"
                       r"No such file|not found|Failed to locate|Failed at step|Invalid|Unknown|"
                       r"Error: |error: |not absolute|usage:", re.I)
TELLING = re.compile(r"(?i)error|failed|invalid|not found|no such|denied|unknown|cannot|can't|bad|usage|"
                     r"missing|not absolute|no module|refus|isn't writable|exception")


def _unit_text(ctx: Context, values: dict) -> str:
    unit = values["unit"]
    place = find_file(ctx, unit)
    if not place:
        raise LookupError(f"{unit} is not in {ctx.render(ctx.pack.files[unit].place).rsplit('/', 1)[0]}/ on "
                          f"{ctx.target.name}: write it there, then systemctl daemon-reload and enable it")
    return ctx.run(f"cat {shlex.quote(place)}", timeout=10).out


def _output_of_unit(ctx: Context, values: dict, text: str) -> list[str]:
    """What the unit's processes said: the journal, the files its StandardOutput=/
    StandardError= append to, and Gunicorn's error log."""
    files = re.findall(r"^\s*Standard(?:Output|Error)\s*=\s*(?:append|file|truncate):(\S+)", text, re.M)
    files += re.findall(r"--error-logfile[= ](\S+)", text) or [values["error_log"]]
    quoted = " ".join(shlex.quote(f) for f in dict.fromkeys(files))
    out = ctx.run(f"journalctl -b -u {values['unit']} -n 30 --no-pager -o cat 2>/dev/null; "
                  f"for f in {quoted}; do tail -n 30 \"$f\" 2>/dev/null; done", timeout=10).out
    return [line.strip() for line in out.splitlines() if line.strip() and not GENERIC.match(line.strip())]


def _failed_command(ctx: Context, values: dict) -> str:
    """The unit's command that failed, as systemd recorded it: 'ExecStartPre=/bin/mkdir ... (status 1)'."""
    out = ctx.run(f"systemctl show {values['unit']} --property ExecStartPre,ExecStart", timeout=10).out
    for line in out.splitlines():
        key, _, value = line.partition("=")
        for command in re.findall(r"\{(.*?)\}", value):
            argv = re.search(r"argv\[\]=(.*?) ;", command)
            status = re.search(r"code=(\w+) ; status=([\w/]+)", command)
            if argv and status and status.group(2) not in ("0", "0/SUCCESS"):
                return f"{key}={probes.one_line(argv.group(1), 50)} {status.group(1)} with status {status.group(2)}"
    return ""


def _shell_syntax(text: str) -> str:
    """A note when ExecStart= has shell syntax, which systemd passes on as arguments."""
    exec_start = " ".join(re.findall(r"^\s*ExecStart\s*=(.*(?:\\\n.*)*)", text, re.M))
    found = re.search(r"\s(>>?|2>>?|&>|&&|\||;|&)(?=\s|/|$)|\$\(|`", exec_start)
    return (f"; ExecStart= is not run by a shell: {found.group(0).strip()!r} goes to Gunicorn as an argument"
            if found else "")


def _known_cause(text: str, output: list[str]) -> str:
    """What a failure's message means, for the mistakes students are known to make."""
    said = " ".join(output)
    module = re.search(r"No module named '([^']*/[^']*)'", said)
    if module:
        return f"; the app is a Python module, written with dots: {module.group(1).replace('/', '.')}:app, not a path"
    for path in re.findall(r"^\s*Standard(?:Output|Error)\s*=\s*(?:append|file):(\S+)", text, re.M):
        if re.search(rf"--(?:error|access)-logfile[= ]{re.escape(path)}(?:\s|$)", text):
            return (f"; StandardError/StandardOutput=append:{path} and Gunicorn's own log option name the same "
                    f"file: systemd creates it as root first, and Gunicorn (User=) cannot write it")
    return ""


def _at_boot(ctx: Context, values: dict, text: str, state: dict) -> str:
    """'' when the unit starts at boot (enabled for a target the machine reaches at
    boot: one active now), else why not. What the checker's reboot would show."""
    unit = values["unit"]
    wanted = [w.strip() for line in re.findall(r"^\s*(?:WantedBy|RequiredBy)\s*=\s*(.+)$", text, re.M)
              for w in line.split()]
    if not re.search(r"^\s*\[Install\]", text, re.M):
        return f"{unit} does not start at boot: it has no [Install] section, so systemctl enable cannot start it at boot"
    if not wanted:
        return f"{unit} does not start at boot: its [Install] section wants it by no target (WantedBy=multi-user.target)"
    reached = ctx.run("systemctl is-active " + " ".join(shlex.quote(w) for w in wanted) + " 2>/dev/null", timeout=10).out.split()
    if "active" not in reached:
        return (f"{unit} does not start at boot: WantedBy={' '.join(wanted)} is not a target that is reached at boot "
                "(WantedBy=multi-user.target)")
    if state.get("UnitFileState") != "enabled":
        return f"{unit} does not start at boot: it is {state.get('UnitFileState') or 'not enabled'} (sudo systemctl enable {unit})"
    return ""


def _why_not_running(ctx: Context, values: dict, text: str, state: dict) -> str:
    unit = values["unit"]
    # A unit caught between its start and its exit (just booted, just started)
    # is described once it has settled: what make check and the grader see alike.
    if state.get("SubState") in ("running", "start", "start-pre", "start-post") or state.get("ActiveState") == "activating":
        settled = _wait(lambda: (lambda now: now if now.get("ActiveState") in ("failed", "inactive")
                                 or now.get("SubState") == "auto-restart" else None)(probes.unit(ctx.target, unit)), 5)
        state = settled or state
    output = _output_of_unit(ctx, values, text)
    telling = ([line for line in output if STRONGEST.search(line)]
               or [line for line in output if TELLING.search(line)] or output)
    command = _failed_command(ctx, values)
    detail = (telling or ["no message (journalctl -u " + unit + ")"])[-1]
    meaning = _known_cause(text, telling) + _shell_syntax(text)
    # A unit caught between its master's start and exit is "running" or "auto-restart".
    how = {"running": "it exits as it starts", "auto-restart": "it exits; systemd restarts it"}.get(
        state.get("SubState", ""), state.get("SubState") or state.get("ActiveState"))
    return probes.one_line(f"{unit} does not run ({how}): {meaning.lstrip('; ') + ' - ' if meaning else ''}"
                           f"{detail}{' (' + command + ')' if command else ''}", 400)


def _master_on(ctx: Context, port: int) -> int:
    """The Gunicorn master serving ``port``: the listener whose parent does not listen too."""
    pids = probes.port(ctx.target, port)["pids"]
    for pid in pids:
        parent = ctx.run(f"ps -o ppid= -p {pid}", timeout=10).out.strip()
        if parent and int(parent) not in pids:
            return pid
    return 0


def _master_and_workers_once_replaced(ctx: Context, port: int, old: set[int], wanted: int,
                                      timeout: float) -> tuple[int, set[int]]:
    """The master of ``port`` and its workers, once none of ``old`` is among them
    and they are ``wanted``, or as they are after ``timeout`` seconds."""
    script = (
        f"old=' {' '.join(map(str, sorted(old)))} '; end=$((SECONDS + {int(timeout)})); while :; do "
        f"pids=$(ss -Hltnp 'sport = :{int(port)}' | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u | tr '\\n' ' '); "
        "master=0; for p in $pids; do pp=$(ps -o ppid= -p $p | tr -d ' '); "
        "case \" $pids \" in *\" $pp \"*) ;; *) master=$p; break ;; esac; done; "
        "workers=$([ $master != 0 ] && pgrep -P $master | tr '\\n' ' '); "
        "count=0; stale=; for w in $workers; do count=$((count + 1)); case \"$old\" in *\" $w \"*) stale=1 ;; esac; done; "
        f"if [ $master != 0 ] && [ -z \"$stale\" ] && [ $count = {int(wanted)} ] || [ $SECONDS -ge $end ]; then "
        "echo $master $workers; exit 0; fi; sleep 0.1; done")
    words = ctx.run(script, timeout=timeout + 20).out.split()
    return (int(words[0]), {int(w) for w in words[1:]}) if words else (0, set())


def _workers(ctx: Context, master: int) -> set[int]:
    return {int(pid) for pid in ctx.run(f"pgrep -P {master}", timeout=10).out.split()}


def unit_state(ctx: Context, values: dict) -> dict:
    """gunicorn.service is a unit systemd loads, starts at boot and runs."""
    unit = values["unit"]
    try:
        text = _unit_text(ctx, values)
    except LookupError as missing:
        return {"verdict": "fail", "cause": str(missing)}
    if not re.search(r"^\s*\[Service\]", text, re.M):
        return {"verdict": "fail", "cause": f"{unit} is not a systemd unit: it has no [Service] section "
                                            "(an Upstart job's `start on`/`exec` lines mean nothing to systemd)"}
    state = probes.unit(ctx.target, unit)
    if state.get("LoadState") not in ("loaded", None):
        telling = [line for line in _output_of_unit(ctx, values, text) if TELLING.search(line)] or ["?"]
        return {"verdict": "fail", "cause": f"systemd cannot load {unit} ({state.get('LoadState')}): {telling[-1]}"}
    not_at_boot = _at_boot(ctx, values, text, state)
    if not_at_boot:
        return {"verdict": "fail", "cause": not_at_boot}
    if state.get("ActiveState") != "active":
        return {"verdict": "fail", "cause": _why_not_running(ctx, values, text, state)}
    return {"verdict": "ok"}


def unit_workers(ctx: Context, values: dict) -> dict:
    """Its master listens on 0.0.0.0:<port> with the task's workers. Gunicorn's own
    words about a known mistake outrank what is seen: a master binds the port, then
    exits when no worker boots (an app it cannot import)."""
    unit, page = values["unit"], values["apps"]["hbnb"]
    port, wanted = page["port"], page["workers"]
    try:
        text = _unit_text(ctx, values)
    except LookupError as missing:
        return {"verdict": "fail", "cause": str(missing)}

    def explained() -> dict | None:
        if _known_cause(text, _output_of_unit(ctx, values, text)):
            return {"verdict": "fail", "cause": _why_not_running(ctx, values, text, probes.unit(ctx.target, unit))}
        return None

    master = _wait(lambda: _master_on(ctx, port), timeout=10)
    listening = probes.port(ctx.target, port)
    if not listening["listening"] and (found := explained()):
        return found
    if not master:
        state = probes.unit(ctx.target, unit)
        if state.get("ActiveState") != "active":
            return {"verdict": "fail", "cause": _why_not_running(ctx, values, text, state)}
        return {"verdict": "fail", "cause": f"{unit} runs, but nothing listens on port {port} (--bind 0.0.0.0:{port})"}
    if not any(a in ("0.0.0.0", "*") for a in listening["address_list"]):
        return {"verdict": "fail", "cause": f"{unit} listens on {listening['addresses']}, not 0.0.0.0:{port} (--bind 0.0.0.0:{port})"}
    main = int(probes.unit(ctx.target, unit).get("MainPID") or 0)
    if main and main != master and master not in _workers(ctx, main):
        return {"verdict": "fail", "cause": f"port {port} is served by a Gunicorn (PID {master}) that is not {unit}'s "
                                            f"(its main process is {main}): stop the one started by hand"}
    # The workers boot just after the master binds the port.
    count = 0
    for _ in range(25):
        count = len(_workers(ctx, master))
        if count == wanted:
            break
        time.sleep(0.2)
    if count != wanted:
        if found := explained():
            return found
        return {"verdict": "fail", "cause": f"{unit} runs {count} workers, the task says {wanted} (--workers {wanted})"}
    return {"verdict": "ok"}


def unit_logs(ctx: Context, values: dict) -> dict:
    """Both log files exist (in the real /tmp), the access log grows with requests,
    the error log has Gunicorn's start-up lines."""
    unit, error_log, access_log = values["unit"], values["error_log"], values["access_log"]
    try:
        text = _unit_text(ctx, values)
    except LookupError as missing:
        return {"verdict": "fail", "cause": str(missing)}
    private = probes.unit(ctx.target, unit).get("PrivateTmp") == "yes"
    for log in (error_log, access_log):
        if not probes.file(ctx.target, log)["exists"]:
            hint = ("PrivateTmp=true puts them in a private /tmp" if private
                    else f"--error-logfile {error_log} --access-logfile {access_log}")
            return {"verdict": "fail", "cause": f"{log} does not exist ({hint}){_shell_syntax(text)}"}
    before = probes.file(ctx.target, access_log)["size"]
    probes.http(ctx.target, f"http://127.0.0.1:{values['apps']['hbnb']['port']}{values['page_route']}")
    if not _wait(lambda: probes.file(ctx.target, access_log)["size"] > before, timeout=4, interval=0.1):
        through = (" (StandardOutput= gets no access log: Gunicorn writes it only with --access-logfile)"
                   if re.search(r"^\s*StandardOutput\s*=.*airbnb-access", text, re.M) else "")
        return {"verdict": "fail", "cause": f"{access_log} does not grow with requests{through}: --access-logfile {access_log}"}
    if probes.file(ctx.target, error_log)["size"] == 0:
        return {"verdict": "fail", "cause": f"{error_log} is empty: Gunicorn's start-up lines belong there (--error-logfile {error_log})"}
    return {"verdict": "ok"}


# --- task 7 -----------------------------------------------------------------------------

def _page_answers(ctx: Context, values: dict, timeout: float = 10) -> bool:
    url = f"http://127.0.0.1:{values['apps']['hbnb']['port']}{values['page_route']}"
    return ctx.run(f"for i in $(seq {int(timeout * 5)}); do [ \"$(curl -s -o /dev/null -w '%{{http_code}}' --max-time 5 {url})\" = 200 ] "
                   "&& exit 0; sleep 0.2; done; exit 1", timeout=timeout + 20).rc == 0


def _serves_port(ctx: Context, main: str | int, master: int) -> bool:
    """Whether ``master`` (the port's Gunicorn master) is the unit's main process
    or its child (a unit whose ExecStart is a shell around Gunicorn)."""
    if not master or not str(main).isdigit() or int(main) == 0:
        return False
    if int(main) == master:
        return True
    return ctx.run(f"ps -o ppid= -p {master}", timeout=10).out.strip() == str(main)


def unit_for_reload(ctx: Context):
    """The unit the script reloads: the student's, started if it is not running;
    when it cannot serve the page, a working one in its place (the practice
    server's stand-in, with the exercise's logs), said in a note and undone after."""
    values = ctx.values
    unit, page = values["unit"], values["apps"]["hbnb"]
    state = probes.unit(ctx.target, unit)
    if state.get("ActiveState") != "active":
        ctx.run(f"systemctl start {unit}", timeout=60)
    # The student's unit serves the page itself: not a Gunicorn started by hand
    # holding the port while the unit's own retries to bind it.
    now = probes.unit(ctx.target, unit)
    master = _wait(lambda: _master_on(ctx, page["port"]), 10) if now.get("ActiveState") == "active" else 0
    if now.get("ActiveState") == "active" and _serves_port(ctx, now.get("MainPID", 0), master) and _page_answers(ctx, values):
        return None
    stand_in = f"/etc/systemd/system/{STAND_IN.format(app=page['name'])}"
    if ctx.run(f"test -f {stand_in}", timeout=10).rc != 0:
        raise SetupFailed(f"{unit} does not serve the page (task 6 first): the reload needs it running")
    saved = "/var/backups/hbnb-lab/gunicorn.service.under-check"
    place = f"/etc/systemd/system/{unit}"
    # The student's Gunicorn of the page started by hand (its stand-in) gives the port up meanwhile.
    by_hand = probes.unit(ctx.target, STAND_IN.format(app=page["name"])).get("ActiveState") == "active"
    ctx.run(f"mkdir -p /var/backups/hbnb-lab; [ -e {saved} ] || cp -p {place} {saved} 2>/dev/null; "
            f"systemctl stop {unit} {STAND_IN.format(app=page['name'])} 2>/dev/null; systemctl reset-failed {unit} 2>/dev/null; "
            f"rm -f {values['error_log']} {values['access_log']}; "
            f"sed -e 's#^ExecStart=\\([^ ]*gunicorn\\) #ExecStart=\\1 --workers {page['workers']} --error-logfile {values['error_log']} "
            f"--access-logfile {values['access_log']} #' {stand_in} > {place} && "
            f"systemctl daemon-reload && systemctl start {unit}", timeout=60)
    _wait(lambda: _master_on(ctx, page["port"]), 10)
    ctx.notes.append(f"the script ran against a working {unit}: the one on the server does not serve the page (task 6)")

    def undo() -> None:
        ctx.run(f"systemctl stop {unit}; if [ -e {saved} ]; then mv -f {saved} {place}; else rm -f {place}; fi; "
                f"systemctl daemon-reload; systemctl reset-failed {unit} 2>/dev/null; "
                + (f"systemctl start {STAND_IN.format(app=page['name'])}; " if by_hand else "") + "true", timeout=60)
    return undo


def reload(ctx: Context, values: dict) -> dict:
    """The script run while a client asks the page without pause: the master stays,
    every worker is replaced (none got a HUP itself), no request fails."""
    page, script_name = values["apps"]["hbnb"], "4-reload_gunicorn_no_downtime"
    port, wanted = page["port"], page["workers"]
    script = find_file(ctx, script_name)
    if not script:
        return {"verdict": "fail", "cause": f"{script_name} is not in {values['home']} on {ctx.target.name}"}
    master = _wait(lambda: _master_on(ctx, port), 10)
    old = _workers(ctx, master) if master else set()
    # Gunicorn's log lines from now on say which processes got a HUP.
    started_at = ctx.run("date '+%Y-%m-%d %H:%M:%S.%N' | cut -c1-23", timeout=10).out.strip()
    client = (f"rm -f /tmp/check-codes /tmp/check-stop; (for i in $(seq 600); do [ -e /tmp/check-stop ] && break; "
              f"curl -s -o /dev/null -w '%{{http_code}}\\n' --max-time 10 http://127.0.0.1:{port}{values['page_route']}; done "
              "> /tmp/check-codes; echo end >> /tmp/check-codes) >/dev/null 2>&1 &")
    ctx.run(client + " for i in $(seq 100); do [ -s /tmp/check-codes ] && break; sleep 0.05; done", timeout=30)
    mode = ctx.run(f"stat -c %a {shlex.quote(script)}", timeout=10).out.strip()
    folder, name = script.rsplit("/", 1)
    run = (f"cd {shlex.quote(folder)} && ./{shlex.quote(name)}" if mode and int(mode, 8) & 0o100
           else f"bash {shlex.quote(script)}")
    result = ctx.run(f"{run} </dev/null", timeout=90)
    # The new workers come up after the HUP: a full set, 10 s at most (watched
    # on the machine, one command: the master of the port and its workers).
    after, new = _master_and_workers_once_replaced(ctx, port, old, wanted, 10)
    time.sleep(0.3)
    ctx.run("touch /tmp/check-stop; for i in $(seq 200); do tail -n 1 /tmp/check-codes | grep -qx end && break; sleep 0.05; done",
            timeout=30)
    codes = ctx.run("grep -v end /tmp/check-codes", timeout=10).out.split()
    failed = [code for code in codes if code != "200"]
    # What got a HUP, from Gunicorn's own lines (the page's error log, the journal of every Gunicorn unit).
    log_text = ctx.run(f"journalctl --since {shlex.quote(started_at)} -u 'gunicorn*' -u 'practice-*' --no-pager -o cat 2>/dev/null; "
                       "cat /tmp/airbnb-*.log 2>/dev/null", timeout=10).out
    hupped = sorted(set(int(pid) for pid in re.findall(r"Worker \(pid:(\d+)\) was sent SIGHUP", log_text)))
    ctx.notes.append(f"{len(codes)} requests during the reload, {len(failed)} failed" if codes else "no request answered")
    if result.rc != 0:
        said = (result.err.strip() or result.out.strip()).splitlines() or ["no message"]
        return {"verdict": "fail", "cause": f"{script_name} failed (exit {result.rc}): {said[-1]}"}
    if not master:
        return {"verdict": "fail", "cause": f"nothing served port {port} before the reload (task 6 first)"}
    if after != master:
        return {"verdict": "fail", "cause": f"the master changed ({master} -> {after or 'none'}): the script restarted "
                                            f"Gunicorn instead of reloading it (HUP to the master keeps it)"
                                            + (f"; {len(failed)} of {len(codes)} requests failed" if failed else "")}
    if hupped:
        return {"verdict": "fail", "cause": f"HUP sent to every Gunicorn process: workers {', '.join(map(str, hupped))} got "
                                            f"SIGHUP and died at once besides the master {master}; {len(failed)} of "
                                            f"{len(codes)} requests failed (signal the master only: systemctl reload, or kill -HUP its PID)"}
    if old & new:
        elsewhere = (" (a HUP reached another Gunicorn: the script picks the wrong master)"
                     if "Handling signal: hup" in log_text else "")
        return {"verdict": "fail", "cause": f"no HUP reached the master {master} of port {port}: workers {sorted(old & new)} "
                                            f"were not replaced{elsewhere}"}
    if failed:
        return {"verdict": "fail", "cause": f"{len(failed)} of {len(codes)} requests failed during the reload "
                                            f"({', '.join(sorted(set(failed)))})"}
    if len(new) != wanted:
        return {"verdict": "fail", "cause": f"{len(new)} workers after the reload, want {wanted}"}
    return {"verdict": "ok"}
