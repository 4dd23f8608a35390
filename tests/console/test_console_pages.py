"""The page and its actions on a lab whose files are there but whose machines
are not asked (no lab needed): the tasks with the verdicts of a results file,
a hint taken as `make hint` takes it, the solution behind its confirm step."""
from __future__ import annotations

import json

import pytest

pytest.importorskip("starlette", reason="the console's packages: pip install -r requirements-console.txt")
from markupsafe import escape  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from labtools import labdata  # noqa: E402
from labtools.console import security  # noqa: E402
from labtools.console.app import create_app  # noqa: E402
from labtools.console.lab import Lab  # noqa: E402
from labtools.exercise import pack as packs, state  # noqa: E402

PORT = 8766
TOKEN = "another-test-token"
ORIGIN = f"http://127.0.0.1:{PORT}"
PACK = packs.load(packs.resolve("0x0E"))


@pytest.fixture
def lab(tmp_path) -> Lab:
    """A lab's files: an ssh-config (never used here), the exercise 0x0E, results."""
    config = tmp_path / ".vagrant" / "ssh-config"
    config.parent.mkdir()
    config.write_text("".join(f"Host {m['name']}\n  HostName {m['ip']}\n" for m in labdata.machines()))
    found = Lab(labdata.LAB_FILE, config)
    state.set_exercise(PACK.id, config)
    (found.state_dir / "mode").write_text("practice\n")
    records = [{"exercise": PACK.id, "task": task, "check": check, "what": "...", "machine": machine,
                "verdict": verdict, "grade": "required", "cause": cause, "hint_level": 0,
                "time": "2026-01-02T10:00:00+00:00", "seconds": 0.1}
               for task, check, verdict, cause in [(-1, "nginx-runs-elsewhere", "pass", ""),
                                                   (0, "port-80-answers", "fail", "Nginx listens on 8080"),
                                                   (1, "short-and-sweet", "pass", ""),
                                                   (1, "port-80-answers", "pass", "")]
               for machine in ("web-01", "web-02")]
    path = state.results_file(PACK.id, config)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"exercise": PACK.id, "records": records}))
    return found


@pytest.fixture
def client(lab) -> TestClient:
    client = TestClient(create_app(lab, TOKEN, PORT), base_url=ORIGIN)
    client.cookies.set(security.cookie_name(PORT), TOKEN)
    return client


def test_the_page_shows_the_tasks_and_their_verdicts(client):
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    text = page.text
    assert PACK.id in text and "practice mode" in text
    assert text.count('class="verdict pass"') == 2 and text.count('class="verdict fail"') == 1
    assert "Nginx listens on 8080" in text and "web-01, web-02:" in text
    assert "1 of 2 tasks pass" in text
    for name in ("web-01", "web-02", "lb-01"):
        assert f'data-shell="{name}"' in text


def test_results_part_swaps_every_task_by_id(client):
    part = client.get(f"/parts/results?exercise={PACK.id}").text
    for number in (-1, 0, 1):
        assert f'id="result-{number}" hx-swap-oob="true"' in part
    assert 'id="hints-0" hx-swap-oob="true"' in part
    # The lab now practises another exercise: the whole page again.
    assert client.get("/parts/results?exercise=0x0F-load_balancer").headers["hx-refresh"] == "true"


def test_a_hint_at_a_time_as_make_hint_gives_them(client, lab):
    for level in (1, 2, 3, 3):
        part = client.post("/tasks/0/hint", headers={"origin": ORIGIN})
        assert part.status_code == 200
        assert state.hint_level(PACK.id, 0, lab.ssh_config) == level
        assert part.text.count('class="hint"') == level
    assert str(escape(PACK.task(0).hints[2])) in part.text and "That was the last hint" in part.text


def test_the_solution_after_a_confirm_step(client):
    confirm = client.get("/tasks/1/solution/confirm").text
    assert "gives task 1 away" in confirm and 'hx-get="/tasks/1/solution"' in confirm
    shown = client.get("/tasks/1/solution").text
    assert "bash /home/ubuntu/0x0E-web_stack_debugging_1/1-debugging_made_short" in shown   # templates filled
    assert (PACK.solution / "1-debugging_made_short").read_text().splitlines()[-1] in shown
    again = client.get("/tasks/1/solution/apply").text           # the second confirm, nothing applied yet
    assert "web-01, web-02" in again and 'hx-post="/tasks/1/solution/apply"' in again


def test_an_unknown_task_is_a_page_not_a_trace(client):
    answer = client.get("/tasks/9/solution/confirm")
    assert answer.status_code == 404 and "has no task 9" in answer.text and "Traceback" not in answer.text
