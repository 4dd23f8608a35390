"""Disruptive checks (marker ``disruptive``: they stop, kill, reload, reboot, re-run
provisioners) run after the checks that only look, one at a time.

In one process the order does it: they are sorted last. Side by side (pytest-xdist,
``-n``) no public hook keeps them on one worker after the others, so a run with
``-n`` must leave them out (``-m "not disruptive"``) and a second run without
``-n`` takes them (``-m disruptive``): tests/run-infra.sh runs the two.
"""
from __future__ import annotations

import pytest

MARKER = "disruptive"


def pytest_configure(config: pytest.Config) -> None:
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        selection = " ".join((config.option.markexpr or "").split())
        if f"not {MARKER}" not in selection:
            raise pytest.UsageError(
                f"the lab suite's {MARKER} checks run one at a time: with -n, select "
                f"-m \"not {MARKER}\" (and run -m {MARKER} without -n), as tests/run-infra.sh does")


@pytest.hookimpl(trylast=True)      # after pytest's own reordering (by fixture scope)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.get_closest_marker(MARKER) is not None)
