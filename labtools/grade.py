"""Grade students' submissions of an exercise on a practice lab.

    python -m labtools.grade [--exercise X] FOLDER          one submission (make grade)
    python -m labtools.grade [--exercise X] --class FOLDER  every subfolder of FOLDER (make grade-class)

A submission is graded on one slot of a practice lab (the machines its exercise
needs: 0x1A a web server that does not hold the database, 0x0F also the load
balancer), reset first to its start state. Its files are put where a student
puts them (mapped from their server to the practice one), task by task in the
exercise's grading order, and each task is judged by the exercise's own checks:
the engine `make check` runs (labtools/exercise). Prints each task's verdict with
its cause; writes JUnit XML per submission, and a CSV of the class's task results.
"""
from __future__ import annotations

import argparse
import csv
import os
import queue
import re
import sys
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from labtools import labdata
from labtools.exercise import engine, pack as packs
from labtools.exercise.install import copy_support, install_file, leave_others, put_in_start_state
from labtools.grading import conventions, mapping, submission
from labtools.grading.machine import Machine

ROOT = labdata.ROOT


@dataclass
class Verdict:
    task: int
    passed: bool
    cause: str = ""                                   # one line: why it failed
    notes: list[str] = field(default_factory=list)    # what else the grader saw


@dataclass
class Graded:
    name: str
    folder: Path
    exercise: str = ""
    machine: str = ""
    seconds: float = 0.0
    verdicts: list[Verdict] = field(default_factory=list)
    mapped: list[str] = field(default_factory=list)
    conventions: list[str] = field(default_factory=list)
    error: str = ""
    lab_files: tuple[Path, Path] = (Path(), Path())   # the lab it was graded on (lab file, ssh config)
    phases: dict[str, float] = field(default_factory=dict)   # seconds of each step, in order

    @property
    def passed(self) -> int:
        return sum(v.passed for v in self.verdicts)


@dataclass
class Lab:
    """A practice lab: its lab file and the SSH configuration of its machines."""
    lab_file: Path
    ssh_config: Path

    def data(self) -> dict:
        return labdata.load(self.lab_file.resolve())

    def forwarded(self) -> bool:
        """Forwarded-ports mode (Docker Desktop): the ssh-config sends every machine
        to a port on 127.0.0.1, and the host cannot reach the lab addresses."""
        text = self.ssh_config.read_text(encoding="utf-8") if self.ssh_config.is_file() else ""
        return labdata.forwarded_ports(text, [m["name"] for m in self.data()["machines"]])

    def machine(self, spec: dict) -> Machine:
        """A machine; its lab address checked to route to a local bridge, unless SSH
        goes to 127.0.0.1 only (forwarded-ports mode): the grader sends nothing else
        from the host, the lab address is asked by curl on the machine itself."""
        if not self.forwarded():
            return Machine(spec["name"], self.ssh_config, address=spec["ip"])
        one = Machine(spec["name"], self.ssh_config, address="127.0.0.1")   # loopback: allowed
        one.address = spec["ip"]
        return one

    def slots(self, pack: packs.Pack) -> list[dict[str, dict]]:
        """The lab's grading slots for ``pack``: role -> machine entry. A web server
        that holds the database is never one: the reboot of a task would take the
        data from under the others. The other roles' machines are shared by a slot."""
        on = pack.grading.get("roles", {"web": "without-db"})
        machines = self.data()["machines"]
        webs = [m for m in machines if "web" in m["roles"] and "db" not in m["roles"]]
        slots = []
        for web in webs:
            slot = {"web": web}
            for role in on:
                if role != "web":
                    slot[role] = next(m for m in machines if role in m["roles"])
            slots.append(slot)
        # One slot per lab when a role has one machine (lb-01): its tasks are not shared.
        return slots[:1] if any(role != "web" for role in on) else slots


def slot_contexts(lab: Lab, pack: packs.Pack, slot: dict[str, dict]) -> dict[str, engine.Context]:
    """Role -> the engine's context of that slot's machine (grade mode)."""
    data = lab.data()
    contexts = {}
    for role, spec in slot.items():
        machine = lab.machine(spec)
        contexts[role] = engine.Context(machine, pack, engine.machine_values(machine, pack, data, spec["ip"]), "grade")
    return contexts


