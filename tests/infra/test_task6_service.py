"""Task 6: gunicorn.service starts the page app at boot: 3 workers on
0.0.0.0:5003, logs in /tmp/airbnb-error.log and /tmp/airbnb-access.log, the
MySQL settings in its environment. Judged by what can be seen on the machine
(the unit the exercise names, its processes, its port, its log files), so a
student's own unit is graded as the lab's is. The lab's other units and the
reboot of every machine: test_reference_lab.py."""
import pytest

from facts import ACCESS_LOG, ERROR_LOG, EXERCISE_UNIT, PAGE
from probes import (
    describe, http, listener_pids, main_pid, process_environment, wait_for, worker_pids,
)

pytestmark = pytest.mark.task6


def test_unit_enabled_and_running(web):
    service = web.service(EXERCISE_UNIT)
    assert service.is_enabled, f"{EXERCISE_UNIT} does not start at boot: sudo systemctl enable {EXERCISE_UNIT}"
    assert service.is_running, f"{EXERCISE_UNIT} is not running: systemctl status {EXERCISE_UNIT}; journalctl -u {EXERCISE_UNIT}"
    props = dict(line.split("=", 1) for line in web.check_output(
        "systemctl show --property PrivateTmp %s", EXERCISE_UNIT).splitlines())
    assert props["PrivateTmp"] == "no", (
        f"{EXERCISE_UNIT} has PrivateTmp=yes: its /tmp/airbnb-*.log are invisible to everyone else")


def test_unit_has_the_mysql_settings(web):
    """The DB-backed page fails only under systemd when the unit lacks them."""
    master = main_pid(web, EXERCISE_UNIT)
    assert master, f"{EXERCISE_UNIT} has no main process: systemctl status {EXERCISE_UNIT}"
    env = process_environment(web, master)
    missing = [name for name in ("HBNB_TYPE_STORAGE=db", "HBNB_MYSQL_USER=", "HBNB_MYSQL_PWD=",
                                 "HBNB_MYSQL_HOST=", "HBNB_MYSQL_DB=")
               if not any(line.startswith(name) for line in env)]
    assert not missing, (
        f"MySQL settings missing from {EXERCISE_UNIT}'s environment ({', '.join(missing)}): "
        "EnvironmentFile= (or Environment=) in the unit - the page works by hand, fails under systemd")


def test_unit_has_its_workers_on_its_port(web):
    master = main_pid(web, EXERCISE_UNIT)
    assert master, f"{EXERCISE_UNIT} has no main process: systemctl status {EXERCISE_UNIT}"
    workers = worker_pids(web, master)
    assert len(workers) == PAGE["workers"], (
        f"wrong worker count: {EXERCISE_UNIT} runs {len(workers)} workers, the task says {PAGE['workers']} "
        f"(--workers {PAGE['workers']} in its ExecStart)")
    assert web.socket(f"tcp://0.0.0.0:{PAGE['port']}").is_listening and master in listener_pids(web, PAGE["port"]), (
        f"{EXERCISE_UNIT} does not listen on 0.0.0.0:{PAGE['port']} (--bind 0.0.0.0:{PAGE['port']})")


def test_page_answers_on_its_own_port(web):
    response = http(web, f"http://127.0.0.1:{PAGE['port']}/2-hbnb")
    assert response.status == 200 and "Holberton School" in response.body, (
        f"127.0.0.1:{PAGE['port']}/2-hbnb gave {describe(response)} - systemctl status gunicorn; {ERROR_LOG}")


def test_log_files_exist_and_grow(web):
    for log in (ERROR_LOG, ACCESS_LOG):
        assert web.file(log).is_file, (
            f"log paths: {log} is missing - --error-logfile {ERROR_LOG} --access-logfile {ACCESS_LOG} "
            "in gunicorn.service (and no PrivateTmp)")
    before = web.file(ACCESS_LOG).size
    http(web, f"http://127.0.0.1:{PAGE['port']}/2-hbnb")
    assert wait_for(lambda: web.file(ACCESS_LOG).size > before, timeout=10), (
        f"log paths: {ACCESS_LOG} did not grow after a request (--access-logfile {ACCESS_LOG})")
    assert web.file(ERROR_LOG).size > 0, f"log paths: {ERROR_LOG} is empty: Gunicorn writes its start-up lines there"
