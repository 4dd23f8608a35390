"""The grader's catalogues against practice labs (`make grade-catalogue`).

Every case folder of every exercise pack (exercises/<id>/cases/) is graded once,
each pack's cases spread over the practice labs' slots (session fixture
``graded``), and a few again after them all (``graded_again``); each test then
compares one case's verdicts with its expected.yml. Needs a practice lab:
LAB_MODE=practice make rebuild (GRADE_LABS: more of them, host/practice-labs.sh).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from catalogue import GRADED_AGAIN, OWN_FILES, REFERENCE, cases, graded_packs
from labtools import labdata
from labtools.exercise import install


def lab_specs() -> list[str]:
    return os.environ.get("GRADE_LABS", "").split() or [f"{labdata.LAB_FILE}:{labdata.ROOT / '.vagrant' / 'ssh-config'}"]


@pytest.fixture(scope="session")
def grade_labs():
    """The practice labs to grade on: GRADE_LABS, "LAB_FILE:SSH_CONFIG ..."
    (host/practice-labs.sh up N), else this checkout's lab; each checked to be up
    and in practice mode."""
    from labtools import grade

    labs = [grade.Lab(Path(spec.split(":", 1)[0]), Path(spec.split(":", 1)[1])) for spec in lab_specs()]
    for lab in labs:
        if not lab.ssh_config.is_file():
            pytest.exit(f"lab not up: no {lab.ssh_config} (LAB_MODE=practice make rebuild)", returncode=3)
    for lab in labs:
        for spec in lab.data()["machines"]:
            if "web" not in spec["roles"]:
                continue
            mode = lab.machine(spec).root(f"grep -o '\"mode\": *\"[a-z]*\"' {labdata.facts_file()}", timeout=10).out.strip()
            if "practice" not in mode:
                pytest.exit(f"{spec['name']} is not a practice machine ({mode or 'no facts file'}): "
                            "LAB_MODE=practice make rebuild", returncode=3)
    return labs


@pytest.fixture(scope="session")
def graded(grade_labs, tmp_path_factory):
    """(pack id, case name) -> its Graded: every pack's catalogue graded once on the
    practice labs, the reference exercise's with the lab's own files."""
    from labtools import grade

    results = {}
    for pack in graded_packs():
        out = tmp_path_factory.mktemp(f"grade-{pack.id}")
        folders = cases(pack)
        if pack.id == REFERENCE:
            own = out / "submissions" / OWN_FILES
            own.mkdir(parents=True)
            for name in pack.files:
                shutil.copy2(pack.solution / name, own / name)
            folders.append(own)
        # Each exercise from its start state, on every lab.
        for lab in grade_labs:
            install.put_in_start_state(pack, lab.ssh_config, lab.data())
        for graded_case in grade.grade_class(folders, grade_labs, out, pack):
            results[(pack.id, graded_case.name)] = graded_case
    return results


@pytest.fixture(scope="session")
def graded_again(graded, grade_labs, tmp_path_factory):
    """Case name -> its Graded the second time: the reference exercise's cases of
    GRADED_AGAIN graded again after the whole catalogue, side by side on the labs,
    each of which graded others before (as in a class run)."""
    from labtools import grade

    pack = next(p for p in graded_packs() if p.id == REFERENCE)
    for lab in grade_labs:
        install.put_in_start_state(pack, lab.ssh_config, lab.data())
    folders = [graded[(REFERENCE, name)].folder for name in GRADED_AGAIN]
    results = grade.grade_class(folders, grade_labs, tmp_path_factory.mktemp("again"), pack)
    return {g.name: g for g in results}