def role_step(step: str | dict | None, role: str) -> str:
    """A grading step for machines of ``role``: one command for every role, or
    role -> command (none for a role it does not name)."""
    if isinstance(step, dict):
        return step.get(role, "")
    return step or ""


def prepare_lab(lab: Lab, pack: packs.Pack) -> None:
    """Once per lab, before its submissions: the pack's start state (other
    exercises' `leave` scripts, then its start scripts: whatever another exercise
    graded there left, say a web server without Nginx), the pack's support
    folders on its machines, and grading.prepare on every machine of each role it
    names."""
    data = lab.data()
    put_in_start_state(pack, lab.ssh_config, data)
    prepare = pack.grading.get("prepare", {})
    jobs = data["machines"]

    def one(spec: dict) -> None:
        machine = lab.machine(spec)
        machine.check(leave_others(pack) or "true")
        if pack.support:
            copy_support(pack, machine)
        values = engine.machine_values(machine, pack, data, spec["ip"])
        for role in spec["roles"]:
            command = role_step(prepare, role)
            if command:
                machine.check(packs.render(command, values))
    engine.on_each(jobs, one)


def grade(folder: Path, lab: Lab, slot: dict[str, dict], pack: packs.Pack) -> Graded:
    """One submission of ``pack`` on one slot of a practice lab."""
    started = time.monotonic()
    found = submission.load(folder, pack)
    contexts = slot_contexts(lab, pack, slot)
    web = contexts["web"]
    graded = Graded(folder.name, folder, pack.id, web.target.name)
    graded.conventions = [str(f) for f in conventions.check(found)]
    server = mapping.PracticeServer.from_lab(lab.data())
    texts = {}
    graded.mapped += [f"{alias}: read as {name} (another school's name of the file)" for name, alias in found.named_as.items()]
    for name, text in found.texts.items():
        mapped = mapping.map_file(name, text, server, submission.kind(name, pack))
        texts[name] = mapped.text
        graded.mapped += mapped.notes
    mark = time.monotonic()

    def phase(name: str) -> None:
        nonlocal mark
        graded.phases[name] = time.monotonic() - mark
        mark = time.monotonic()

    grading = pack.grading

    def reset() -> None:
        for role, ctx in contexts.items():
            command = role_step(grading.get("reset"), role)
            if command:
                ctx.target.check(ctx.render(command))
    reset()
    if grading.get("runs"):
        web.target.check(web.render(grading["runs"]))
    graded.mapped += apply_their_server(found, contexts, pack)
    phase("reset")
    verdicts: dict[int, Verdict] = {}
    installed: set[str] = set()
    for number in grading.get("order", [t.number for t in pack.tasks]):
        task = pack.task(number)
        missing = [name for name in task.files if name not in texts]
        if missing:
            verdicts[number] = Verdict(number, False, f"{', '.join(missing)} not handed in")
            continue
        roles = task.on or pack.on
        task_contexts = [contexts[role] for role in roles if role in contexts]
        for role, command in grading.get("before", {}).get(number, {}).items():
            if role in contexts:
                contexts[role].target.check(contexts[role].render(command))
        said = []
        # A task's files go in when it comes, unless `installs` puts them in earlier
        # (0x1A: the unit before the reload script, which reloads it; its reboot after).
        for name in grading.get("installs", {}).get(number, task.files):
            if name in installed or name not in texts:
                continue
            target_ctx = contexts.get(pack.files[name].on or roles[0], task_contexts[0])
            said += install_file(target_ctx, name, texts[name], found.modes.get(name, 0o644))
            installed.add(name)
        results = engine.run_task(pack, task, [engine.Context(c.target, pack, c.values, "grade") for c in task_contexts],
                                  reboot=True)
        failed = [r for r in results if not r.passed]
        verdict = Verdict(number, not failed, failed[0].cause if failed else "",
                          [note for r in results for note in r.notes])
        verdict.notes += [f"{web.target.name} said: {line}" for line in said if not verdict.passed]
        verdict.notes += home_mode_notes(task, texts, web, lab.data())
        verdicts[number] = verdict
        phase(f"task {number}")
    graded.verdicts = [verdicts[n] for n in sorted(verdicts)]
    # Nothing of this submission stays on the server (a provisioner run or the
    # student's practice after grading find it as provisioned).
    reset()
    phase("reset after")
    graded.seconds = time.monotonic() - started
    return graded


