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

from labtools.grading.submission import Submission, files_of, kind

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


def _has_comment(text: str, file_kind: str) -> bool:
    # A unit's comments are whole lines (`#`, or systemd's `;`); Nginx, HAProxy
    # and Puppet also take one after a directive.
    if file_kind == "unit":
        return any(line.lstrip().startswith(("#", ";")) for line in text.splitlines())
    return any(re.search(r"(?:^|[\s;{}])#", line) for line in text.splitlines())


def _comments(submission: Submission) -> list[Finding]:
    """Every config file carries comments (a script's comment is its second line)."""
    return [Finding(name, 1, "no comment: every config file carries comments")
            for name, text in submission.texts.items()
            if kind(name, submission.pack) != "script" and not _has_comment(text, kind(name, submission.pack))]


def _script_head(submission: Submission, script: str) -> list[Finding]:
    text = submission.texts[script]
    # A CRLF line end is its own finding, not a second wrong first line.
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    found = []
    if lines[0] != SHEBANG:
        found.append(Finding(script, 1, f"first line is {lines[0]!r}, not {SHEBANG!r}"))
    second = lines[1] if len(lines) > 1 else ""
    if not re.match(r"#(?!!)\s*\S", second):
        found.append(Finding(script, 2, "second line is not a comment saying what the script does"))
    if not submission.modes[script] & 0o100:
        found.append(Finding(script, 1, "not executable (chmod u+x)"))
    return found


def _shellcheck(submission: Submission, script: str) -> list[Finding]:
    """Shellcheck's findings on the script as handed in (the file itself, not
    its decoded text: a CRLF or a byte that is not UTF-8 is part of it)."""
    if shutil.which("shellcheck") is None:
        # Never reported as clean when it was not checked.
        return [Finding(script, 1, "shellcheck could not be run (not installed on this host): not checked")]
    try:
        # The file as named in the folder (another school's name: Submission.named_as).
        run = subprocess.run(["shellcheck", "-f", "gcc", submission.named_as.get(script, script)], cwd=submission.folder,
                             capture_output=True, text=True, errors="replace", timeout=SHELLCHECK_TIMEOUT)
    except subprocess.TimeoutExpired:
        return [Finding(script, 1, f"shellcheck did not finish in {SHELLCHECK_TIMEOUT} s: not checked")]
    found = []
    for line in run.stdout.splitlines():
        if match := GCC_LINE.match(line):
            found.append(Finding(script, int(match["line"]),
                                 f"shellcheck: column {match['column']}: {match['message']}"))
    # 0: clean, 1: findings (listed above); anything else: shellcheck itself failed.
    if run.returncode not in (0, 1) or (run.returncode == 1 and not found):
        why = (run.stderr.strip() or run.stdout.strip() or f"exit status {run.returncode}").splitlines()[0]
        found.append(Finding(script, 1, f"shellcheck could not check the script: {why}"))
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
    for name in submission.texts:
        if kind(name, submission.pack) == "script":
            found += _script_head(submission, name) + _shellcheck(submission, name)
    order = list(files_of(submission.pack))
    return sorted(found, key=lambda finding: (order.index(finding.file), finding.line))
