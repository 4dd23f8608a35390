"""The files a student hands in for an exercise (its pack's `files:`), read as handed in."""
from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path

from labtools import labdata
from labtools.exercise import pack as packs

# The kind of each pack file kind for the mapping and the conventions.
KINDS = {"nginx-site": "site", "systemd-unit": "unit", "bash-script": "script",
         "puppet-manifest": "manifest", "haproxy-config": "haproxy"}


def default_pack() -> packs.Pack:
    """The exercise the lab answers (lab.yml exercise.id): 0x1A."""
    return labdata.exercise_pack(labdata.section("exercise")["id"])


def files_of(pack: packs.Pack) -> dict[str, int]:
    """Each handed-in file with its task, in task order."""
    return dict(sorted(((name, spec.task) for name, spec in pack.files.items()), key=lambda item: item[1]))


# The reference exercise's files (0x1A), for callers that grade it.
_DEFAULT = default_pack()
FILES = files_of(_DEFAULT)
SITES = tuple(name for name, spec in _DEFAULT.files.items() if spec.kind == "nginx-site")
UNIT = labdata.exercise_unit()
RELOAD_SCRIPT = next(name for name, spec in _DEFAULT.files.items() if spec.kind == "bash-script")


def kind(name: str, pack: packs.Pack | None = None) -> str:
    """"site", "unit", "script", "manifest" or "haproxy": what a handed-in file is."""
    spec = (pack or _DEFAULT).files.get(name)
    if spec is None:
        raise KeyError(f"{name!r} is not one of the exercise's files")
    return KINDS[spec.kind]


@dataclass
class Submission:
    folder: Path
    pack: packs.Pack = field(default_factory=default_pack)
    texts: dict[str, str] = field(default_factory=dict)   # name -> text, line ends as handed in
    modes: dict[str, int] = field(default_factory=dict)   # name -> permission bits (0o755)
    missing: list[str] = field(default_factory=list)      # names not handed in, in task order
    crlf: list[str] = field(default_factory=list)         # names with Windows line ends
    named_as: dict[str, str] = field(default_factory=dict)  # name -> the other school's name it was found as

    def earlier(self, path: str) -> str | None:
        """The text of a file of the student's earlier project beside the exercise's
        folder in their repository (``path`` from the repository), if there is one."""
        found = self.folder.parent / path
        return found.read_text(encoding="utf-8", errors="replace") if found.is_file() else None


def load(folder: Path | str, pack: packs.Pack | None = None) -> Submission:
    """The exercise's files found in ``folder`` (or, when ``folder`` is the
    student's repository, in its folder named as the exercise). Bytes are kept as
    handed in (a CRLF file stays CRLF: it is reported, not repaired); bytes that
    are not UTF-8 become U+FFFD rather than stopping the grading."""
    folder = Path(folder)
    if not folder.is_dir():
        raise NotADirectoryError(f"no submission folder {folder}")
    pack = pack or _DEFAULT
    if (folder / pack.id).is_dir():
        folder = folder / pack.id
    found = Submission(folder, pack)
    for name in files_of(pack):
        path = next((folder / n for n in [name, *pack.files[name].also_named] if (folder / n).is_file()), None)
        if path is None:
            found.missing.append(name)
            continue
        if path.name != name:
            found.named_as[name] = path.name
        data = path.read_bytes()
        found.texts[name] = data.decode("utf-8", errors="replace")
        found.modes[name] = stat.S_IMODE(path.stat().st_mode)
        if b"\r\n" in data:
            found.crlf.append(name)
    return found
