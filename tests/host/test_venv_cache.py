"""The web servers' virtual environment and the host's venv cache (provision/lib.sh's
ensure_venv): one machine builds it and the others unpack it, also when two start at
the same moment (a first `make up`: both web servers provision side by side)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# One "machine": lib.sh's ensure_venv with its folders in the test's own. apt is not
# what is tested (the host's Python has venv), so ensure_packages does nothing.
MACHINE = r"""
set -euo pipefail
. provision/lib.sh
ensure_packages() { :; }
LIB_NAME=$1 PROJECT_DIR=$2 APP_ROOT=$3 VENV_CACHE=$4
APP_DIR=$PROJECT_DIR/app VENV_DIR=$APP_ROOT/venv
if ensure_venv; then echo "venv: made"; else echo "venv: up to date"; fi
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A project whose app pins Flask and Gunicorn (what ensure_venv checks an
    unpacked venv imports), with a wheelhouse for this host's Python."""
    project = tmp_path_factory.mktemp("project")
    (project / "app").mkdir()
    (project / "app" / "requirements.txt").write_text("flask\ngunicorn\n")
    wheels = project / ".cache" / "wheels"
    # The wheels of the python3 lib.sh runs, fetched by the tests' own pip (that
    # python3 may have none) with the host's pip configuration.
    version = subprocess.run(["python3", "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    done = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
                           "--only-binary=:all:", "--python-version", version, "-d", str(wheels),
                           "-r", str(project / "app" / "requirements.txt")],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, f"pip download: {done.stderr}"
    (wheels / f".stamp-{version}").touch()
    return project


def machine(name: str, project: Path, root: Path, cache: Path) -> subprocess.Popen:
    root.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(["bash", "-c", MACHINE, "ensure_venv", name, str(project), str(root), str(cache)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"})


def finished(proc: subprocess.Popen) -> str:
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0, out
    return out


def test_two_machines_starting_together_build_the_venv_once(project, tmp_path):
    cache = tmp_path / "venv-cache"
    first, second = (machine(name, project, tmp_path / name, cache) for name in ("web-01", "web-02"))
    outputs = [finished(first), finished(second)]
    built = [out for out in outputs if "building" in out]
    unpacked = [out for out in outputs if "(from " in out]
    assert len(built) == 1 and len(unpacked) == 1, "\n---\n".join(outputs)
    for name in ("web-01", "web-02"):
        venv_python = tmp_path / name / "venv" / "bin" / "python"
        check = subprocess.run([str(venv_python), "-c", "import flask, gunicorn"], capture_output=True, text=True)
        assert check.returncode == 0, f"{name}: {check.stderr}"


def test_a_cache_that_cannot_be_written_only_loses_the_sharing(project, tmp_path):
    # A provider without a shared folder there, or one that refuses files: built all the same.
    out = finished(machine("web-01", project, tmp_path / "web-01", Path(os.devnull) / "venv-cache"))
    assert "building" in out and "changed: virtual environment" in out, out
    assert (tmp_path / "web-01" / "venv" / "bin" / "gunicorn").exists()


def test_an_unchanged_venv_is_left_alone(project, tmp_path):
    cache = tmp_path / "venv-cache"
    finished(machine("web-01", project, tmp_path / "web-01", cache))
    again = finished(machine("web-01", project, tmp_path / "web-01", cache))
    assert "venv: up to date" in again and "building" not in again and "changed" not in again, again
