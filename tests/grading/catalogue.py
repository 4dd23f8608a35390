"""The catalogues of test submissions: one folder per case under each exercise
pack's cases/ (exercises/<id>/cases/<case>/), with expected.yml."""
from __future__ import annotations

from pathlib import Path

import yaml

from labtools.exercise import pack as packs

OWN_FILES = "lab-own-files"     # the reference lab's files (0x1A's solution), graded with the cases
# Graded again after everything else: the lab's own files, a reload script that
# signals every Gunicorn, a unit that cannot be enabled (0x1A's).
GRADED_AGAIN = (OWN_FILES, "reload-pkill-hup-all", "unit-no-install-section")
REFERENCE = "0x1A-application_server"


def graded_packs() -> list[packs.Pack]:
    """Every pack with a catalogue, the reference exercise first."""
    found = [packs.load(i) for i in packs.ids() if (packs.EXERCISES / i / "cases").is_dir()]
    return sorted(found, key=lambda p: (p.id != REFERENCE, p.id))


def cases(pack: packs.Pack) -> list[Path]:
    folder = pack.folder / "cases"
    return sorted(p for p in folder.iterdir() if (p / "expected.yml").is_file()) if folder.is_dir() else []


def all_cases() -> list[tuple[packs.Pack, Path]]:
    return [(pack, case) for pack in graded_packs() for case in cases(pack)]


def expected(case: Path) -> dict:
    return yaml.safe_load((case / "expected.yml").read_text(encoding="utf-8"))
