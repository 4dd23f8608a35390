"""The one check engine: a pack's task run on machines, for `make check` (pytest
with testinfra) and `make grade` alike. A task's setup (its site as the only
site, a unit for the reload...) is put in place, its checks probe each machine
and compare with what the pack expects, and a failed check says why in one line
(the pack's cause for that wrong answer, else an explanation of what was seen);
then the setup is undone. The machines of a task are checked side by side."""
from __future__ import annotations

import json
import re
import shlex
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any, Callable

from labtools.exercise import probes
from labtools.exercise.expect import holds
from labtools.exercise.pack import Check, Pack, Task, render
from labtools.exercise.target import Target


@dataclass
class CheckResult:
    check: str
    what: str
    grade: str                 # "required", or "note": reported beside the verdict
    passed: bool
    cause: str = ""            # one line: why it failed
    seconds: float = 0.0
    skipped: bool = False      # not run: a check it needs failed


@dataclass
class TaskResult:
    exercise: str
    task: int
    machine: str
    passed: bool
    cause: str = ""                                  # the first failed required check's cause
    notes: list[str] = field(default_factory=list)   # failed notes, and what the setup said
    checks: list[CheckResult] = field(default_factory=list)
    seconds: float = 0.0

    def records(self, hint_level: int = 0, when: str = "") -> list[dict]:
        """One JSON record per check: the results file other tools read."""
        return [{"exercise": self.exercise, "task": self.task, "check": c.check, "what": c.what,
                 "machine": self.machine,
                 "verdict": "pass" if c.passed else "skip" if c.skipped else "note" if c.grade == "note" else "fail",
                 "grade": c.grade, "cause": c.cause, "hint_level": hint_level, "time": when,
                 "seconds": round(c.seconds, 2)} for c in self.checks]


class SetupFailed(Exception):
    """A task's setup could not be put in place: every check of the task fails with this cause."""


@dataclass
class Context:
    """What a probe, a setup or a pack function gets: the machine, the pack, the
    values its templates are filled from, and how it is run (check or grade)."""
    target: Target
    pack: Pack
    values: dict
    mode: str = "check"                             # "check" (make check) or "grade"
    notes: list[str] = field(default_factory=list)  # said by the setup, shown beside the verdict

    def run(self, script: str, user: str = "root", timeout: float = 60):
        return self.target.run(script, user, timeout)

    def render(self, template: Any, strict: bool = True) -> Any:
        return render(template, self.values, strict)


# --- a machine's values --------------------------------------------------------------

# Where a pack's support folders (start: support:) are copied on a machine.
SUPPORT_ROOT = "/usr/local/share/hbnb-lab/exercises"


def machine_values(target: Target, pack: Pack, lab: dict, address: str) -> dict:
    """The template values of one machine: the pack's facts, and the machine's own:
    its hostname, its address, its layout (where the clone, its Python and the
    student's user are: practice mode's, the school's server, or reference mode's)
    and the database account the layout uses."""
    found = target.run(f"hostname; python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[\"mode\"])' "
                       f"{shlex.quote(lab['facts_file'])} 2>/dev/null || echo practice", timeout=20).out.split()
    hostname, mode = (found + ["?", "practice"])[:2]
    practice, reference = lab["practice"], lab["reference"]
    if mode == "reference":
        layout = {"mode": "reference", "user": reference["user"], "home": reference["root"],
                  "app_dir": reference["app_dir"], "python": f"{reference['venv']}/bin/python",
                  "gunicorn": f"{reference['venv']}/bin/gunicorn"}
    else:
        layout = {"mode": "practice", "user": practice["user"], "home": practice["checkout"].rsplit("/", 1)[0],
                  "app_dir": practice["checkout"], "python": "/usr/bin/python3", "gunicorn": "/usr/local/bin/gunicorn"}
    db = {"name": lab["database"]["name"], "user": practice["database"]["user"],
          "password": practice["database"]["password"], "host": practice["database"]["host"]}
    spec = next((m for m in lab["machines"] if m["name"] == target.name), {"roles": []})
    values = {**pack.values(), "hostname": hostname, "address": address, "machine": target.name, "layout": layout,
              **{k: v for k, v in layout.items() if k != "mode"}, "checkout": practice["checkout"], "db": db,
              "roles": spec["roles"], "lab_machines": [{k: m[k] for k in ("name", "ip", "roles")} for m in lab["machines"]],
              "support": f"{SUPPORT_ROOT}/{pack.id}",
              "grading_home_mode": practice.get("grading_home_mode", practice["home_mode"])}
    # The pack's facts and grading steps may name the machine's own ({home}...).
    values.update({key: render(value, values, strict=False) for key, value in pack.facts.items()})
    values.update({key: render(value, values, strict=False) for key, value in pack.grading.get("steps", {}).items()})
    return values