def their_server_rules_met(found: submission.Submission, pack: packs.Pack) -> list[dict]:
    """The pack's `grading.their_server` rules the student's own files meet: a
    handed-in file, or a file of their earlier project beside the exercise's folder
    in their repository; around a line naming `near` (`lines_around`), `matches`
    found and `unless` not."""
    met = []
    for rule in pack.grading.get("their_server", []):
        text = found.texts.get(rule["file"]) if rule["file"] in pack.files else found.earlier(rule["file"])
        if text is None:
            continue
        for around in lines_around(text, rule["near"]):
            if re.search(rule["matches"], around) and not (rule.get("unless") and re.search(rule["unless"], around)):
                met.append(rule)
                break
    return met


def their_server_unknowns(found: submission.Submission, pack: packs.Pack, met: list[dict]) -> list[str]:
    """What the grading assumed of the student's server for want of their own files:
    each `their_server` rule with an `unknown` note whose file is of an earlier project
    and not beside the folder (the folder graded alone, not in their repository),
    unless a rule met (``met``) makes the same change anyway."""
    done = [rule["then"] for rule in met]
    return [f"{rule['file']} is not beside this folder: {rule['unknown']}"
            for rule in pack.grading.get("their_server", [])
            if rule.get("unknown") and rule["file"] not in pack.files
            and found.earlier(rule["file"]) is None and rule["then"] not in done]


def lines_around(text: str, near: str) -> list[str]:
    """For each line naming ``near`` (comments aside), the lines that say where it
    goes: four either side, the command opening the heredoc it is in (which names
    the file written), and the values of the shell variables those lines use; when
    none of them names a file of /etc/nginx, the file's own lines that do."""
    lines = text.splitlines()
    assigned = dict(re.findall(r"^\s*(?:export\s+|local\s+|declare\s+)?(\w+)=(.*)$", text, re.M))
    opener, delimiter, found = None, None, []
    for i, line in enumerate(lines):
        if delimiter is not None and line.strip() == delimiter:
            opener, delimiter = None, None
            continue
        if delimiter is None:
            heredoc = re.search(r"<<-?\s*['\"]?(\w+)['\"]?", line)
            if heredoc:
                opener, delimiter = line, heredoc.group(1)
                continue
        if near not in line or line.lstrip().startswith("#"):
            continue
        here = [l for l in lines[max(0, i - 4):i + 5] if not l.lstrip().startswith("#")] + ([opener] if opener else [])
        names = set(re.findall(r"\$\{?(\w+)", "\n".join(here)))
        here += [assigned[n] for n in sorted(names) if n in assigned]
        if "/etc/nginx" not in "\n".join(here):
            here += [l for l in lines if "/etc/nginx" in l and not l.lstrip().startswith("#")]
        found.append("\n".join(here))
    return found


def apply_their_server(found: submission.Submission, contexts: dict[str, engine.Context], pack: packs.Pack) -> list[str]:
    """The practice server made as the student's own files say theirs is
    (grading.their_server); what was done, a line each, and what was assumed
    where their files do not say."""
    said, done = [], set()
    met = their_server_rules_met(found, pack)
    for rule in met:
        for role, command in rule["then"].items():
            if role in contexts and (role, command) not in done:
                contexts[role].target.check(contexts[role].render(command))
                done.add((role, command))
        said.append(f"{rule['file']}: {rule['note']}")
    return said + their_server_unknowns(found, pack, met)


def home_mode_notes(task: packs.Task, texts: dict[str, str], web: engine.Context, lab: dict) -> list[str]:
    """A site that serves files from the home folder works on the grader's
    world-readable homes (Ubuntu 20.04's) and not with Ubuntu 22.04's mode 750."""
    home, grading_mode, own_mode = web.values["home"], web.values["grading_home_mode"], lab["practice"]["home_mode"]
    notes = []
    for name in task.files:
        if grading_mode != own_mode and re.search(rf"^\s*(?:alias|root)\s+{re.escape(home)}/", texts.get(name, ""), re.M):
            notes.append(f"{name} serves files from {home}, graded with the home folder at mode {grading_mode}; "
                         f"at {own_mode} (Ubuntu 22.04) www-data cannot read there: 403")
    return notes


