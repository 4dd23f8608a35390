"""The engine's parts that need no machine: expectations, causes, the results
and hints a lab keeps, the learner's summary, and 0x0F's apt-get of Ubuntu 22.04."""
import importlib.util
import json
from importlib.machinery import SourceFileLoader

import pytest

from labtools.exercise import cli, engine, expect, pack as packs, state

HTTP_OK = {"status": 200, "headers": {"server": "nginx", "x-served-by": "web-01"}, "body": "<html>Hello HBNB!</html>"}


@pytest.mark.parametrize("wanted, holds", [
    ({"status": 200}, True), ({"status": [200, 404]}, True), ({"status": 502}, False),
    ({"body_contains": "Hello"}, True), ({"body": "Hello"}, False),
    ({"header": {"server": {"startswith": "nginx"}}}, True), ({"header": {"X-Served-By": "web-01"}}, True),
    ({"header": {"x-served-by": "web-02"}}, False), ({"header": {"x-served-by": {"not": "web-01"}}}, False),
    ({"body_ends_with_html": True}, True), ({"body_tail_contains": "HBNB"}, True),
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
