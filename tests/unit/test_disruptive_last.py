"""tests/infra/disruptive_last.py on a small suite of its own (no lab needed): the
disruptive checks run last in one process, and a run with -n must leave them out."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFTEST = f"""
import sys
sys.path.insert(0, {str(ROOT / "tests" / "infra")!r})
import disruptive_last

def pytest_configure(config):
    config.pluginmanager.register(disruptive_last, "disruptive-last")
"""
# The disruptive checks come first in the file: the order must not depend on that.
CHECKS = """
import pytest

@pytest.mark.disruptive
def test_breaks_a():
    pass

def test_looks_a():
    pass

@pytest.mark.disruptive
def test_breaks_b():
    pass

def test_looks_b():
    pass
"""


@pytest.fixture
def suite(tmp_path):
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "test_suite.py").write_text(CHECKS)
    (tmp_path / "pytest.ini").write_text("[pytest]\nmarkers =\n    disruptive: breaks things\n")
    return tmp_path


def pytest_run(folder, *args):
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:randomly",
                           "-v", *args], cwd=folder, capture_output=True, text=True, check=False)


def test_disruptive_checks_run_last_in_file_order(suite):
    result = pytest_run(suite)
    assert result.returncode == 0, result.stdout + result.stderr
    ran = [line.split("::")[1].split()[0] for line in result.stdout.splitlines() if "PASSED" in line]
    assert ran == ["test_looks_a", "test_looks_b", "test_breaks_a", "test_breaks_b"]


def test_parallel_run_must_leave_disruptive_checks_out(suite):
    refused = pytest_run(suite, "-n", "2")
    assert refused.returncode == 4, refused.stdout + refused.stderr
    assert "not disruptive" in refused.stderr
    looking = pytest_run(suite, "-n", "2", "-m", "not disruptive")
    assert looking.returncode == 0 and "2 passed" in looking.stdout, looking.stdout + looking.stderr
