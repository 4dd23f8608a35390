"""The exercise's conventions, graded apart from whether the files work.

The curriculum's checker may not enforce them (how strictly is not documented),
so a student sees both: "works" per task, and these findings. A missing file is
not a finding here: the grader reports it under its task.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass

from labtools.grading.submission import FILES, RELOAD_SCRIPT, SITES, UNIT, Submission

SHEBANG = "#!/usr/bin/env bash"
SHELLCHECK_TIMEOUT = 60
# shellcheck -f gcc: "file:line:column: severity: message [SC2086]"
GCC_LINE = re.compile(r"^(?P<file>.*?):(?P<line>\d+):(?P<column>\d+): (?P<message>.*)$")


@dataclass(frozen=True)
class Finding:
    file: str
    line: int        # 1 for what concerns the whole file
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def _has_comment(text: str, name: str) -> bool:
    # A unit's comments are whole lines (`#`, or systemd's `;`); Nginx also
    # takes one after a directive.
    if name == UNIT:
        return any(line.lstrip().startswith(("#", ";")) for line in text.splitlines())
    return any(re.search(r"(?:^|[\s;{}])#", line) for line in text.splitlines())


def _comments(submission: Submission) -> list[Finding]:
    return [Finding(name, 1, "no comment: every config file carries comments")
            for name in (*SITES, UNIT)
            if name in submission.texts and not _has_comment(submission.texts[name], name)]


def _script_head(submission: Submission) -> list[Finding]:
    text = submission.texts[RELOAD_SCRIPT]
    # A CRLF line end is its own finding, not a second wrong first line.
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    found = []
    if lines[0] != SHEBANG:
        found.append(Finding(RELOAD_SCRIPT, 1, f"first line is {lines[0]!r}, not {SHEBANG!r}"))
    second = lines[1] if len(lines) > 1 else ""
    if not re.match(r"#(?!!)\s*\S", second):
        found.append(Finding(RELOAD_SCRIPT, 2, "second line is not a comment saying what the script does"))
    if not submission.modes[RELOAD_SCRIPT] & 0o100:
        found.append(Finding(RELOAD_SCRIPT, 1, "not executable (chmod u+x)"))
    return found


def _shellcheck(submission: Submission) -> list[Finding]:
    """Shellcheck's findings on the script as handed in (the file itself, not
    its decoded text: a CRLF or a byte that is not UTF-8 is part of it)."""
    if shutil.which("shellcheck") is None:
        # Never reported as clean when it was not checked.
        return [Finding(RELOAD_SCRIPT, 1, "shellcheck could not be run (not installed on this host): not checked")]
    try:
        run = subprocess.run(["shellcheck", "-f", "gcc", RELOAD_SCRIPT], cwd=submission.folder,
                             capture_output=True, text=True, errors="replace", timeout=SHELLCHECK_TIMEOUT)
    except subprocess.TimeoutExpired:
        return [Finding(RELOAD_SCRIPT, 1, f"shellcheck did not finish in {SHELLCHECK_TIMEOUT} s: not checked")]
    found = []
    for line in run.stdout.splitlines():
        if match := GCC_LINE.match(line):
            found.append(Finding(RELOAD_SCRIPT, int(match["line"]),
                                 f"shellcheck: column {match['column']}: {match['message']}"))
    # 0: clean, 1: findings (listed above); anything else: shellcheck itself failed.
    if run.returncode not in (0, 1) or (run.returncode == 1 and not found):
        why = (run.stderr.strip() or run.stdout.strip() or f"exit status {run.returncode}").splitlines()[0]
        found.append(Finding(RELOAD_SCRIPT, 1, f"shellcheck could not check the script: {why}"))
    return found


def _crlf(submission: Submission) -> list[Finding]:
    found = []
    for name in submission.crlf:
        first = next(number for number, line in enumerate(submission.texts[name].split("\n"), start=1)
                     if line.endswith("\r"))
        found.append(Finding(name, first, "Windows (CRLF) line ends: save with Unix (LF) line ends"))
    return found


def check(submission: Submission) -> list[Finding]:
    """The convention findings of the handed-in files, in task order, then by line."""
    found = _comments(submission) + _crlf(submission)
    if RELOAD_SCRIPT in submission.texts:
        found += _script_head(submission) + _shellcheck(submission)
    order = list(FILES)
    return sorted(found, key=lambda finding: (order.index(finding.file), finding.line))
