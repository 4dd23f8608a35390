"""The README's commands on a host that lacks a tool: `make up`, `make check`,
`make grade` and `make destroy`, each run with a PATH missing Ruby, Vagrant, LXC,
Docker or Python in turn. Where the command needs the tool, the host set-up asks
apt for it (a stub here: the test installs nothing) and, the tool still missing,
the command stops naming it; where it does not, the command ends as it does with
every tool there. No host script stops without saying why, and none calls a
function that dies where its error output is thrown away.

Each run is in a copy of the tree with its own lab file (another network and
bridge, nothing up there), so nothing of a running lab is touched.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Each tool as the commands name it, with the executables a host without it lacks.
TOOLS = {
    "ruby": re.compile(r"^(ruby|irb|erb|gem)[0-9.]*$"),
    "vagrant": re.compile(r"^vagrant$"),
    "lxc": re.compile(r"^lxc-"),
    "docker": re.compile(r"^docker(d|-init|-proxy)?$"),
    "python": re.compile(r"^python[0-9.]*(-config)?$|^pip[0-9.]*$|^pydoc"),
}
# The Debian package the set-up installs for each (lab-lib.sh's lab_tools_of), and
# how an error names the tool.
PACKAGES = {"ruby": "ruby", "vagrant": "vagrant", "lxc": "lxc", "docker": "docker.io", "python": "python3"}
NAMED = {"ruby": r"\bruby\b", "vagrant": r"\bvagrant\b", "lxc": r"\blxc-(create|usernsexec)\b",
         "docker": r"\bdocker\b", "python": r"\bpython3\b"}
# The entry points: make target, extra environment. make up is run with the
# provider that needs the tool (LXC or Docker), so that it is always needed there.
ENTRIES = {
    "up": (["up"], {}),
    "check": (["check"], {}),
    "grade": (["grade", "SUBMISSION=exercises/0x1A-application_server/cases/correct-usr-bin"], {}),
    "destroy": (["destroy"], {}),
}
# (entry, tool) pairs where the command needs the tool, with no lab up: the rest
# must end as they do with every tool there. `make up` sets up the host: it asks
# apt for what is missing first; the others name what is missing.
INSTALLED = {("up", tool) for tool in TOOLS}
NEEDED = INSTALLED | {("check", "vagrant"), ("check", "python"), ("grade", "vagrant"), ("grade", "python"),
                      ("destroy", "ruby")}


@pytest.fixture(scope="module")
def tree() -> Path:
    """A copy of the tracked tree, its lab file moved to another network and bridge,
    sharing this checkout's .venv (the checks' tools; none is installed here). In a
    folder the containers could reach, as a user's clone is (pytest's are closed)."""
    if os.geteuid() != 0:
        pytest.skip("the host set-up's apt path is root's; run as root (CI does)")
    top = Path(tempfile.mkdtemp(prefix="first-run-", dir="/tmp"))
    top.chmod(0o755)
    copy = top / "lab"
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    if (ROOT / ".venv").is_dir():
        (copy / ".venv").symlink_to(ROOT / ".venv")
    relocated = subprocess.run(["ruby", "host/labfile.rb", "relocate", "192.168.199", "hbnblab199"], cwd=copy,
                               capture_output=True, text=True, check=True).stdout
    (copy / "first-run.yml").write_text(relocated)
    yield copy
    shutil.rmtree(top, ignore_errors=True)


def path_without(tool: str | None, stubs: Path) -> str:
    """A PATH of one folder: every command of this PATH (the first of each name),
    but those of ``tool``, and an apt-get stub that records what it is asked."""
    folder = stubs / f"path-without-{tool or 'nothing'}"
    if not folder.is_dir():
        folder.mkdir()
        for directory in os.environ["PATH"].split(os.pathsep):
            if not os.path.isdir(directory):
                continue
            for name in os.listdir(directory):
                target = Path(directory) / name
                if (folder / name).exists() or (tool and TOOLS[tool].match(name)) or not os.access(target, os.X_OK):
                    continue
                if target.is_file():
                    (folder / name).symlink_to(target)
        for name in ("apt-get",):
            (folder / name).unlink(missing_ok=True)
            (folder / name).write_text(f"#!{shutil.which('bash')}\necho \"$*\" >> \"$APT_LOG\"\nexit 0\n")
            (folder / name).chmod(0o755)
    return str(folder)


def run(tree: Path, stubs: Path, entry: str, tool: str | None) -> tuple[subprocess.CompletedProcess, str]:
    """``make ENTRY`` in the copy with a PATH lacking TOOL; (result, what apt-get was asked)."""
    args, extra = ENTRIES[entry]
    apt_log = stubs / f"apt-{entry}-{tool}.log"
    apt_log.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LAB_", "VAGRANT_"))}
    env.update(extra, PATH=path_without(tool, stubs), LAB_FILE="first-run.yml", APT_LOG=str(apt_log),
               VAGRANT_HOME=str(stubs / "vagrant-home"))
    if entry == "up":
        env["LAB_PROVIDER"] = "docker" if tool == "docker" else "lxc"
    done = subprocess.run(["make", "--no-print-directory", *args], cwd=tree, env=env, capture_output=True,
                          text=True, timeout=300, check=False, stdin=subprocess.DEVNULL)
    return done, apt_log.read_text() if apt_log.is_file() else ""


@pytest.fixture(scope="module")
def outcomes(tree, tmp_path_factory) -> dict:
    """(entry, tool or None) -> (result, apt-get's log), every run side by side."""
    stubs = tmp_path_factory.mktemp("stubs")
    (stubs / "vagrant-home").mkdir()
    keys = [(entry, tool) for entry in ENTRIES for tool in TOOLS] + [(entry, None) for entry in ENTRIES if entry != "up"]
    for tool in [None, *TOOLS]:
        path_without(tool, stubs)   # made once, before the runs share them
    with ThreadPoolExecutor(max_workers=4) as pool:
        done = dict(zip(keys, pool.map(lambda key: run(tree, stubs, *key), keys)))
    return done


def said(result: subprocess.CompletedProcess) -> str:
    return result.stdout + result.stderr


def last_error(result: subprocess.CompletedProcess) -> str:
    errors = [line for line in result.stderr.splitlines() if "error:" in line and not line.startswith("make")]
    return errors[-1] if errors else ""


@pytest.mark.parametrize("entry, tool", sorted(NEEDED))
def test_a_missing_tool_is_installed_or_named(outcomes, entry, tool):
    result, apt = outcomes[(entry, tool)]
    assert result.returncode != 0, f"make {entry} without {tool} passed:\n{said(result)[-2000:]}"
    errors = [line.lower() for line in result.stderr.splitlines() if "error:" in line]
    assert any(re.search(NAMED[tool], line) for line in errors), (
        f"make {entry} without {tool}: no error names it: {errors!r}\n{said(result)[-2000:]}")
    if (entry, tool) not in INSTALLED:
        return
    # Root on a Debian host: the set-up asked apt for the tool's package first.
    assert re.search(rf"\binstall\b.*\b{re.escape(PACKAGES[tool])}\b", apt), (
        f"make {entry} without {tool}: apt-get was not asked for {PACKAGES[tool]} (asked: {apt!r})")


@pytest.mark.parametrize("entry, tool", sorted((e, t) for e in ENTRIES for t in TOOLS if (e, t) not in NEEDED))
def test_a_tool_a_command_does_not_need_changes_nothing(outcomes, entry, tool):
    result, _ = outcomes[(entry, tool)]
    baseline, _ = outcomes[(entry, None)]
    assert (result.returncode, last_error(result)) == (baseline.returncode, last_error(baseline)), (
        f"make {entry} without {tool} ends otherwise than with it:\n{said(result)[-1500:]}\n--- with it:\n"
        f"{said(baseline)[-1500:]}")


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e != "up"])
def test_no_command_fails_without_saying_why(outcomes, entry):
    for tool in [None, *TOOLS]:
        result, _ = outcomes[(entry, tool)]
        if result.returncode != 0:
            assert last_error(result), f"make {entry} (without {tool}) failed and said no error:\n{said(result)[-1500:]}"


