"""The grader's catalogue against a practice lab (`make grade-catalogue`).

Every folder under cases/ is graded once, all of them spread over the practice
labs' web servers (session fixture ``graded``), and a few again after them all
(``graded_again``); each test then compares one case's verdicts with its
expected.yml. Needs a practice lab: LAB_MODE=practice make rebuild.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from catalogue import GRADED_AGAIN, OWN_FILES, cases
from labtools import labdata
from labtools.grading import submission


@pytest.fixture(scope="session")
def grade_labs():
    """The practice labs to grade on: GRADE_LABS, "LAB_FILE:SSH_CONFIG ..."
    (host/practice-labs.sh up N), else this checkout's lab; each checked to be up
    and in practice mode."""
    from labtools import grade

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
    return labs


@pytest.fixture(scope="session")
def graded(grade_labs, tmp_path_factory):
    """Case name -> its Graded, every case graded once on the practice labs."""
    from labtools import grade

    out = tmp_path_factory.mktemp("grade")
    # The lab's own six files, graded as a student's would be.
    own = out / "submissions" / OWN_FILES
    own.mkdir(parents=True)
    for name in submission.FILES:
        shutil.copy2(labdata.ROOT / name, own / name)
    results = grade.grade_class(cases() + [own], grade_labs, out)
    return {g.name: g for g in results}


@pytest.fixture(scope="session")
def graded_again(graded, grade_labs, tmp_path_factory):
    """Case name -> its Graded the second time: the cases of GRADED_AGAIN graded
    again after the whole catalogue, side by side on the labs' servers, each of
    which graded others before (as in a class run)."""
    from labtools import grade

    folders = [graded[name].folder for name in GRADED_AGAIN]
    results = grade.grade_class(folders, grade_labs, tmp_path_factory.mktemp("again"))
    return {g.name: g for g in results}
