"""The catalogue of test submissions: one folder per case, with expected.yml."""
from __future__ import annotations

from pathlib import Path

import yaml

CASES = Path(__file__).parent / "cases"
OWN_FILES = "lab-own-files"     # the repository's six files, graded with the cases
# Graded again after everything else: the lab's own files, a reload script that
# signals every Gunicorn, a unit that cannot be enabled.
GRADED_AGAIN = (OWN_FILES, "reload-pkill-hup-all", "unit-no-install-section")


def cases() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if (p / "expected.yml").is_file())


def expected(case: Path) -> dict:
    return yaml.safe_load((case / "expected.yml").read_text(encoding="utf-8"))
