"""What a lab remembers of the learner's work, on the host, beside the lab's SSH
configuration (.vagrant/hbnb-lab/ of each lab): the exercise it practises, the
hints taken per task, and the results of every check run (JSON, for other tools:
the console reads them)."""
from __future__ import annotations

import datetime
import fcntl
import json
import os
from contextlib import contextmanager
from pathlib import Path

from labtools import labdata

ROOT = labdata.ROOT


def lab_state_dir(ssh_config: Path | str | None = None) -> Path:
    """The lab's state folder: hbnb-lab/ beside its ssh-config (.vagrant/ssh-config
    of this checkout, or of an extra practice lab)."""
    config = Path(ssh_config) if ssh_config else ROOT / ".vagrant" / "ssh-config"
    return config.resolve().parent / "hbnb-lab"


@contextmanager
def _locked(path: Path):
    """``path``'s JSON, read and written under a lock (a check run and a hint at once)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        data = json.loads(path.read_text()) if path.is_file() and path.stat().st_size else {}
        yield data
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True))
        os.replace(tmp, path)


# --- the exercise a lab practises ------------------------------------------------------

def current_exercise(ssh_config: Path | str | None = None) -> str:
    """The exercise `make practice` put the lab in, else the lab file's."""
    kept = lab_state_dir(ssh_config) / "exercise"
    if kept.is_file() and kept.read_text().strip():
        return kept.read_text().strip()
    return labdata.section("exercise")["id"]


def set_exercise(exercise: str, ssh_config: Path | str | None = None) -> None:
    kept = lab_state_dir(ssh_config) / "exercise"
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_text(exercise + "\n")


# --- hints -----------------------------------------------------------------------------

def hints_file(ssh_config: Path | str | None = None) -> Path:
    return lab_state_dir(ssh_config) / "hints.json"


def hint_level(exercise: str, task: int, ssh_config: Path | str | None = None) -> int:
    path = hints_file(ssh_config)
    data = json.loads(path.read_text()) if path.is_file() and path.stat().st_size else {}
    return int(data.get(exercise, {}).get(str(task), 0))


def next_hint(exercise: str, task: int, available: int, ssh_config: Path | str | None = None) -> int:
    """The next hint level of ``task`` (1 for the first), remembered; stays at the
    last one once every hint was given."""
    with _locked(hints_file(ssh_config)) as data:
        levels = data.setdefault(exercise, {})
        level = min(int(levels.get(str(task), 0)) + 1, available)
        levels[str(task)] = level
    return level


def forget_hints(exercise: str | None = None, ssh_config: Path | str | None = None) -> None:
    """Hints forgotten: for ``exercise``, or all (make reset-practice, make practice)."""
    with _locked(hints_file(ssh_config)) as data:
        if exercise is None:
            data.clear()
        else:
            data.pop(exercise, None)


# --- results ---------------------------------------------------------------------------

def results_file(exercise: str, ssh_config: Path | str | None = None) -> Path:
    return lab_state_dir(ssh_config) / "results" / f"{exercise}.json"


def now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def record(task_results: list, ssh_config: Path | str | None = None) -> Path:
    """The records of these task results in their exercise's results file: each
    (task, machine) replaced by its latest run, the others kept."""
    if not task_results:
        return results_file("none", ssh_config)
    exercise = task_results[0].exercise
    path = results_file(exercise, ssh_config)
    when = now()
    with _locked(path) as data:
        records = [r for r in data.get("records", [])
                   if (r["task"], r["machine"]) not in {(t.task, t.machine) for t in task_results}]
        for result in task_results:
            records += result.records(hint_level(exercise, result.task, ssh_config), when)
        data.update(exercise=exercise, updated=when,
                    records=sorted(records, key=lambda r: (r["task"], r["machine"])))
    return path


def read(exercise: str, ssh_config: Path | str | None = None) -> dict:
    path = results_file(exercise, ssh_config)
    return json.loads(path.read_text()) if path.is_file() and path.stat().st_size else {"exercise": exercise, "records": []}
