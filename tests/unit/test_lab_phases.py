"""The lab suite's order (tests/infra/phases.py), on a small suite of its own run
in a pytest of its own: the checks that only look first, side by side with -n;
the disruptive ones after every one of those has finished, one at a time, on one
worker, in file order; each phase's time printed. No lab needed: the checks only
sleep and write down when they ran."""
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOOKING, DISRUPTIVE = 6, 3

CONFTEST = f"""
import sys
sys.path.insert(0, {str(ROOT / "tests" / "infra")!r})
import phases

def pytest_configure(config):
    config.pluginmanager.register(phases, "hbnb-lab-phases")
"""
# A check writes down its name, worker, start and end (seconds).
CHECK = """
import json, os, time, pytest

def ran(name, seconds):
    start = time.time()
    time.sleep(seconds)
    with open(os.environ["RUN_LOG"], "a") as log:
        log.write(json.dumps([name, os.environ.get("PYTEST_XDIST_WORKER", "main"), start, time.time()]) + "\\n")
"""
# The disruptive checks come first in the files: the order must not depend on that.
TESTS = CHECK + "".join(
    f"\n@pytest.mark.disruptive\ndef test_disruptive_{n}():\n    ran('disruptive_{n}', 0.1)\n" for n in range(DISRUPTIVE)
) + "".join(f"\ndef test_looks_{n}():\n    ran('looks_{n}', {0.2 + 0.1 * n})\n" for n in range(LOOKING))


def run_suite(folder: Path, *args: str) -> tuple[subprocess.CompletedProcess, list]:
    (folder / "pytest.ini").write_text("[pytest]\nmarkers =\n    disruptive: changes things\n")
    (folder / "conftest.py").write_text(CONFTEST)
    (folder / "test_suite.py").write_text(textwrap.dedent(TESTS))
    log = folder / "run.log"
    env = dict(os.environ, RUN_LOG=str(log), PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "xdist.plugin", "-p", "no:cacheprovider",
                             "-q", *args], cwd=folder, env=env, capture_output=True, text=True, timeout=120)
    runs = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    return result, runs


@pytest.mark.parametrize("workers", ["3", "0"])
def test_disruptive_checks_run_alone_after_the_others(tmp_path, workers):
    result, runs = run_suite(tmp_path, "-n", workers)
    assert result.returncode == 0, result.stdout + result.stderr
    looking = [run for run in runs if run[0].startswith("looks")]
    disruptive = [run for run in runs if run[0].startswith("disruptive")]
    assert (len(looking), len(disruptive)) == (LOOKING, DISRUPTIVE), runs
    last_look = max(end for _, _, _, end in looking)
    assert all(start >= last_look for _, _, start, _ in disruptive), (
        f"a disruptive check started before every check that looks had finished: {runs}")
    assert [name for name, *_ in disruptive] == [f"disruptive_{n}" for n in range(DISRUPTIVE)], "not in file order"
    assert len({worker for _, worker, _, _ in disruptive}) == 1, f"disruptive checks on several workers: {disruptive}"
    if workers != "0":
        assert len({worker for _, worker, _, _ in looking}) > 1, f"the checks that look did not run side by side: {looking}"
    assert f"lab suite: {LOOKING} checks that only look" in result.stdout, result.stdout
    assert f"lab suite: {DISRUPTIVE} disruptive checks, one at a time" in result.stdout, result.stdout


def test_another_distribution_mode_is_refused(tmp_path):
    result, runs = run_suite(tmp_path, "-n", "2", "--dist", "loadfile")
    assert result.returncode == 4, result.stdout + result.stderr
    assert "not --dist loadfile" in result.stderr + result.stdout
    assert runs == []