# --- reports ----------------------------------------------------------------------

def print_report(graded: Graded, out=sys.stdout) -> None:
    print(f"grade: {graded.folder} ({graded.exercise}) on {graded.machine} in {graded.seconds:.1f} s: "
          f"{graded.passed}/{len(graded.verdicts)} tasks pass", file=out)
    if graded.phases:
        print("  (" + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in graded.phases.items()) + ")", file=out)
    if graded.error:
        print(f"  error: {graded.error}", file=out)
    for verdict in graded.verdicts:
        line = f"  task {verdict.task}  {'PASS' if verdict.passed else 'FAIL'}"
        if verdict.cause:
            line += f"  {verdict.cause}"
        print(line, file=out)
        for note in verdict.notes:
            print(f"           ({note})", file=out)
    if graded.mapped:
        print("  mapped from the student's server to the practice server:", file=out)
        for note in graded.mapped:
            print(f"    {note}", file=out)
    print(f"  conventions (reported apart from whether it works): "
          f"{'clean' if not graded.conventions else str(len(graded.conventions)) + ' findings'}", file=out)
    for finding in graded.conventions:
        print(f"    {finding}", file=out)


def write_junit(graded: Graded, path: Path) -> None:
    """Tasks in one test suite, the conventions in another, so a CI reader can
    tell "works" from "follows the conventions"."""
    suites = ET.Element("testsuites", name=graded.name)
    tasks = ET.SubElement(suites, "testsuite", name=f"{graded.name}.tasks", tests=str(len(graded.verdicts)),
                          failures=str(len(graded.verdicts) - graded.passed), time=f"{graded.seconds:.1f}",
                          hostname=graded.machine)
    for verdict in graded.verdicts:
        case = ET.SubElement(tasks, "testcase", classname=graded.name, name=f"task{verdict.task}")
        if not verdict.passed:
            ET.SubElement(case, "failure", message=verdict.cause).text = "\n".join([verdict.cause, *verdict.notes])
        elif verdict.notes:
            ET.SubElement(case, "system-out").text = "\n".join(verdict.notes)
    style = ET.SubElement(suites, "testsuite", name=f"{graded.name}.conventions", tests="1",
                          failures=str(int(bool(graded.conventions))))
    case = ET.SubElement(style, "testcase", classname=graded.name, name="conventions")
    if graded.conventions:
        ET.SubElement(case, "failure", message=f"{len(graded.conventions)} findings").text = "\n".join(graded.conventions)
    if graded.mapped:
        properties = ET.SubElement(suites, "properties")
        for note in graded.mapped:
            ET.SubElement(properties, "property", name="mapped", value=note)
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(suites).write(path, encoding="unicode", xml_declaration=True)


