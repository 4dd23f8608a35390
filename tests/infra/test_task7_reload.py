"""Task 7: 4-reload_gunicorn_no_downtime reloads gunicorn.service gracefully:
the master PID stays, every worker is replaced, no request fails meanwhile."""
import subprocess

import pytest

from stack_helpers import (ERROR_LOG, EXERCISE_UNIT, PAGE, RELOAD_SCRIPT, REMOTE_SUBMISSION, SUBMISSION,  # noqa: F401
                           client_loop, main_pid, name_of, status_counts, wait_for, web, worker_pids)

pytestmark = pytest.mark.task7

SCRIPT = f"{REMOTE_SUBMISSION}/{RELOAD_SCRIPT}"   # the file under judgement, as the machine sees it


def test_script_follows_the_bash_conventions():
    path = SUBMISSION / RELOAD_SCRIPT
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "#!/usr/bin/env bash", f"{RELOAD_SCRIPT}: first line must be #!/usr/bin/env bash"
    assert lines[1].startswith("# "), f"{RELOAD_SCRIPT}: second line must be a comment saying what it does"
    assert path.stat().st_mode & 0o111, f"{RELOAD_SCRIPT} is not executable: chmod +x"
    result = subprocess.run(["shellcheck", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"shellcheck {RELOAD_SCRIPT}: {result.stdout.strip()}"


@pytest.mark.disruptive      # reloads gunicorn.service
def test_reload_keeps_the_master_and_replaces_every_worker(web):
    master = main_pid(web, EXERCISE_UNIT)
    assert master, f"{EXERCISE_UNIT} is not running (task 6 first): systemctl status {EXERCISE_UNIT}"
    old = worker_pids(web, master)
    assert len(old) == PAGE["workers"], f"{EXERCISE_UNIT} runs {len(old)} workers before the reload, want {PAGE['workers']}"
    log_before = web.file(ERROR_LOG).size if web.file(ERROR_LOG).exists else 0
    with web.sudo():
        result = web.run(SCRIPT)
    assert result.rc == 0, f"{RELOAD_SCRIPT} failed: {result.stderr.strip()}"
    # Gunicorn's master logs "Worker (pid:N) was sent SIGHUP!" for a worker that got
    # a HUP itself: it dies at once, dropping its requests.
    hupped = web.run("tail -c +%s %s | grep -c 'was sent SIGHUP'", str(log_before + 1), ERROR_LOG).stdout.strip()
    assert hupped in ("", "0"), (
        f"HUP sent to the workers instead of the master: {ERROR_LOG} says {hupped} workers were sent SIGHUP "
        "(kill -HUP the MainPID only, or systemctl reload with ExecReload=/bin/kill -s HUP $MAINPID)")
    assert main_pid(web, EXERCISE_UNIT) == master, (
        "the master PID changed: the script restarted Gunicorn instead of sending HUP to the master")
    # The new workers come up asynchronously after HUP: wait for the full set.
    wait_for(lambda: len(worker_pids(web, master) - old) == PAGE["workers"], timeout=15, interval=0.2)
    new = worker_pids(web, master)
    assert not old & new, (
        f"workers {sorted(old & new)} survived the reload: HUP sent to the workers instead of the master? "
        "(kill -HUP the MainPID only)")
    assert len(new) == PAGE["workers"], f"{len(new)} workers after the reload, want {PAGE['workers']}"


@pytest.mark.disruptive
def test_no_request_fails_during_a_reload(web):
    """A client asks the page without pause from before the script starts until
    after it has returned (at most 300 requests)."""
    url = f"http://127.0.0.1:{PAGE['port']}/2-hbnb"
    web.check_output(f"{client_loop(url, 'reload')} & client=$!; sleep 0.3; "
                     f"sudo {SCRIPT} >/dev/null; sleep 0.3; touch /tmp/reload-stop; wait $client")
    counts = status_counts(web, "reload")
    sent = sum(counts.values())
    assert sent >= 10, f"the client on {name_of(web)} sent {sent} requests during the reload: {counts}"
    assert set(counts) == {"200"}, (
        f"answers during the reload on {name_of(web)}: {counts} - a refused or failed request "
        "(000, 502) means the listening socket was closed: HUP the master, do not restart")
