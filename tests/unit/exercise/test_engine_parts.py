"""The engine's parts that need no machine: expectations, causes, a check asked
again while a reload settles, which tasks may be checked side by side, the
results and hints a lab keeps, the learner's summary, what another exercise
undoes, and 0x0F's apt-get of Ubuntu 22.04."""
import importlib.util
import json
from importlib.machinery import SourceFileLoader

import pytest

from labtools.exercise import cli, engine, expect, install, pack as packs, state
from labtools.exercise.target import Result

HTTP_OK = {"status": 200, "headers": {"server": "nginx", "x-served-by": "web-01"}, "body": "<html>Hello HBNB!</html>"}


@pytest.mark.parametrize("wanted, holds", [
    ({"status": 200}, True), ({"status": [200, 404]}, True), ({"status": 502}, False),
    ({"body_contains": "Hello"}, True), ({"body": "Hello"}, False),
    ({"header": {"server": {"startswith": "nginx"}}}, True), ({"header": {"X-Served-By": "web-01"}}, True),
    ({"header": {"x-served-by": "web-02"}}, False), ({"header": {"x-served-by": {"not": "web-01"}}}, False),
    ({"body_ends_with_html": True}, True), ({"body_tail_contains": "HBNB"}, True),
    ({"header": {"x-served-by": {"absent": True}}}, False), ({"header": {"x-cache": {"absent": True}}}, True),
    ({"header": {"x-cache": {"absent": False}}}, False),
])
def test_expectations_on_an_http_answer(wanted, holds):
    assert expect.holds(dict(HTTP_OK), wanted) is holds


def test_a_pattern_found_is_kept_for_the_cause():
    observed = {"body": "$.get('http://0.0.0.0:5001/api/v1/status/')"}
    assert not expect.holds(observed, {"body_not_matches": r"0\.0\.0\.0|:500\d"})
    assert observed["matched"] == "0.0.0.0"


def test_json_and_listener_expectations():
    assert expect.holds({"body": '[{"__class__": "State"}]'}, {"json": {"type": "list", "nonempty": True, "class": "State"}})
    assert not expect.holds({"body": "[]"}, {"json": {"type": "list", "nonempty": True}})
    assert not expect.holds({"body": "not json"}, {"json": {"type": "dict"}})
    listening = {"listening": True, "address_list": ["*"], "process_list": ["gunicorn"]}
    assert expect.holds(listening, {"listening": True, "address": "0.0.0.0", "process": "gunicorn"})
    assert not expect.holds(listening, {"process": "python"})


class Offline:
    """A target that must not be asked anything: causes from the pack's data alone."""
    name = "web-01"

    def run(self, *args, **kwargs):
        raise AssertionError("the cause needed a machine")


def test_the_first_known_wrong_answer_gives_the_cause():
    pack = packs.load("0x1A-application_server")
    check = next(c for c in pack.task(0).checks if c.id == "route-without-slash")
    ctx = engine.Context(Offline(), pack, pack.values())
    observed = {"status": 308, "headers": {"location": "http://127.0.0.1:5000/airbnb-onepage/"}, "body": "", "error": "",
                "path": "/airbnb-onepage"}
    observed["header"] = observed["headers"]
    cause = engine.cause_of(ctx, check, observed, pack.values())
    assert cause.startswith("/airbnb-onepage redirects (308) to http://127.0.0.1:5000/airbnb-onepage/: strict_slashes")


def test_results_keep_each_task_and_machines_latest(tmp_path):
    config = tmp_path / "ssh-config"
    config.write_text("")
    first = engine.TaskResult("0x1A-application_server", 2, "web-01", False, "502",
                              checks=[engine.CheckResult("onepage-body", "what", "required", False, "502")])
    other = engine.TaskResult("0x1A-application_server", 2, "web-02", True,
                              checks=[engine.CheckResult("onepage-body", "what", "required", True)])
    state.record([first, other], config)
    again = engine.TaskResult("0x1A-application_server", 2, "web-01", True,
                              checks=[engine.CheckResult("onepage-body", "what", "required", True)])
    path = state.record([again], config)
    records = json.loads(path.read_text())["records"]
    assert [(r["machine"], r["verdict"]) for r in records] == [("web-01", "pass"), ("web-02", "pass")]
    assert set(records[0]) >= {"exercise", "task", "check", "machine", "verdict", "cause", "hint_level", "time"}


