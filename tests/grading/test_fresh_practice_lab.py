"""A practice lab as provisioned (hbnb-practice-reset on its web servers) passes
the earlier state and fails every task of the exercise's suite (`make check`),
each failure saying why: what a student sees before doing the exercise."""
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from labtools import labdata

ROOT = labdata.ROOT


@pytest.fixture(scope="module")
def fresh_suite(graded, tmp_path_factory) -> list[tuple[str, set[str], str]]:
    """(test id, its markers, failure message or '') of `make check` on the first
    practice lab, its web servers reset first (after the catalogue's grading)."""
    from labtools import grade

    spec = (os.environ.get("GRADE_LABS", "").split() or [f"{labdata.LAB_FILE}:{ROOT / '.vagrant' / 'ssh-config'}"])[0]
    lab_file, ssh_config = (Path(part).resolve() for part in spec.split(":", 1))
    lab = grade.Lab(lab_file, ssh_config)
    for machine in lab.data()["machines"]:
        if "web" in machine["roles"]:
            grade.Machine(machine["name"], ssh_config, address=machine["ip"]).check("hbnb-practice-reset >/dev/null")
    junit = tmp_path_factory.mktemp("fresh") / "junit.xml"
    env = dict(os.environ, LAB_FILE=str(lab_file))
    subprocess.run([str(ROOT / "tests" / "run-infra.sh"), "exercise", f"--ssh-config={ssh_config}",
                    f"--junitxml={junit}", "-q", "-p", "no:randomly"],
                   cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert junit.is_file(), "the lab suite wrote no report"
    found = []
    for case in ET.parse(junit).getroot().iter("testcase"):
        problem = case.find("failure") if case.find("failure") is not None else case.find("error")
        # The check's marker, from its module (test_task3_..., test_base_...), or
        # from a site's parameter (test_task5_sites[2-app_server-nginx_config]: task 2).
        module = case.get("classname", "").rsplit(".", 1)[-1]
        site = re.search(r"\[(\d)-app_server", case.get("name", ""))
        markers = {f"task{site.group(1)}"} if site else {module.split("_")[1]} if module.startswith("test_") else set()
        found.append((f"{case.get('classname')}::{case.get('name')}", markers,
                      "" if problem is None else (problem.get("message") or "?")))
    return found


def test_earlier_state_passes(fresh_suite):
    failed = [(name, message[:160]) for name, markers, message in fresh_suite if "base" in markers and message]
    assert not failed, f"the earlier state (base) fails on a fresh practice lab: {failed}"


@pytest.mark.parametrize("task", range(8))
def test_every_task_fails_saying_why(fresh_suite, task):
    results = [(name, message) for name, markers, message in fresh_suite if f"task{task}" in markers]
    assert results, f"no check of task {task} ran"
    failures = [message for name, message in results if message]
    assert failures, f"task {task} passes on a fresh practice lab: {[name for name, _ in results]}"
    bare = [message for message in failures if message.lstrip().startswith("assert ")]
    assert not bare, f"task {task}: failures without a cause: {bare[:3]}"