def write_csv(results: list[Graded], path: Path) -> None:
    """One row per submission and task: submission, task, result, cause."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["submission", "task", "result", "cause", "machine", "seconds"])
        for graded in sorted(results, key=lambda g: g.name):
            for verdict in graded.verdicts:
                writer.writerow([graded.name, verdict.task, "pass" if verdict.passed else "fail",
                                 verdict.cause, graded.machine, f"{graded.seconds:.1f}"])
            writer.writerow([graded.name, "conventions", "clean" if not graded.conventions else "findings",
                             "; ".join(graded.conventions), graded.machine, ""])


# --- a class: submissions spread over every slot of the labs ------------------------------

def grade_class(folders: list[Path], labs: list[Lab], out_dir: Path, pack: packs.Pack) -> list[Graded]:
    work: queue.Queue[Path] = queue.Queue()
    for folder in folders:
        work.put(folder)
    results: list[Graded] = []
    lock = threading.Lock()

    def slot_worker(lab: Lab, slot: dict[str, dict]) -> None:
        while True:
            try:
                folder = work.get_nowait()
            except queue.Empty:
                return
            try:
                graded = grade(folder, lab, slot, pack)
            except Exception as error:   # one submission's grading failed: say so, go on
                graded = Graded(folder.name, folder, pack.id, slot["web"]["name"], error=f"{type(error).__name__}: {error}")
                graded.verdicts = [Verdict(n, False, f"not graded: {graded.error}")
                                   for n in pack.grading.get("order", [t.number for t in pack.tasks])]
            graded.lab_files = (lab.lab_file, lab.ssh_config)
            write_junit(graded, out_dir / "junit" / f"{graded.name}.xml")
            with lock:
                results.append(graded)
                print(f"grade: {graded.name}: {graded.passed}/{len(graded.verdicts)} tasks pass on {graded.machine} "
                      f"({graded.seconds:.1f} s){' - ' + graded.error if graded.error else ''}", flush=True)

    engine.on_each(labs, lambda lab: prepare_lab(lab, pack))
    threads = [threading.Thread(target=slot_worker, args=(lab, slot), daemon=True)
               for lab in labs for slot in lab.slots(pack)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    write_csv(results, out_dir / "results.csv")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="labtools.grade", description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a submission folder, or with --class a folder of them")
    parser.add_argument("--exercise", default=os.environ.get("EXERCISE") or labdata.section("exercise")["id"],
                        help="the exercise graded (an id under exercises/, or its number: 0x0F)")
    parser.add_argument("--class", dest="whole_class", action="store_true", help="grade every subfolder")
    parser.add_argument("--on", default="", help="the web server to grade on (default: the lab's first slot)")
    parser.add_argument("--lab", action="append", default=[], metavar="LAB_FILE:SSH_CONFIG",
                        help="a practice lab to use (repeatable; default: this checkout's lab)")
    parser.add_argument("--out", type=Path, default=ROOT / ".cache" / "grade", help="where reports go")
    parser.add_argument("--shard", default="1/1", metavar="K/N",
                        help="with --class: only the K-th of N equal shares of the submissions (sorted by name), "
                             "for N machines or CI jobs grading one class")
    args = parser.parse_args(argv)

    try:
        pack = packs.load(packs.resolve(args.exercise))
    except packs.PackError as error:
        parser.exit(2, f"grade: {error}\n")
    labs = [Lab(Path(a.split(":", 1)[0]), Path(a.split(":", 1)[1])) for a in args.lab] \
        or [Lab(labdata.LAB_FILE, ROOT / ".vagrant" / "ssh-config")]
    for lab in labs:
        if not lab.ssh_config.is_file():
            parser.exit(2, f"grade: lab not up: no {lab.ssh_config} (make up, or make ssh-config)\n")
    try:
        if args.whole_class:
            folders = sorted(p for p in args.folder.iterdir() if p.is_dir())
            try:
                shard, shards = (int(n) for n in args.shard.split("/"))
                assert 1 <= shard <= shards
            except (ValueError, AssertionError):
                parser.exit(2, f"grade: --shard {args.shard}: want K/N with 1 <= K <= N\n")
            folders = folders[shard - 1::shards]
            if not folders:
                parser.exit(2, f"grade: no submission folders in {args.folder}\n")
            started = time.monotonic()
            results = grade_class(folders, labs, args.out, pack)
            elapsed = time.monotonic() - started
            slots = sum(len(lab.slots(pack)) for lab in labs)
            print(f"grade: {len(results)} submissions of {pack.id} in {elapsed:.0f} s "
                  f"({60 * len(results) / elapsed:.1f} a minute) on {slots} slot{'s' * (slots != 1)}; "
                  f"CSV {args.out / 'results.csv'}, JUnit XML in {args.out / 'junit'}/")
            return 0 if all(not g.error for g in results) else 1
        slots = labs[0].slots(pack)
        slot = next((s for s in slots if s["web"]["name"] == args.on), None) if args.on else (slots[-1] if slots else None)
        if slot is None:
            parser.exit(2, f"grade: {args.on or 'the lab'} has no grading slot for {pack.id}\n")
        began = time.monotonic()
        prepare_lab(labs[0], pack)
        prepared = time.monotonic() - began
        graded = grade(args.folder, labs[0], slot, pack)
        graded.phases = {"lab prepared": prepared, **graded.phases}
    except labdata.LabNotUp as error:
        parser.exit(2, f"grade: {error} (make up)\n")
    except (NotADirectoryError, RuntimeError) as error:
        parser.exit(2, f"grade: {error}\n")
    print_report(graded)
    junit = args.out / "junit.xml"
    write_junit(graded, junit)
    print(f"grade: JUnit XML in {os.path.relpath(junit)}")
    return 0 if graded.passed == len(graded.verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
