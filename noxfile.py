"""The apps' unit tests on each Python the students' machines have: 3.10 to 3.13.

    .venv/bin/nox -s unit           # all four, one after the other
    .venv/bin/nox -s unit-3.12      # one of them
    .venv/bin/nox -s unit -- tests/unit/models -x   # arguments go to tests/run-unit.sh

Each session installs requirements.txt and the unit tests' tools (pinned in
requirements-dev.txt and the requirements-checks.txt it includes, taken from
there by name) into its own virtualenv under
.cache/nox/, then runs tests/run-unit.sh with that virtualenv's pytest
(HBNB_PYTEST): both storage engines, file then db against the local MariaDB
that tests/mysql-server.sh starts and sets up, as `make unit` does. The browser
test is part of it: Chromium and its driver are Debian's (/usr/bin), Selenium
is a pip package like the others.

Interpreters: nox looks for python3.X on PATH. pyenv's shims answer only for
the versions pyenv has made active, so this file puts the bin folder of each
version pyenv installed (`pyenv root`/versions/3.X.Y/bin, newest patch first)
in front of pyenv's shims on PATH, or after everything else when the shims are
not on PATH: no one edits PATH by hand. A Python missing from the machine
fails its session (nox downloads none: `pyenv install 3.X` brings it).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
# What the unit and browser tests import beyond the apps' requirements: pytest,
# its xdist plugin (a test runs pytest -n 2), the OpenAPI validator, PyYAML (lab.yml),
# Selenium. The rest of requirements-dev.txt (testinfra, schemathesis, matplotlib)
# is for the lab suite and the benchmarks; schemathesis and matplotlib need 3.11+.
UNIT_TOOLS = ("pytest", "pytest-xdist", "openapi-spec-validator", "pyyaml", "selenium")

nox.options.sessions = ["unit"]
nox.options.envdir = str(ROOT / ".cache" / "nox")
nox.options.error_on_missing_interpreters = True
nox.options.download_python = "never"


def _pyenv_root() -> Path | None:
    if shutil.which("pyenv"):
        try:
            answer = subprocess.run(["pyenv", "root"], capture_output=True, text=True,
                                    check=True, timeout=30)
            if answer.stdout.strip():
                return Path(answer.stdout.strip())
        except (OSError, subprocess.SubprocessError):
            pass
    root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    return Path(root) if os.path.isdir(root) else None


def _pyenv_python_paths() -> None:
    """pyenv's CPython bin folders on PATH, before its shims if they are there."""
    root = _pyenv_root()
    if root is None or not (root / "versions").is_dir():
        return
    releases = []
    for version in (root / "versions").iterdir():
        # CPython releases of PYTHONS only (3.12.1), not virtualenvs, PyPy or -dev builds.
        match = re.fullmatch(r"(\d+\.\d+)\.(\d+)", version.name)
        if match and match.group(1) in PYTHONS and (version / "bin").is_dir():
            number = tuple(int(part) for part in version.name.split("."))
            releases.append((number, str(version / "bin")))
    bins = [folder for _, folder in sorted(releases, reverse=True)]
    path = [entry for entry in os.environ.get("PATH", "").split(os.pathsep)
            if entry and entry not in bins]
    shims = [index for index, entry in enumerate(path)
             if entry.startswith(str(root)) and entry.rstrip("/").endswith("shims")]
    at = shims[0] if shims else len(path)
    os.environ["PATH"] = os.pathsep.join(path[:at] + bins + path[at:])


def _requirement_lines(requirements: Path) -> list[str]:
    """The lines of ``requirements``, those of the files it includes (-r) in their place."""
    lines = []
    for line in requirements.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            lines += _requirement_lines(requirements.parent / line[3:].strip())
        elif line:
            lines.append(line)
    return lines


def _pins(requirements: Path, names: tuple[str, ...]) -> list[str]:
    """The lines of ``requirements`` (and of what it includes) that pin ``names``
    (one home for each version)."""
    def canonical(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    pins = {}
    for line in _requirement_lines(requirements):
        match = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*==", line)
        if match:
            pins[canonical(match.group(1))] = line
    missing = [name for name in names if canonical(name) not in pins]
    if missing:
        raise RuntimeError(f"{requirements.name} pins no {', '.join(missing)}")
    return [pins[canonical(name)] for name in names]


_pyenv_python_paths()


@nox.session(python=PYTHONS)
def unit(session: nox.Session) -> None:
    """Unit and browser tests on both storage engines (tests/run-unit.sh)."""
    started = time.monotonic()
    session.install("-r", str(ROOT / "requirements.txt"),
                    *_pins(ROOT / "requirements-dev.txt", UNIT_TOOLS))
    installed = time.monotonic()
    session.run("python", "-c",
                "import os, sys; print(sys.version, os.path.realpath(sys.executable))")
    try:
        session.run(str(ROOT / "tests" / "run-unit.sh"), *session.posargs, external=True,
                    env={"HBNB_PYTEST": str(Path(session.bin) / "pytest")})
    finally:
        done = time.monotonic()
        session.log(f"{session.name}: install {installed - started:.0f} s, "
                    f"tests {done - installed:.0f} s, total {done - started:.0f} s")