def test_destroy_of_recorded_machines_without_vagrant_names_it(tree, tmp_path):
    recorded = tree / ".vagrant" / "machines" / "web-01" / "lxc"
    recorded.mkdir(parents=True, exist_ok=True)
    (recorded / "id").write_text("first-run-test-container\n")
    try:
        result, _ = run(tree, tmp_path, "destroy", "vagrant")
    finally:
        shutil.rmtree(tree / ".vagrant")
    assert result.returncode != 0 and "vagrant" in last_error(result), said(result)[-1500:]


# --- no message thrown away -------------------------------------------------------

FUNCTION = re.compile(r"^(\s*)([a-z_][a-z0-9_]*)\(\) *\{(.*)$")
DISCARDS_ERRORS = re.compile(r"2>\s*/dev/null|&>\s*/dev/null|>\s*/dev/null\s+2>&1")


def function_bodies(text: str) -> dict[str, str]:
    """name -> body of each shell function: a one-line `f() { ...; }`, or the lines
    up to the `}` at the definition's indentation."""
    bodies = {}
    lines = text.splitlines()
    for number, line in enumerate(lines):
        match = FUNCTION.match(line)
        if not match:
            continue
        indent, name, rest = match.groups()
        if rest.split(" #", 1)[0].rstrip().endswith("}"):
            bodies[name] = rest
            continue
        body = []
        for inner in lines[number + 1:]:
            if inner == f"{indent}}}":
                break
            body.append(inner)
        bodies[name] = "\n".join(body)
    return bodies