def test_hints_come_one_more_each_time_and_are_forgotten(tmp_path):
    config = tmp_path / "ssh-config"
    assert [state.next_hint("0x0F-load_balancer", 1, 3, config) for _ in range(4)] == [1, 2, 3, 3]
    assert state.hint_level("0x0F-load_balancer", 1, config) == 3
    state.forget_hints("0x0F-load_balancer", config)
    assert state.hint_level("0x0F-load_balancer", 1, config) == 0


def test_the_summary_gives_each_cause_once_with_its_machines():
    records = [{"machine": "web-01", "cause": "port 80 on web-01 answers 502"},
               {"machine": "web-02", "cause": "port 80 on web-02 answers 502"},
               {"machine": "web-02", "cause": "another"}]
    assert cli.grouped(records) == [("port 80 answers 502", "web-01, web-02"), ("another", "web-02")]


@pytest.fixture
def apt_get(tmp_path, monkeypatch):
    """0x0F's apt-get of Ubuntu 22.04, loaded as a module, the real apt-get not run."""
    path = packs.EXERCISES / "0x0F-load_balancer" / "ubuntu2204" / "apt-get"
    loader = SourceFileLoader("ubuntu2204_apt_get", str(path))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
    loader.exec_module(module)
    module.ADDED = tmp_path / "ppas"
    module.LISTS_EMPTY = tmp_path / "lists-empty"
    ran = []
    monkeypatch.setattr(module.os, "execv", lambda real, argv: ran.append(argv[1:]))
    return module, ran


@pytest.mark.parametrize("ppas, pin, installs", [
    ("", "haproxy=2.0.*", None),                                  # 22.04 never had 2.0
    ("ppa:vbernat/haproxy-2.0", "haproxy=2.0.*", None),          # nor does the 2.0 PPA for jammy
    ("", "haproxy=2.4.*", ["install", "-y", "haproxy"]),         # 22.04's own
    ("ppa:vbernat/haproxy-2.8", "haproxy=2.8.*", ["install", "-y", "haproxy"]),
    ("ppa:vbernat/haproxy-1.8", "haproxy", ["install", "-y", "haproxy"]),   # unpinned: the archive's
])
def test_a_version_pin_is_judged_as_ubuntu_2204_would(apt_get, ppas, pin, installs, capsys):
    module, ran = apt_get
    module.ADDED.write_text(ppas)
    status = module.main(["install", "-y", pin])
    if installs is None:
        assert status == 100 and f"E: Version '{pin.split('=')[1]}' for 'haproxy' was not found" in capsys.readouterr().err
        assert not ran
    else:
        assert ran == [installs]


def test_a_brand_new_server_locates_no_package_until_apt_get_update(apt_get, monkeypatch, capsys):
    module, ran = apt_get
    module.LISTS_EMPTY.touch()
    monkeypatch.setattr(module, "installed", lambda package: package == "curl")
    assert module.main(["install", "-y", "nginx", "curl"]) == 100
    said = capsys.readouterr().err
    assert "E: Unable to locate package nginx" in said and "curl" not in said
    assert not ran
    assert module.main(["install", "-y", "curl"]) is not None and ran == [["install", "-y", "curl"]]   # installed: fine
    module.main(["update"])
    assert not module.LISTS_EMPTY.exists()
    module.main(["install", "-y", "nginx"])
    assert ran[-1] == ["install", "-y", "nginx"]


class Settling:
    """A machine whose command fails its first ``fails`` times (a reload under way)."""
    name = "web-01"

    def __init__(self, fails: int):
        self.fails, self.asked = fails, 0

    def run(self, script, user="root", timeout=60):
        self.asked += 1
        return Result(1 if self.asked <= self.fails else 0, "", "")


@pytest.mark.parametrize("within, fails, passes", [(0, 1, False), (2, 2, True), (0.3, 50, False)])
def test_a_check_within_seconds_is_asked_again_until_it_holds(within, fails, passes):
    pack = packs.load("0x1A-application_server")
    check = packs.Check("settles", "a command that succeeds", {"command": "true"}, {"rc": 0},
                        otherwise="rc {rc}", within=within)
    target = Settling(fails)
    result = engine.run_check(engine.Context(target, pack, pack.values()), check)
    assert result.passed is passes
    if passes:
        assert target.asked == fails + 1          # asked until it held, not after
    elif within:
        assert 2 <= target.asked <= fails         # asked again, then given up at the deadline
    else:
        assert target.asked == 1                  # no `within`: asked once