def on_roles(ctx: "Context", roles: list[str]) -> bool:
    """Whether the context's machine has one of ``roles`` (all of them when none)."""
    return not roles or bool(set(roles) & set(ctx.values.get("roles", [])))


# --- causes ----------------------------------------------------------------------------

def gateway_cause(ctx: Context, observed: dict, app: dict | None) -> str:
    """What an HTTP answer through Nginx that is not 200 says about the site (by what
    can be seen from outside, whatever the student named their units or sites)."""
    status, path = observed["status"], observed["path"]
    port = app["port"] if app else "?"
    module = app["module"] if app else "the app"
    if status == 0:
        cause = f"no answer on port 80 for {path} ({observed['error']}): is Nginx running? (systemctl status nginx)"
    elif status == 502:
        cause = (f"502 Bad Gateway for {path}: the site proxies it to a port where nothing of {module} listens "
                 f"(it runs on 127.0.0.1:{port}), or to a host Nginx cannot resolve")
    elif status == 404:
        server = observed["headers"].get("server", "")
        where = "Nginx's" if server.startswith("nginx") and "<center>nginx" in observed["body"] else "the app's"
        cause = (f"404 ({where}) for {path}: no location matches it, or proxy_pass rewrote the path "
                 "(a URI part after the port replaces the matched prefix)")
    elif status in (301, 302, 307, 308):
        cause = (f"{status} redirect for {path} to {observed['headers'].get('location', '?')}: a location or "
                 "proxy_pass that adds or drops a slash (or Flask's strict_slashes)")
    elif status == 403:
        cause = f"403 for {path}: Nginx may not read the files there (www-data needs x on every folder above them)"
    elif status == 500:
        cause = f"500 for {path}: the app on port {port} failed (its Gunicorn's error log)"
    else:
        cause = f"HTTP {status} for {path}: see /var/log/nginx/error.log"
    return cause + (nginx_error(ctx) if status >= 400 else "")


def nginx_error(ctx: Context) -> str:
    """The last error Nginx logged, without its time and client details."""
    line = ctx.run("tail -n 1 /var/log/nginx/error.log", timeout=10).out.strip()
    match = re.search(r"\[(?:error|crit|alert|emerg)\] [\d#*: ]*(.*?)(?:, client: .*)?$", line)
    if not match:
        return ""
    message = match.group(1)
    if re.search(r'open\(\) "[^"]*/~/', message):
        return (" (Nginx looked for the file under a literal ~: Nginx does not expand ~ in alias or root; "
                "write the full path)")
    return f" (Nginx: {probes.one_line(message, 120)})"


def cause_of(ctx: Context, check: Check, observed: dict, values: dict) -> str:
    said = {**values, **observed}
    for known in check.causes:
        if holds(dict(observed), render(known["if"], values, strict=False)):
            return check.prefix + render(known["say"], said, strict=False)
    if check.explain == "gateway" and observed.get("status") != 200:
        app = ctx.pack.app(check.app) if check.app else None
        return check.prefix + gateway_cause(ctx, observed, app)
    if check.otherwise:
        return check.prefix + render(check.otherwise, said, strict=False)
    shown = {k: v for k, v in observed.items() if k in ("status", "error", "stdout", "rc", "processes", "addresses")}
    return check.prefix + f"{check.what}: not so ({json.dumps(shown)[:200]})"


# --- checks ----------------------------------------------------------------------------

