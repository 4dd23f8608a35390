"""Putting an exercise's files and start state on practice machines: the same
installation for `make solution APPLY=1` (the reference files), the grader (a
student's files) and `make practice` (the start scripts)."""
from __future__ import annotations

from pathlib import Path

from labtools import labdata
from labtools.exercise import engine, pack as packs
from labtools.exercise.pack import render
from labtools.grading.machine import Machine


def machine(name: str, ssh_config: Path | str, lab: dict | None = None) -> Machine:
    """Machine ``name`` of a lab (its lab file's data; this checkout's by default)."""
    spec = next(m for m in (lab or labdata.load())["machines"] if m["name"] == name)
    return Machine(name, Path(ssh_config), address=spec["ip"])


def context(pack: packs.Pack, name: str, ssh_config: Path | str, mode: str = "check",
            lab: dict | None = None) -> engine.Context:
    lab = lab or labdata.load()
    target = machine(name, ssh_config, lab)
    spec = next(m for m in lab["machines"] if m["name"] == name)
    return engine.Context(target, pack, engine.machine_values(target, pack, lab, spec["ip"]), mode)


def install_file(ctx: engine.Context, name: str, text: str, mode: int) -> list[str]:
    """A handed-in file at its place, as a student puts it there: the file's
    `before`, the file (the layout's user owns it when it goes into the home
    folder), then its `then`. What `then` said, a line each (systemctl's refusals)."""
    spec = ctx.pack.files[name]
    place = ctx.render(spec.place)
    if spec.before:
        ctx.run(ctx.render(spec.before), timeout=60)
    owner = ctx.values["user"] if place.startswith(ctx.values["home"] + "/") else "root"
    ctx.target.put_file(place, text, mode, owner)
    said = []
    for command in spec.then:
        done = ctx.run(render(command, {**ctx.values, "place": place}), timeout=900)
        output = (done.out + done.err).strip()
        if done.rc != 0 or "no installation config" in output or "Unit files have no installation" in output:
            # A run of the file itself is named by the file; another command by itself.
            who = name if "{place}" in command else command.split(" 2>")[0]
            said.append(f"{who}: {output.splitlines()[-1] if output else f'exit {done.rc}'}")
    return said


def solution_text(pack: packs.Pack, name: str, practice: bool) -> tuple[str, list[str]]:
    """A file of the pack's solution (the reference lab's), as it goes on a practice
    server when ``practice``: mapped as the grader maps a student's (its user, paths,
    Gunicorn, database settings become the practice server's); the mapping's notes."""
    text = (pack.solution / name).read_text(encoding="utf-8")
    if not practice:
        return text, []
    from labtools.grading import mapping, submission
    mapped = mapping.map_file(name, text, mapping.PracticeServer.from_lab(labdata.load()), submission.kind(name, pack))
    return mapped.text, mapped.notes


def apply_solution(pack: packs.Pack, task: packs.Task, name: str, ssh_config: Path | str) -> str:
    """The task's reference solution on machine ``name``: its files at their places
    (mapped onto a practice server), each with its `then`, then what a student runs
    by hand for it (a run of a file that its `then` ran already is not repeated)."""
    ctx = context(pack, name, ssh_config)
    said, ran = [], []
    practice = ctx.values["layout"]["mode"] == "practice"
    for file_name in task.files:
        text, _ = solution_text(pack, file_name, practice)
        said += install_file(ctx, file_name, text, (pack.solution / file_name).stat().st_mode & 0o777)
        if any("{place}" in command for command in pack.files[file_name].then):
            ran.append(ctx.render(pack.files[file_name].place))
    for command in task.runs:
        command = ctx.render(command)
        if any(place in command for place in ran):
            continue
        done = ctx.run(command, timeout=120)
        if done.rc != 0:
            raise RuntimeError(f"{name}: `{command}` failed: {(done.err or done.out).strip()[-300:]}")
    return "; ".join(said)


def copy_support(pack: packs.Pack, target: Machine) -> str:
    """The pack's support folders (start: support:) on a machine, in
    engine.SUPPORT_ROOT/<pack>/ (made anew); their folder there."""
    where = f"{engine.SUPPORT_ROOT}/{pack.id}"
    files = {}
    for folder in pack.support:
        for path in sorted((pack.folder / folder).rglob("*")):
            if path.is_file():
                files[str(path.relative_to(pack.folder))] = (path.read_text(encoding="utf-8"), path.stat().st_mode & 0o777)
    target.put(where, files, "root")
    return where


def leave_others(pack: packs.Pack) -> str:
    """Shell that runs, on a machine, the `leave` script of every other pack that
    was put there (its support folder is), before ``pack`` takes the machine."""
    lines = []
    for other in packs.ids():
        if other == pack.id:
            continue
        leave = packs.load(other).leave
        if leave:
            script = f"{engine.SUPPORT_ROOT}/{other}/{leave}"
            lines.append(f"if [ -f {script} ]; then bash {script}; fi")
    return "\n".join(lines)


def put_in_start_state(pack: packs.Pack, ssh_config: Path | str, lab: dict | None = None) -> list[tuple[str, str]]:
    """The pack's start scripts (start: role -> script) on every machine of each
    role of a lab, side by side, the pack's support folders copied there first
    (HBNB_SUPPORT names them): (machine, the script's last line); a failure stops."""
    lab = lab or labdata.load()
    jobs = []
    for role, script in pack.start_scripts.items():
        text = (pack.folder / script).read_text(encoding="utf-8")
        jobs += [(m["name"], text) for m in lab["machines"] if role in m["roles"]]

    def run(job: tuple[str, str]) -> tuple[str, str]:
        name, text = job
        target = machine(name, ssh_config, lab)
        target.check(leave_others(pack) or "true")
        where = copy_support(pack, target) if pack.support else ""
        done = target.root(f"export HBNB_SUPPORT={where}\n{text}", timeout=900)
        last = (done.out.strip().splitlines() or ["done"])[-1]
        if done.rc != 0:
            raise RuntimeError(f"{name}: the start state of {pack.id} failed: {(done.err or done.out).strip()[-400:]}")
        return name, last
    return engine.on_each(jobs, run)