def test_tasks_that_only_look_are_those_without_setup_reboot_or_alone():
    pack = packs.load("0x1A-application_server")
    assert [t.number for t in pack.tasks if t.only_looks()] == [0, 1, 6]
    assert [t.number for t in pack.tasks if t.only_looks(reboot=True)] == [0, 1]
    assert not packs.Task(9, "t", "", [], [], ["h"], alone=True).only_looks()


def test_another_exercise_undoes_0x0F_ubuntu_2204_first():
    leave = packs.load("0x0F-load_balancer").leave
    assert leave and (packs.EXERCISES / "0x0F-load_balancer" / leave).is_file()
    assert f"{engine.SUPPORT_ROOT}/0x0F-load_balancer/{leave}" in install.leave_others(packs.load("0x0E-web_stack_debugging_1"))
    assert "0x0F" not in install.leave_others(packs.load("0x0F-load_balancer"))


def test_the_schedule_keeps_setups_apart_and_a_reboot_after_the_background(monkeypatch):
    """engine.run_tasks: the tasks that only look start together; a task with a setup
    never overlaps another task except one `beside`; a reboot waits for those."""
    import threading
    import time as clock
    running, overlaps, lock = set(), [], threading.Lock()

    undone = []

    def fake_run(pack, task, contexts, reboot=False, deferred=None):
        with lock:
            overlaps.append((task.number, frozenset(running)))
            running.add(task.number)
        if task.setup:     # its site's undo waits while the next task sets its own
            assert deferred is not None and set(deferred) <= {"web-01"}
            deferred["web-01"] = lambda n=task.number: undone.append((n, len(overlaps)))
        clock.sleep(0.05 if task.number != 1 else 0.3)
        with lock:
            running.discard(task.number)
        if task.number == 3:
            raise RuntimeError("task 3's machine is gone")
        return [task.number]
    monkeypatch.setattr(engine, "run_task", fake_run)
    monkeypatch.setattr(engine, "run_start_checks", lambda pack, contexts: ["start"])
    task = lambda n, **kw: packs.Task(n, f"t{n}", "", [], [], ["h"], **kw)
    tasks = [task(0), task(1, beside=True), task(2, setup=[{"nginx_site": "x"}]), task(5, setup=[{"nginx_site": "y"}]),
             task(3, alone=True), task(4, reboot_before=True)]
    done = engine.run_tasks(packs.load("0x1A-application_server"), tasks, [], reboot=True)
    assert done[engine.START] == ["start"] and done[0] == [0] and done[1] == [1] and done[2] == [2]
    assert isinstance(done[3], RuntimeError) and done[4] == [4]      # an error is that task's alone
    seen = dict(overlaps)
    assert seen[2] <= {1} and seen[3] <= {1}       # a setup task runs beside the background only
    assert seen[4] == frozenset()                   # the reboot waited for task 1
    # Task 2's site was not restored before task 5 set its own; task 5's was, before task 3.
    started = [number for number, _ in overlaps]
    assert undone == [(5, started.index(5) + 1)]


def _records(start: str, tasks: dict[int, str]) -> dict:
    rows = [{"task": -1, "check": "nginx-runs-elsewhere", "machine": "web-01", "verdict": start,
             "cause": "" if start == "pass" else "Nginx already serves port 80", "time": "2026-12-07T00:00:00"}]
    rows += [{"task": n, "check": "c", "machine": "web-01", "verdict": v, "cause": "" if v == "pass" else "broken",
              "time": "2026-12-07T00:00:00"} for n, v in tasks.items()]
    return {"exercise": "0x0E-web_stack_debugging_1", "records": rows}


@pytest.mark.parametrize("tasks, status, said", [
    ({0: "pass", 1: "pass"}, 0, "moved on: every task passes"),      # solved: the break is behind
    ({0: "pass", 1: "fail"}, 1, "next: the start state is not as"),  # not solved: it still decides
])
def test_the_start_state_moves_on_once_every_task_passes(monkeypatch, capsys, tasks, status, said):
    pack = packs.load("0x0E-web_stack_debugging_1")
    monkeypatch.setattr(state, "read", lambda exercise, ssh_config=None: _records("fail", tasks))
    assert cli.report(pack, [0, 1], ["web-01"], with_start=True) == status
    assert said in capsys.readouterr().out