def observe(ctx: Context, probe: dict, values: dict) -> dict:
    """The observation of a probe (the probe's texts already filled)."""
    probe = render(probe, values)
    if "http" in probe:
        return probes.http(ctx.target, probe["http"], probe.get("method", "GET"), probe.get("headers", ()),
                           int(probe.get("timeout", 8)))
    if "command" in probe:
        return probes.command(ctx.target, probe["command"], probe.get("as", "root"), float(probe.get("timeout", 60)))
    if "port" in probe:
        return probes.port(ctx.target, int(probe["port"]))
    if "unit" in probe:
        return probes.unit(ctx.target, probe["unit"])
    if "file" in probe:
        return probes.file(ctx.target, probe["file"])
    return pack_function(ctx, probe["python"])(ctx, values)


def pack_function(ctx: Context, name: str) -> Callable:
    """A function of the pack's checks.py, named "checks.<function>"."""
    module_name, _, function = name.partition(".")
    module = ctx.pack.checks_module() if module_name == "checks" else None
    if module is None or not hasattr(module, function):
        raise KeyError(f"{ctx.pack.id}: no function {name} (its checks.py)")
    return getattr(module, function)


def run_check(ctx: Context, check: Check) -> CheckResult:
    started = time.monotonic()
    if (check.layouts and ctx.values["layout"]["mode"] not in check.layouts) or not on_roles(ctx, check.on):
        return CheckResult(check.id, check.what, check.grade, True, "", 0.0)
    for item in check.each:
        values = {**ctx.values, **render(item, ctx.values)}
        deadline = time.monotonic() + check.within
        while True:
            try:
                observed = observe(ctx, check.probe, values)
            except KeyError as error:   # a template naming what the pack does not have: the pack's mistake
                raise KeyError(f"{ctx.pack.id}: check {check.id} (line {check.line}) names {error} it does not have") from error
            # `within`: what a reload under way has not yet put in place, asked again.
            if holds(observed, render(check.expect, values)) or time.monotonic() >= deadline:
                break
            time.sleep(0.25)
        if not holds(observed, render(check.expect, values)):
            return CheckResult(check.id, check.what, check.grade, False, probes.one_line(cause_of(ctx, check, observed, values), 400),
                               time.monotonic() - started)
    return CheckResult(check.id, check.what, check.grade, True, "", time.monotonic() - started)


# --- setups ------------------------------------------------------------------------------

SITES_ENABLED = "/etc/nginx/sites-enabled"
SAVED_SITES = "/var/backups/hbnb-lab/sites-enabled.under-check.tar"
# A reload that returns once Nginx's old workers are gone, so the next request
# meets the new configuration.
RELOAD_NGINX = ("master=$(systemctl show --property MainPID --value nginx); old=$(pgrep -P \"$master\"); "
                "systemctl reload nginx || exit 1; for i in $(seq 200); do alive=; for pid in $old; do "
                "kill -0 \"$pid\" 2>/dev/null && alive=1; done; [ -z \"$alive\" ] && break; sleep 0.05; done")


def nginx_refusal(output: str, name: str) -> str:
    """nginx -t's reason, in one line, the file's lines named as "line N"."""
    lines = [line for line in output.splitlines() if "[emerg]" in line] or output.splitlines()[-1:]
    refusal = lines[0] if lines else "?"
    refusal = re.sub(r"^(?:nginx: |[\d/]+ [\d:]+ )\[emerg\] (?:\d+#\d+: )?", "", refusal)
    refusal = re.sub(rf"\S*/{re.escape(name)}:", "line ", refusal)
    return probes.one_line(f"nginx -t refuses {name}: {refusal}")


def find_file(ctx: Context, name: str) -> str:
    """Where a handed-in file is on the machine: its place, else (find_in) the
    first copy of it in that folder; '' when there is none."""
    spec = ctx.pack.files[name]
    place = ctx.render(spec.place)
    if ctx.run(f"test -f {shlex.quote(place)}", timeout=10).rc == 0:
        return place
    if spec.find_in:
        where = ctx.render(spec.find_in)
        names = " -o ".join(f"-name {shlex.quote(n)}" for n in [name, *spec.also_named])
        return ctx.run(f"find {shlex.quote(where)} -maxdepth 3 \\( {names} \\) -type f -print -quit",
                       timeout=20).out.strip()
    return ""