def dying_functions(texts: dict[str, str]) -> set[str]:
    """Shell functions that can end a script with lab_die's message: those that
    call lab_die, or call a function that does."""
    bodies: dict[str, str] = {}
    for text in texts.values():
        bodies.update(function_bodies(text))
    dying = {"lab_die"}
    while True:
        more = {name for name, body in bodies.items()
                if name not in dying and any(re.search(rf"(?<![\w-]){call}(?![\w-])", body) for call in dying)}
        if not more:
            return dying
        dying |= more


def test_no_dying_function_is_called_with_its_errors_discarded():
    scripts = {p for p in (ROOT / "host").rglob("*") if p.is_file() and p.read_text(errors="replace").startswith("#!")}
    texts = {str(p.relative_to(ROOT)): p.read_text() for p in scripts}
    dying = dying_functions(texts) - {"lab_die"}
    assert {"lab_rb", "lab_require_tools", "lab_provider"} <= dying, f"the parse found {sorted(dying)}"
    found = []
    for name, text in texts.items():
        for number, line in enumerate(text.splitlines(), start=1):
            code = line.split(" #", 1)[0]
            if FUNCTION.match(code):
                continue
            for call in dying:
                for match in re.finditer(rf"(?<![\w-]){call}(?![\w-])", code):
                    # The command the call starts: up to the next separator.
                    command = re.split(r";|\|\||&&|\||\)|`", code[match.end():])[0]
                    if DISCARDS_ERRORS.search(command):
                        found.append(f"{name}:{number}: {call}: {line.strip()}")
    assert not found, "errors of functions that stop the script thrown away:\n" + "\n".join(found)


def test_every_host_script_traps_its_errors():
    """Every host script sources lab-lib.sh, whose ERR trap names a failed command."""
    lib = (ROOT / "host" / "lab-lib.sh").read_text()
    assert "set -E" in lib and "trap 'lab_failed" in lib
    for script in (ROOT / "host").glob("*.sh"):
        if script.name == "lab-lib.sh":
            continue
        assert re.search(r"^source host/lab-lib\.sh$", script.read_text(), re.M), f"{script.name} does not source lab-lib.sh"


