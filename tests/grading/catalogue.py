"""The catalogue of test submissions: one folder per case, with expected.yml."""
from __future__ import annotations

from pathlib import Path

import yaml

CASES = Path(__file__).parent / "cases"
OWN_FILES = "lab-own-files"     # the repository's six files, graded with the cases


def cases() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if (p / "expected.yml").is_file())


def expected(case: Path) -> dict:
    return yaml.safe_load((case / "expected.yml").read_text(encoding="utf-8"))
