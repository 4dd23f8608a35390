"""Task 7: 4-reload_gunicorn_no_downtime reloads gunicorn.service gracefully:
the master PID stays, every worker is replaced, no request fails meanwhile."""
import shutil
import subprocess
from dataclasses import dataclass, field

import pytest

from facts import (
    ERROR_LOG, EXERCISE_UNIT, PAGE, RELOAD_SCRIPT, REMOTE_SUBMISSION, SUBMISSION, layout,
    name_of, session_names,
)
from probes import client_loop, main_pid, on_each, status_counts, stop_client, wait_for, worker_pids

pytestmark = pytest.mark.task7

SCRIPT = f"{REMOTE_SUBMISSION}/{RELOAD_SCRIPT}"   # the lab's own script, as the machine sees it


def script_on(host) -> str:
    """The reload script under judgement on ``host``: the lab's own (reference
    mode), or the student's, found in their home (practice mode); '' if none."""
    where = layout(host)
    if where.mode != "practice":
        return SCRIPT
    home = where.app_dir.rsplit("/", 1)[0]
    with host.sudo():
        return host.run(f"find {home} -maxdepth 3 -name {RELOAD_SCRIPT} -type f -print -quit").stdout.strip()


@pytest.mark.reference      # the lab's own script; a student's conventions are graded apart (make grade)
def test_script_follows_the_bash_conventions():
    path = SUBMISSION / RELOAD_SCRIPT
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "#!/usr/bin/env bash", f"{RELOAD_SCRIPT}: first line must be #!/usr/bin/env bash"
    assert lines[1].startswith("# "), f"{RELOAD_SCRIPT}: second line must be a comment saying what it does"
    assert path.stat().st_mode & 0o111, f"{RELOAD_SCRIPT} is not executable: chmod +x"
    assert shutil.which("shellcheck"), "shellcheck is not installed on this host: apt install shellcheck (brew install shellcheck)"
    result = subprocess.run(["shellcheck", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"shellcheck {RELOAD_SCRIPT}: {result.stdout.strip()}"


@dataclass
class Reload:
    """What one run of the reload script did on a web server."""
    master_before: int
    workers_before: set[int] = field(default_factory=set)
    script_rc: int = 0
    script_stderr: str = ""
    hupped_workers: int = 0          # "Worker (pid:N) was sent SIGHUP!" lines of the error log
    master_after: int = 0
    workers_after: set[int] = field(default_factory=set)
    answers: dict[str, int] = field(default_factory=dict)   # HTTP status -> count, during the reload
    answered_before: bool = False    # the client had an answer before the script started
    answered_after: bool = False     # and another once the new workers were all up


def answered(host) -> int:
    """How many answers (of any status) the reload's client has had so far."""
    return sum(status_counts(host, "reload").values())


def reload_with_a_client(host) -> Reload:
    """Runs the script on ``host`` while a client asks the page without pause:
    from before the script starts until the new workers are all up (15 s at most)."""
    master = main_pid(host, EXERCISE_UNIT)
    record = Reload(master_before=master)
    if not master:
        return record
    record.workers_before = old = worker_pids(host, master)
    log = host.file(ERROR_LOG)
    log_before = log.size if log.exists else 0
    page = f"http://127.0.0.1:{PAGE['port']}/2-hbnb"
    host.run(f"{client_loop(page, 'reload')} >/dev/null 2>&1 &")
    # The client answered before the script starts, and again once the new workers are all up.
    record.answered_before = bool(wait_for(lambda: answered(host) > 0, timeout=10, interval=0.05))
    script = script_on(host)
    if not script:
        record.script_rc, record.script_stderr = 127, f"no {RELOAD_SCRIPT} in the student's home"
        stop_client(host, "reload")
        return record
    with host.sudo():
        result = host.run(f"bash {script} >/dev/null" if not host.file(script).mode & 0o100 else f"{script} >/dev/null")
    record.script_rc, record.script_stderr = result.rc, result.stderr.strip()
    # Gunicorn's master logs "Worker (pid:N) was sent SIGHUP!" for a worker that got
    # a HUP itself: it dies at once, dropping its requests.
    hupped = host.run("tail -c +%s %s | grep -c 'was sent SIGHUP'", str(log_before + 1), ERROR_LOG).stdout.strip()
    record.hupped_workers = int(hupped or 0)
    record.master_after = after = main_pid(host, EXERCISE_UNIT)
    if after:   # the new workers come up asynchronously after HUP: wait for the full set
        wait_for(lambda: len(worker_pids(host, after) - old) == PAGE["workers"], timeout=15)
        record.workers_after = worker_pids(host, after)
    so_far = answered(host)
    record.answered_after = bool(wait_for(lambda: answered(host) > so_far, timeout=10, interval=0.05))
    stop_client(host, "reload")
    record.answers = status_counts(host, "reload")
    return record


@pytest.fixture(scope="module")
def reloads(request, lab_host) -> dict[str, Reload]:
    """Every web server of --hosts reloaded once, all at the same time (each
    check's client talks to its own machine's Gunicorn): web server -> Reload."""
    return on_each({name: lab_host(name) for name in session_names(request.config, "web")}, reload_with_a_client)


@pytest.mark.disruptive      # reloads gunicorn.service
def test_reload_keeps_the_master_and_replaces_every_worker(web, reloads):
    done = reloads[name_of(web)]
    assert done.master_before, f"{EXERCISE_UNIT} is not running (task 6 first): systemctl status {EXERCISE_UNIT}"
    assert len(done.workers_before) == PAGE["workers"], (
        f"{EXERCISE_UNIT} runs {len(done.workers_before)} workers before the reload, want {PAGE['workers']}")
    assert done.script_rc == 0, f"{RELOAD_SCRIPT} failed: {done.script_stderr}"
    assert not done.hupped_workers, (
        f"HUP sent to the workers instead of the master: {ERROR_LOG} says {done.hupped_workers} workers were sent SIGHUP "
        "(kill -HUP the MainPID only, or systemctl reload with ExecReload=/bin/kill -s HUP $MAINPID)")
    assert done.master_after == done.master_before, (
        "the master PID changed: the script restarted Gunicorn instead of sending HUP to the master")
    survivors = done.workers_before & done.workers_after
    assert not survivors, (
        f"workers {sorted(survivors)} survived the reload: HUP sent to the workers instead of the master? "
        "(kill -HUP the MainPID only)")
    assert len(done.workers_after) == PAGE["workers"], f"{len(done.workers_after)} workers after the reload, want {PAGE['workers']}"


@pytest.mark.disruptive
def test_no_request_fails_during_a_reload(web, reloads):
    """The client of the reload above, from before the script to after the new
    workers are up: every answer a 200."""
    done = reloads[name_of(web)]
    assert done.master_before, f"{EXERCISE_UNIT} is not running (task 6 first): systemctl status {EXERCISE_UNIT}"
    assert done.answered_before and done.answered_after, (
        f"the client on {name_of(web)} did not ask from before the reload to after it ({done.answers}): "
        "does the page answer at all? (task 5)")
    assert set(done.answers) == {"200"}, (
        f"answers during the reload on {name_of(web)}: {done.answers} - a refused or failed request "
        "(000, 502) means the listening socket was closed: HUP the master, do not restart")