def test_the_err_trap_names_the_failed_command(tmp_path):
    script = tmp_path / "fails.sh"
    script.write_text(f"#!/usr/bin/env bash\nset -euo pipefail\nlab_tool=demo\nsource {ROOT}/host/lab-lib.sh\n"
                      "true\nls /no/such/folder >/dev/null\necho never\n")
    done = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 2 and "never" not in done.stdout
    assert re.search(r"demo: error: .*fails.sh line 6: `ls /no/such/folder[^`]*` failed \(exit 2\)", done.stderr), done.stderr


# --- apt: the first attempt's errors -----------------------------------------------

def test_the_first_apt_attempts_error_is_not_shown_when_the_retry_succeeds(tmp_path):
    """A stale package list fails the first install; the lists are refreshed and the
    second succeeds: nothing of the first is shown."""
    stub = tmp_path / "apt-get"
    stub.write_text(f"#!{shutil.which('bash')}\n"
                    "case \"$*\" in *update*) : > \"$STATE\"; exit 0 ;; esac\n"
                    "[ -e \"$STATE\" ] && exit 0\n"
                    "echo 'E: Unable to correct problems, you have held broken packages.' >&2; exit 100\n")
    stub.chmod(0o755)
    env = dict(os.environ, PATH=f"{tmp_path}:{os.environ['PATH']}", STATE=str(tmp_path / "updated"))
    done = subprocess.run(["bash", "-c", f"source {ROOT}/host/lab-lib.sh && lab_apt_install somepackage"],
                          env=env, capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 0 and "Unable to correct" not in done.stderr, done.stderr
    # Both attempts failing: the errors are shown.
    (tmp_path / "updated").unlink()
    stub.write_text(f"#!{shutil.which('bash')}\necho 'E: Unable to locate package nosuch' >&2; exit 100\n")
    done = subprocess.run(["bash", "-c", f"source {ROOT}/host/lab-lib.sh && lab_apt_install nosuch"],
                          env=env, capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode != 0 and "Unable to locate package nosuch" in done.stderr


# --- LAB_FILE holds for every command ---------------------------------------------

def test_grading_a_class_uses_the_lab_file_given(tree):
    """`make grade-class` grades on the labs host/practice-labs.sh prints: the first
    is this folder's own, with LAB_FILE's lab file, not lab.yml."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAB_")}
    env["LAB_FILE"] = "first-run.yml"
    for command in (["host/practice-labs.sh", "up", "1"], ["host/practice-labs.sh", "list"]):
        done = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 0, done.stderr
        first = done.stdout.splitlines()[0]
        assert first == f"{tree}/first-run.yml:{tree}/.vagrant/ssh-config", first
    grade = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-c",
                            "from labtools import grade, labdata; print(labdata.LAB_FILE)"],
                           cwd=tree, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert grade.stdout.strip() == str(tree / "first-run.yml"), grade.stderr


def test_a_project_the_containers_cannot_reach_is_refused_with_what_to_do():
    """A project under a folder closed to others (a mktemp -d folder, /root) cannot be
    mounted into the unprivileged containers: make up says so before making any."""
    top = Path(tempfile.mkdtemp(dir="/tmp"))   # /tmp: open to all (pytest's own folders are not)
    try:
        (top / "lab").mkdir()
        top.chmod(0o700)
        check = ["bash", "-c", f"source {ROOT}/host/lab-lib.sh && lxc_check_project_reachable"]
        done = subprocess.run(check, cwd=top / "lab", capture_output=True, text=True, timeout=30, check=False)
        assert done.returncode == 1 and f"{top} is mode 700" in done.stderr and "chmod o+x" in done.stderr
        top.chmod(0o755)
        opened = subprocess.run(check, cwd=top / "lab", capture_output=True, text=True, timeout=30, check=False)
        assert opened.returncode == 0, opened.stderr
    finally:
        shutil.rmtree(top)
