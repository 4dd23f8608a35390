"""What the page makes of what it reads, without a lab: the results JSON as tasks
and checks, a machine's services and ports, the logs it may follow, the site's
answers, the vendored libraries."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="the console's packages: pip install -r requirements-console.txt")

from labtools.console import events, machines, results, site  # noqa: E402
from labtools.exercise import pack as packs  # noqa: E402

PACK = packs.load(packs.resolve("0x0E"))
MACHINES = ["web-01", "web-02", "lb-01"]
VENDOR = Path(__file__).resolve().parents[2] / "labtools" / "console" / "static" / "vendor"


def record(task: int, check: str, machine: str, verdict: str, cause: str = "", time: str = "2026-01-02T10:00:00+00:00",
           grade: str = "required") -> dict:
    return {"exercise": PACK.id, "task": task, "check": check, "what": f"what {check}", "machine": machine,
            "verdict": verdict, "grade": grade, "cause": cause, "hint_level": 0, "time": time, "seconds": 0.1}


def views(records: list[dict], levels: dict | None = None) -> dict[int, results.TaskView]:
    found = results.task_views(PACK, {"exercise": PACK.id, "records": records}, MACHINES, levels or {})
    return {v.number: v for v in found}


def test_no_results_means_not_checked():
    found = views([])
    assert list(found) == [-1, 0, 1]                 # the start state first, then the tasks
    assert all(v.verdict == "unchecked" and not v.checked for v in found.values())
    assert [c.id for c in found[0].checks] == ["port-80-answers", "nginx-under-systemd"]
    assert found[0].title == "Nginx likes port 80" and "\n" not in found[0].brief


def test_a_failure_on_one_machine_fails_the_task_with_its_cause():
    found = views([
        record(0, "port-80-answers", "web-01", "pass"),
        record(0, "port-80-answers", "web-02", "fail", "nothing answers on port 80 on web-02"),
        record(0, "nginx-under-systemd", "web-01", "pass", time="2026-01-02T10:00:05+00:00"),
        record(0, "nginx-under-systemd", "web-02", "skip"),
    ])
    task = found[0]
    assert task.verdict == "fail"
    assert task.causes == [("nothing answers on port 80", "web-02")]   # "on <machine>" said once, as make check does
    assert task.checked == "2026-01-02T10:00:05+00:00"
    first, second = task.checks
    assert first.verdict == "fail" and ("web-02", "fail", "nothing answers on port 80 on web-02") in first.on
    assert second.verdict == "pass"


def test_every_check_passing_passes_and_a_note_does_not_fail():
    found = views([record(1, "short-and-sweet", m, "pass") for m in ("web-01", "web-02")]
                  + [record(1, "port-80-answers", "web-01", "note", "a remark", grade="note")])
    assert found[1].verdict == "pass"
    assert found[1].notes == [("a remark", "web-01")]
    assert found[1].checks[1].verdict == "note"


def test_records_of_other_machines_and_unknown_checks():
    found = views([record(0, "port-80-answers", "web-09", "fail", "elsewhere"),
                   record(0, "an-old-check", "web-01", "pass")])
    assert found[0].verdict == "pass"                # web-09 is not this lab's
    assert found[0].checks[-1].id == "an-old-check"


def test_hints_taken_are_shown_in_order():
    found = views([], {0: 2})
    assert found[0].hints == PACK.task(0).hints[:2]
    assert found[0].hints_total == 3
    assert found[1].hints == []


@pytest.mark.parametrize("verdicts, one", [([], "unchecked"), (["pass", "fail"], "fail"),
                                            (["pass", "note"], "note"), (["skip", "pass"], "pass"),
                                            (["skip"], "skip")])
def test_combined_verdicts(verdicts, one):
    assert results.combined(verdicts) == one


PROBE_OUTPUT = """== units
Id=gunicorn.service
LoadState=loaded
ActiveState=active
SubState=running
UnitFileState=enabled

Id=nginx.service
LoadState=loaded
ActiveState=failed
SubState=failed
UnitFileState=enabled

Id=mariadb.service
LoadState=not-found
ActiveState=inactive
SubState=dead
UnitFileState=
== ports
0.0.0.0:22 ssh.service sshd
0.0.0.0:5003 gunicorn.service gunicorn
0.0.0.0:80 nginx.service nginx
127.0.0.1:5000 session-3.scope python3
[::]:80 nginx.service nginx
127.0.0.53%lo:53 systemd-resolved.service systemd-resolve
"""


def test_services_and_their_ports():
    services, others = machines.parse(PROBE_OUTPUT)
    assert [s.unit for s in services] == ["gunicorn.service", "nginx.service"]   # not-found units left out
    gunicorn, nginx = services
    assert (gunicorn.active, gunicorn.sub, gunicorn.ports) == ("active", "running", [":5003"])
    assert (nginx.active, nginx.ports) == ("failed", [":80"])                    # 0.0.0.0 and [::] as one
    assert others == ["python3 127.0.0.1:5000"]                                  # a Gunicorn started by hand


@pytest.mark.parametrize("local, label", [("0.0.0.0:80", ":80"), ("[::]:80", ":80"), ("*:22", ":22"),
                                          ("127.0.0.1:3306", "127.0.0.1:3306"), ("127.0.0.53%lo:53", "127.0.0.53:53"),
                                          ("[::1]:8080", "[::1]:8080")])
def test_port_labels(local, label):
    assert machines.port_label(local) == label


def test_the_logs_a_page_may_follow():
    assert "tail -n 200 -F /var/log/nginx/error.log" in events.follow_command("nginx")
    assert "/tmp/airbnb-*.log" in events.follow_command("airbnb")
    assert "journalctl" in events.follow_command("journal", "gunicorn.service")
    # The machine's side ends when SSH's input does (the page went away).
    assert events.follow_command("nginx").endswith("cat >/dev/null'")
    for source, unit in [("journal", "x; rm -rf /"), ("journal", "$(id)"), ("journal", ""), ("/etc/shadow", "")]:
        with pytest.raises(ValueError):
            events.follow_command(source, unit)


def test_server_sent_events_carry_every_line():
    assert events.sse("line", "a\nb") == "event: line\ndata: a\ndata: b\n\n"


def test_which_server_answered():
    sample = site.Sample("lb-01", "http://192.168.56.10/", [
        site.Answer(200, "web-01"), site.Answer(200, "web-02"), site.Answer(200, "web-01"),
        site.Answer(503, ""), site.Answer(0, "", "refused")])
    assert sample.counts == [("web-01", 2), ("web-02", 1), ("no X-Served-By", 1), ("no answer", 1)]


def test_vendored_libraries_are_as_published():
    """Every vendored file is the one its README's SHA-256 names, with its licence."""
    readme = (VENDOR / "README.md").read_text()
    sums = dict((name, digest) for digest, name in re.findall(r"^([0-9a-f]{64})  (\S+)$", readme, re.M))
    files = sorted(str(p.relative_to(VENDOR)) for p in VENDOR.rglob("*") if p.is_file() and p.name != "README.md")
    assert sorted(sums) == files
    for name, digest in sums.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
    for folder in {Path(name).parent for name in files}:
        assert (VENDOR / folder / "LICENSE").is_file(), folder


def test_the_page_loads_nothing_from_the_network():
    templates = Path(machines.__file__).parent / "templates"
    for page in templates.glob("*.html"):
        text = page.read_text()
        assert not re.search(r"""(src|href)=["']https?://""", text), page.name