def setup_nginx_site(ctx: Context, name: str) -> Callable[[], None]:
    """The site ``name``, from its place, as the only enabled site (nginx -t first;
    a refused one leaves Nginx as it was). Returns the undo: the machine's own
    sites-enabled/ back, whatever it was."""
    place = find_file(ctx, name)
    if not place:
        raise SetupFailed(f"{name} is not in {ctx.render(ctx.pack.files[name].place).rsplit('/', 1)[0]}/ on "
                          f"{ctx.target.name}: write it there (the exercise's name)")
    saved = shlex.quote(SAVED_SITES)
    done = ctx.run(
        f"mkdir -p {shlex.quote(SAVED_SITES.rsplit('/', 1)[0])} && {{ [ -e {saved} ] || tar -C {SITES_ENABLED} -cf {saved} . ; }} && "
        f"find {SITES_ENABLED} -mindepth 1 -delete && ln -s {shlex.quote(place)} {SITES_ENABLED}/{shlex.quote(name)} && "
        f"nginx -t 2>&1 && {RELOAD_NGINX}", timeout=60)

    def undo() -> None:
        ctx.run(f"[ -e {saved} ] || exit 0; find {SITES_ENABLED} -mindepth 1 -delete && tar -C {SITES_ENABLED} -xf {saved} "
                f"&& rm -f {saved} && {{ nginx -t >/dev/null 2>&1 && {RELOAD_NGINX}; }} || systemctl restart nginx", timeout=60)
    if done.rc != 0:
        undo()
        raise SetupFailed(nginx_refusal(done.out + done.err, name))
    # The next task's site may take this one's place directly (run_tasks): the
    # machine's own sites come back once, after the last.
    undo.deferrable = True
    return undo


def apply_setup(ctx: Context, step: dict) -> Callable[[], None] | None:
    """One setup step of a task; its undo (or None)."""
    if "nginx_site" in step:
        return setup_nginx_site(ctx, ctx.render(step["nginx_site"]))
    if "python" in step:
        return pack_function(ctx, step["python"])(ctx)
    raise KeyError(f"{ctx.pack.id}: unknown setup step {sorted(step)}")


# --- tasks ------------------------------------------------------------------------------

def run_task_on(ctx: Context, task: Task, deferred: dict | None = None) -> TaskResult:
    """``task`` on one machine: its setup, its checks, its setup undone (an undo
    that may wait, into ``deferred`` by machine name when given)."""
    started = time.monotonic()
    result = TaskResult(ctx.pack.id, task.number, ctx.target.name, False)
    undos: list[Callable[[], None]] = []
    try:
        try:
            for step in task.setup:
                undo = apply_setup(ctx, step)
                if undo:
                    undos.append(undo)
        except SetupFailed as failed:
            # Every required check fails for that one reason; the notes are not looked at.
            result.cause = str(failed)
            result.checks = [CheckResult(c.id, c.what, c.grade, False, str(failed)) for c in task.checks
                             if c.grade == "required"]
            return result
        for check in task.checks:
            failed = [c.check for c in result.checks if c.check in check.needs and not c.passed]
            if failed:   # what it looks at is not there: said by the check it needs
                result.checks.append(CheckResult(check.id, check.what, check.grade, False,
                                                 f"not checked: {', '.join(failed)} failed", skipped=True))
                continue
            result.checks.append(run_check(ctx, check))
    finally:
        for undo in reversed(undos):
            if deferred is not None and getattr(undo, "deferrable", False):
                deferred[ctx.target.name] = undo
            else:
                undo()
        result.notes = list(ctx.notes) + [c.cause for c in result.checks
                                          if not c.passed and c.grade == "note" and not c.skipped]
        result.seconds = time.monotonic() - started
    failed = [c for c in result.checks if not c.passed and c.grade == "required" and not c.skipped]
    result.passed = not failed and not result.cause
    if failed and not result.cause:
        result.cause = failed[0].cause
    return result


