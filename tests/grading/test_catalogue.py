"""Each catalogue case graded as its expected.yml says: the verdict of every
task, the words its one-line cause (and notes) must contain, and whether the
conventions are clean."""
import pytest

from catalogue import GRADED_AGAIN, OWN_FILES, REFERENCE, all_cases, expected

CASES = all_cases()
IDS = [f"{pack.id.split('-')[0]}/{case.name}" for pack, case in CASES]


@pytest.mark.parametrize("pack, case", CASES, ids=IDS)
def test_case_is_graded_as_expected(pack, case, graded):
    want = expected(case)
    result = graded[(pack.id, case.name)]
    assert not result.error, f"{case.name}: grading failed: {result.error}"
    got = {v.task: v for v in result.verdicts}
    assert sorted(got) == sorted(int(t) for t in want["tasks"]), f"{case.name}: tasks graded {sorted(got)}"
    wrong = []
    for task, spec in want["tasks"].items():
        task = int(task)
        verdict = spec if isinstance(spec, str) else spec["verdict"]
        if (verdict == "pass") != got[task].passed:
            wrong.append(f"task {task}: want {verdict}, got {'pass' if got[task].passed else 'fail'} "
                         f"({got[task].cause or 'no cause'})")
            continue
        for word in ([] if isinstance(spec, str) else spec.get("cause", [])):
            if str(word).lower() not in got[task].cause.lower():
                wrong.append(f"task {task}: the cause lacks {word!r}: {got[task].cause}")
        notes = " ".join(got[task].notes).lower()
        for word in ([] if isinstance(spec, str) else spec.get("note", [])):
            if str(word).lower() not in notes:
                wrong.append(f"task {task}: no note says {word!r}: {got[task].notes}")
    assert not wrong, f"{case.name} ({want['mistake']}):\n  " + "\n  ".join(wrong)


@pytest.mark.parametrize("pack, case", CASES, ids=IDS)
def test_case_conventions(pack, case, graded):
    want = expected(case).get("conventions", "clean")
    findings = graded[(pack.id, case.name)].conventions
    assert (want == "clean") == (not findings), f"{case.name}: conventions want {want}, got {findings}"


def test_lab_own_files_pass_every_task(graded):
    """The reference lab's six files, mapped onto the practice server like a
    student's (user, checkout, Gunicorn, settings file), pass every task."""
    result = graded[(REFERENCE, OWN_FILES)]
    failed = [f"task {v.task}: {v.cause}" for v in result.verdicts if not v.passed]
    assert not result.error and not failed, f"the lab's own files: {result.error or failed}"
    assert not result.conventions, f"the lab's own files break the conventions: {result.conventions}"


@pytest.mark.parametrize("name", GRADED_AGAIN)
def test_grading_again_gives_the_same_verdicts(graded, graded_again, name):
    """Nothing of earlier gradings changes a verdict: the case graded again,
    after everything else, on a server that graded others, as in a class run."""
    first, again = graded[(REFERENCE, name)], graded_again[name]
    assert not again.error, f"{name}: grading again failed: {again.error}"
    assert [(v.task, v.passed) for v in again.verdicts] == [(v.task, v.passed) for v in first.verdicts], (
        f"{name}: first {[(v.task, v.passed, v.cause) for v in first.verdicts]} on {first.machine}, "
        f"again {[(v.task, v.passed, v.cause) for v in again.verdicts]} on {again.machine}")
