"""Each catalogue case graded as its expected.yml says: the verdict of every
task, the words its one-line cause must contain, and whether the conventions
are clean. The way `make diagnose` checks the lab's checks, for the grader."""
import pytest

from catalogue import cases, expected

TASKS = (2, 3, 4, 5, 6, 7)


@pytest.mark.parametrize("case", cases(), ids=lambda p: p.name)
def test_case_is_graded_as_expected(case, graded):
    want = expected(case)
    result = graded[case.name]
    assert not result.error, f"{case.name}: grading failed: {result.error}"
    got = {v.task: v for v in result.verdicts}
    wrong = []
    for task in TASKS:
        spec = want["tasks"][task]
        verdict = spec if isinstance(spec, str) else spec["verdict"]
        if (verdict == "pass") != got[task].passed:
            wrong.append(f"task {task}: want {verdict}, got {'pass' if got[task].passed else 'fail'} "
                         f"({got[task].cause or 'no cause'})")
            continue
        for word in ([] if isinstance(spec, str) else spec.get("cause", [])):
            if str(word).lower() not in got[task].cause.lower():
                wrong.append(f"task {task}: the cause lacks {word!r}: {got[task].cause}")
    assert not wrong, f"{case.name} ({want['mistake']}):\n  " + "\n  ".join(wrong)


@pytest.mark.parametrize("case", cases(), ids=lambda p: p.name)
def test_case_conventions(case, graded):
    want = expected(case).get("conventions", "clean")
    findings = graded[case.name].conventions
    assert (want == "clean") == (not findings), f"{case.name}: conventions want {want}, got {findings}"