def on_each(targets: list, action: Callable) -> list:
    """``action(target)`` for every target at the same time (the work is on the machines)."""
    if len(targets) <= 1:
        return [action(t) for t in targets]
    with ThreadPoolExecutor(max_workers=len(targets)) as pool:
        return list(pool.map(action, targets))


def run_task(pack: Pack, task: Task, contexts: list[Context], reboot: bool = False,
             deferred: dict | None = None) -> list[TaskResult]:
    """``task`` on every machine of ``contexts`` side by side; rebooted first (all
    together) when ``reboot`` and the task asks for it."""
    contexts = [ctx for ctx in contexts if on_roles(ctx, task.on or pack.on)]
    if reboot and task.reboot_before:
        on_each(contexts, lambda ctx: ctx.target.reboot())
    return on_each(contexts, lambda ctx: run_task_on(Context(ctx.target, pack, ctx.values, ctx.mode), task, deferred))


START = -1      # the start state's number among the tasks' results


def run_tasks(pack: Pack, tasks: list[Task], contexts: list[Context], reboot: bool = False,
              with_start: bool = True) -> dict[int, list[TaskResult] | BaseException]:
    """The start state and ``tasks`` as fast as they can go without one seeing
    another's changes: the tasks that only look side by side first (those `beside`
    Nginx's site go on in the background), then the others one at a time, in
    order (a reboot waits for the background). Task number (START) -> its
    results, or the error it raised."""
    done: dict[int, list[TaskResult] | BaseException] = {}

    def keep(number: int, job: Callable[[], list[TaskResult]]) -> None:
        try:
            done[number] = job()
        except Exception as error:   # said by that task's report, the others go on
            done[number] = error

    # Machine -> the undo of the site a task set up, kept while the next task sets
    # its own (one Nginx reload instead of two), run before any other task.
    deferred: dict[str, Callable[[], None]] = {}

    def restore_sites() -> None:
        undos = list(deferred.values())
        deferred.clear()
        on_each(undos, lambda undo: undo())

    def task_job(task: Task, defer: bool = False) -> Callable[[], list[TaskResult]]:
        return lambda: run_task(pack, task, contexts, reboot=reboot, deferred=deferred if defer else None)
    looking = [t for t in tasks if t.only_looks(reboot)]
    background = [t for t in looking if t.beside]
    first = {t.number: task_job(t) for t in looking if not t.beside}
    if with_start:
        first[START] = lambda: run_start_checks(pack, contexts)
    with ThreadPoolExecutor(max_workers=max(1, len(first) + len(background))) as pool:
        behind = [pool.submit(keep, t.number, task_job(t)) for t in background]
        for future in [pool.submit(keep, number, job) for number, job in first.items()]:
            future.result()
        try:
            for task in tasks:
                if task.only_looks(reboot):
                    continue
                sets_site = any("nginx_site" in step for step in task.setup)
                if not sets_site:
                    restore_sites()
                if reboot and task.reboot_before:
                    for future in behind:
                        future.result()
                keep(task.number, task_job(task, defer=sets_site))
        finally:
            restore_sites()
        for future in behind:
            future.result()
    return done


def run_start_checks(pack: Pack, contexts: list[Context]) -> list[TaskResult]:
    """The start state's checks (what the earlier projects leave), as task -1."""
    start = Task(-1, "start state", "", [], pack.start_checks, ["-"])
    return on_each(contexts, lambda ctx: run_task_on(Context(ctx.target, pack, ctx.values, ctx.mode), start))


def to_json(results: list[TaskResult]) -> str:
    return json.dumps([asdict(r) for r in results], indent=1)


def wait_until_passes(pack: Pack, task: Task, ctx: Context, timeout: float = 30) -> TaskResult:
    """``task`` on one machine until it passes or ``timeout`` is spent (a service
    just restarted may take a moment); its last result."""
    deadline = time.monotonic() + timeout
    while True:
        result = run_task_on(Context(ctx.target, pack, ctx.values, ctx.mode), task)
        if result.passed or time.monotonic() >= deadline:
            return result
        time.sleep(1)
