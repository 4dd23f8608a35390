"""How often the grader's verdicts agree with a hand check, task by task.

    .venv/bin/python -m labtools.grade --class CLASS --out OUT [--lab ...]
    .venv/bin/python bench/grade_agreement.py OUT/results.csv CLASS

CLASS holds one folder per submission; each may hold HANDCHECK.yml, the verdicts
a person gave on a correctly prepared server:

    tasks: {2: pass, 3: fail, 4: pass, 5: pass, 6: fail, 7: fail}
    why: {3: "regex location without ~"}

Prints every disagreement (the hand's reason, the grader's cause) and the share
of task results that agree, apart for the tasks the hand passed and failed.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

import yaml


def main(results: Path, folder: Path) -> int:
    graded: dict[str, dict[str, dict]] = {}
    with open(results, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            graded.setdefault(row["submission"], {})[row["task"]] = row
    counts = {"pass": [0, 0], "fail": [0, 0]}     # hand's verdict -> [agree, total]
    for name in sorted(graded):
        check = folder / name / "HANDCHECK.yml"
        if not check.is_file():
            continue
        hand = yaml.safe_load(check.read_text(encoding="utf-8"))
        for task, want in sorted(hand["tasks"].items()):
            row = graded[name].get(str(task))
            if row is None:
                continue
            counts[want][1] += 1
            if row["result"] == want:
                counts[want][0] += 1
            else:
                why = (hand.get("why") or {}).get(task, "")
                print(f"{name} task {task}: hand {want}{' (' + why + ')' if why else ''}; "
                      f"grader {row['result']}{': ' + row['cause'] if row['cause'] else ''}")
    agree = counts["pass"][0] + counts["fail"][0]
    total = counts["pass"][1] + counts["fail"][1]
    if not total:
        print(f"no HANDCHECK.yml in the submissions of {folder}")
        return 2
    print(f"agreement: {agree}/{total} task results = {100 * agree / total:.1f}% "
          f"(hand pass: {counts['pass'][0]}/{counts['pass'][1]}, hand fail: {counts['fail'][0]}/{counts['fail'][1]})")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
