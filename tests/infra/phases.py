"""The lab suite's two phases, in one pytest run (a plugin: conftest.py registers it).

First the checks that only look, side by side when pytest-xdist runs them
(``-n 3``: any worker takes any of them); then the disruptive ones (marker
``disruptive``: they stop, kill, reload, reboot, switch sites, re-run
provisioners), one at a time, in file order, once every check that looks has
finished, so no check sees another one's breakage. How:

- the disruptive checks are sorted after the others (a stable sort);
- with pytest-xdist, a scheduler of ours hands them out as one unit of work,
  after every other check (xdist's own ``xdist_group`` does not work with
  pytest 9.2's node IDs), so a single worker runs them all, in order; the
  workers name them in a file of the run folder, which the controller makes
  (and removes);
- that worker, before the first of them, waits until the workers have finished
  every check that looks: each worker adds a line per finished check to a file
  of its own in the run folder;
- at the end, one line per phase: how many checks, in how long.

Without pytest-xdist (plain ``pytest``) the order alone does it.
"""
from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import pytest

MARKER = "disruptive"
GROUP = "disruptive"            # their unit of work's name
STALLED_AFTER = 120             # s without a check that looks finishing: give up waiting
RUN_FOLDER = "hbnb_lab_run_folder"

_worker_id: str | None = None       # this process's xdist worker ("gw0"...); None: the controller
_run_folder: Path | None = None     # where the workers count the checks that look
_looking_total = 0                  # this run's checks that look (a worker's count)
_waited: str | None = None          # None: not yet; "": done; else why the wait failed
_disruptive_ids: set[str] = set()   # the disruptive checks' node IDs
_named_read = False                 # (controller) the workers' list of them read
_spans: dict[str, list[float]] = {}     # phase -> [first start, last stop, checks]


def _is_disruptive(item: pytest.Item) -> bool:
    return item.get_closest_marker(MARKER) is not None


def pytest_configure(config: pytest.Config) -> None:
    global _run_folder, _worker_id
    worker_input = getattr(config, "workerinput", None)
    if worker_input is not None:
        _worker_id = worker_input["workerid"]
        _run_folder = Path(worker_input[RUN_FOLDER])
    elif getattr(config.option, "dist", "no") != "no":
        if config.option.dist != "load":
            raise pytest.UsageError(f"the lab suite runs with -n (--dist load), not --dist {config.option.dist}: "
                                    "its disruptive checks must run on one worker, after the others")
        # Units of work in collection order (xdist would hand out the biggest first:
        # the disruptive one, whose worker would then wait on checks queued behind it).
        config.option.loadscopereorder = False
        _run_folder = Path(tempfile.mkdtemp(prefix="hbnb-lab-run-"))


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:
    """(controller, pytest-xdist) Tells each worker where the run folder is."""
    node.workerinput[RUN_FOLDER] = str(_run_folder)


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """(controller, pytest-xdist) Every check a unit of work of its own, except
    the disruptive ones: one unit, the last."""
    from xdist.scheduler import LoadScopeScheduling

    class DisruptiveLast(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return GROUP if nodeid in _disruptive_named_by_workers() else nodeid

    return DisruptiveLast(config, log)


def _disruptive_named_by_workers() -> set[str]:
    """(controller) The disruptive checks' node IDs: its own collection's without
    xdist; with it, as the workers collected them (read once; none when no worker
    got as far as collecting)."""
    global _named_read
    if _run_folder is not None and not _named_read:
        named = _run_folder / "disruptive"
        _disruptive_ids.update(named.read_text(encoding="utf-8").splitlines() if named.exists() else ())
        _named_read = True
    return _disruptive_ids


@pytest.hookimpl(trylast=True)      # after pytest's own reordering (by fixture scope)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=_is_disruptive)


@pytest.hookimpl(tryfirst=True)     # before the worker tells the controller it has collected
def pytest_collection_finish(session: pytest.Session) -> None:
    global _looking_total
    _looking_total = sum(not _is_disruptive(item) for item in session.items)
    _disruptive_ids.update(item.nodeid for item in session.items if _is_disruptive(item))
    if _worker_id is not None:
        named = _run_folder / f"disruptive.{_worker_id}"
        named.write_text("".join(f"{nodeid}\n" for nodeid in sorted(_disruptive_ids)), encoding="utf-8")
        named.replace(_run_folder / "disruptive")    # whole, as every worker collects the same


def pytest_runtest_logfinish(nodeid: str) -> None:
    """(worker) One more check that looks has finished."""
    if _worker_id is not None and nodeid not in _disruptive_ids:
        with open(_run_folder / f"worker-{_worker_id}", "a", encoding="utf-8") as counts:
            counts.write(nodeid + "\n")


def _looking_finished() -> int:
    return sum(len(path.read_text(encoding="utf-8").splitlines()) for path in _run_folder.glob("worker-*"))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """(worker) Before the first disruptive check: every check that looks done."""
    global _waited
    if _worker_id is None or not _is_disruptive(item):
        return
    if _waited is None:
        _waited = ""
        seen, since = -1, time.monotonic()
        while (finished := _looking_finished()) < _looking_total:
            if finished != seen:
                seen, since = finished, time.monotonic()
            elif time.monotonic() - since > STALLED_AFTER:
                _waited = (f"the disruptive checks did not start: {finished} of the {_looking_total} checks that "
                           f"only look had finished, none for {STALLED_AFTER} s (a worker crashed or was stopped?)")
                break
            time.sleep(0.05)
    if _waited:
        pytest.fail(_waited, pytrace=False)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """(controller) Each phase's first start, last stop and number of checks."""
    if _worker_id is not None:
        return
    disruptive = report.nodeid in _disruptive_named_by_workers()
    span = _spans.setdefault("disruptive" if disruptive else "looking", [report.start, report.stop, 0])
    span[0], span[1] = min(span[0], report.start), max(span[1], report.stop)
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        span[2] += 1


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    if _worker_id is not None:
        return
    workers = getattr(config.option, "numprocesses", None) or 1
    names = {"looking": f"checks that only look, {workers} at a time", "disruptive": "disruptive checks, one at a time"}
    for phase in ("looking", "disruptive"):
        if phase in _spans:
            first, last, count = _spans[phase]
            terminalreporter.write_line(f"lab suite: {count} {names[phase]}: {last - first:.1f} s")


def pytest_unconfigure(config: pytest.Config) -> None:
    if _worker_id is None and _run_folder is not None:
        shutil.rmtree(_run_folder, ignore_errors=True)
