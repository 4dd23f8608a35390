"""The six files a student hands in for the exercise, read as handed in."""
from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path

from labtools import labdata

# The handed-in files (lab.yml's exercise:) in task order, each with its task:
# the sites their number (tasks 0 and 1 hand in none), the unit 6, the script 7.
SITES = tuple(labdata.section("exercise")["sites"])
UNIT = labdata.exercise_unit()
RELOAD_SCRIPT = labdata.section("exercise")["reload_script"]
FILES = {**{site: int(site.split("-", 1)[0]) for site in SITES}, UNIT: 6, RELOAD_SCRIPT: 7}


def kind(name: str) -> str:
    """"site", "unit" or "script": what a handed-in file is."""
    if name in SITES:
        return "site"
    if name == UNIT:
        return "unit"
    if name == RELOAD_SCRIPT:
        return "script"
    raise KeyError(f"{name!r} is not one of the exercise's files")


@dataclass
class Submission:
    folder: Path
    texts: dict[str, str] = field(default_factory=dict)   # name -> text, line ends as handed in
    modes: dict[str, int] = field(default_factory=dict)   # name -> permission bits (0o755)
    missing: list[str] = field(default_factory=list)      # names not handed in, in task order
    crlf: list[str] = field(default_factory=list)         # names with Windows line ends


def load(folder: Path | str) -> Submission:
    """The exercise's files found in ``folder``. Bytes are kept as handed in (a
    CRLF file stays CRLF: it is reported, not repaired); bytes that are not UTF-8
    become U+FFFD rather than stopping the grading."""
    folder = Path(folder)
    if not folder.is_dir():
        raise NotADirectoryError(f"no submission folder {folder}")
    found = Submission(folder)
    for name in FILES:
        path = folder / name
        if not path.is_file():
            found.missing.append(name)
            continue
        data = path.read_bytes()
        found.texts[name] = data.decode("utf-8", errors="replace")
        found.modes[name] = stat.S_IMODE(path.stat().st_mode)
        if b"\r\n" in data:
            found.crlf.append(name)
    return found
