"""The grader's catalogue against a practice lab (`make grade-catalogue`).

Every folder under cases/ is graded once, all of them spread over the practice
lab's web servers (module fixture); each test then compares one case's verdicts
with its expected.yml. Needs a practice lab: LAB_MODE=practice make rebuild.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from catalogue import OWN_FILES, cases
from labtools import labdata
from labtools.grading import submission


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    """Case name -> its Graded, every case graded once on the practice lab."""
    from labtools import grade

    # GRADE_LABS: "LAB_FILE:SSH_CONFIG ..." (host/practice-labs.sh up N), else this checkout's lab.
    given = os.environ.get("GRADE_LABS", "").split() or [f"{labdata.LAB_FILE}:{labdata.ROOT / '.vagrant' / 'ssh-config'}"]
    labs = [grade.Lab(Path(spec.split(":", 1)[0]), Path(spec.split(":", 1)[1])) for spec in given]
    for lab in labs:
        if not lab.ssh_config.is_file():
            pytest.exit(f"lab not up: no {lab.ssh_config} (LAB_MODE=practice make rebuild)", returncode=3)
    for web in [web for lab in labs for web in lab.web_servers()]:
        mode = web.root(f"grep -o '\"mode\": *\"[a-z]*\"' {labdata.facts_file()}", timeout=10).out.strip()
        if "practice" not in mode:
            pytest.exit(f"{web.name} is not a practice machine ({mode or 'no facts file'}): "
                        "LAB_MODE=practice make rebuild", returncode=3)
    out = tmp_path_factory.mktemp("grade")
    # The lab's own six files, graded as a student's would be.
    own = out / "submissions" / OWN_FILES
    own.mkdir(parents=True)
    for name in submission.FILES:
        shutil.copy2(labdata.ROOT / name, own / name)
    results = grade.grade_class(cases() + [own], labs, out)
    return {g.name: g for g in results}
