"""Grade students' submissions of the exercise on a practice lab.

    python -m labtools.grade FOLDER                 one submission (make grade)
    python -m labtools.grade --class FOLDER         every subfolder of FOLDER (make grade-class)

Each submission is graded on one practice web server, reset first to the state
its provisioning left (hbnb-practice-reset); a class spreads its submissions
over every practice web server of the lab(s) given, one submission each at a
time. Prints each task's verdict with its cause; writes JUnit XML per
submission, and a CSV of the class's task results.
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
from labtools.grading import conventions, mapping, submission
from labtools.grading.machine import Machine
from labtools.grading.tasks import PracticeWeb, Verdict

ROOT = labdata.ROOT
TASKS = sorted(set(submission.FILES.values()))


@dataclass
class Graded:
    name: str
    folder: Path
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

    def web_servers(self) -> list[Machine]:
        """The web servers a submission can be graded on: not the database's
        machine, whose reboot (task 6) would take the data from under the others."""
        machines = [m for m in self.data()["machines"] if "web" in m["roles"] and "db" not in m["roles"]]
        return [self.machine(m) for m in machines]

    def forwarded(self) -> bool:
        """Forwarded-ports mode (Docker Desktop): the ssh-config sends every machine
        to a port on 127.0.0.1, and the host cannot reach the lab addresses."""
        text = self.ssh_config.read_text(encoding="utf-8") if self.ssh_config.is_file() else ""
        return labdata.forwarded_ports(text, [m["name"] for m in self.data()["machines"]])

    def machine(self, spec: dict) -> Machine:
        """A web server; its lab address checked to route to a local bridge, unless
        SSH goes to 127.0.0.1 only (forwarded-ports mode): the grader sends nothing
        else from the host, the lab address is asked by curl on the machine itself."""
        if not self.forwarded():
            return Machine(spec["name"], self.ssh_config, address=spec["ip"])
        web = Machine(spec["name"], self.ssh_config, address="127.0.0.1")   # loopback: allowed
        web.address = spec["ip"]
        return web


def grade(folder: Path, web: Machine, lab: dict) -> Graded:
    """One submission on one practice web server."""
    started = time.monotonic()
    found = submission.load(folder)
    graded = Graded(folder.name, folder, web.name)
    graded.conventions = [str(f) for f in conventions.check(found)]
    server = mapping.PracticeServer.from_lab(lab)
    texts = {}
    for name, text in found.texts.items():
        mapped = mapping.map_file(name, text, server)
        texts[name] = mapped.text
        graded.mapped += mapped.notes
    practice = PracticeWeb(web, lab, lab["practice"].get("grading_home_mode", lab["practice"]["home_mode"]))
    mark = time.monotonic()

    def phase(name: str) -> None:
        nonlocal mark
        graded.phases[name] = time.monotonic() - mark
        mark = time.monotonic()

    practice.reset(texts, found.modes)
    phase("reset")
    verdicts: dict[int, Verdict] = {}
    for name in submission.SITES:
        task = submission.FILES[name]
        verdicts[task] = practice.site_verdict(name) if name in texts else Verdict(task, False, f"{name} not handed in")
        if name in texts and re.search(rf"^\s*(?:alias|root)\s+{re.escape(practice.home)}/", texts[name], re.M) \
                and practice.home_mode != lab["practice"]["home_mode"]:
            verdicts[task].notes.append(
                f"{name} serves files from {practice.home}, graded with the home folder at mode {practice.home_mode}; "
                f"at {lab['practice']['home_mode']} (Ubuntu 22.04) www-data cannot read there: 403")
    phase("sites")
    unit_text = texts.get(submission.UNIT)
    said = practice.install_unit() if unit_text is not None else []
    if submission.RELOAD_SCRIPT in texts:
        note = practice.ensure_unit_for_reload()
        verdicts[7] = practice.reload_verdict(found.modes.get(submission.RELOAD_SCRIPT, 0o644))
        if note:
            verdicts[7].notes.insert(0, note)
    else:
        verdicts[7] = Verdict(7, False, f"{submission.RELOAD_SCRIPT} not handed in")
    phase("unit and reload")
    if unit_text is not None:
        practice.restore_unit()
        practice.machine.reboot()
        phase("reboot")
        verdicts[6] = practice.unit_verdict(unit_text, said)
    else:
        verdicts[6] = Verdict(6, False, f"{submission.UNIT} not handed in")
    graded.verdicts = [verdicts[task] for task in TASKS]
    # Nothing of this submission stays on the server (a provisioner run or the
    # student's practice after grading find it as provisioned).
    phase("after the reboot")
    practice.machine.check("hbnb-practice-reset >/dev/null")
    phase("reset after")
    graded.seconds = time.monotonic() - started
    return graded


# --- reports ----------------------------------------------------------------------

def print_report(graded: Graded, out=sys.stdout) -> None:
    print(f"grade: {graded.folder} on {graded.machine} in {graded.seconds:.1f} s: "
          f"{graded.passed}/{len(TASKS)} tasks pass", file=out)
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
        ET.SubElement(suites, "properties")
        for note in graded.mapped:
            ET.SubElement(suites.find("properties"), "property", name="mapped", value=note)
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


# --- a class: submissions spread over every practice web server -------------------------

def grade_class(folders: list[Path], labs: list[Lab], out_dir: Path) -> list[Graded]:
    work: queue.Queue[Path] = queue.Queue()
    for folder in folders:
        work.put(folder)
    results: list[Graded] = []
    lock = threading.Lock()

    def slot(web: Machine, lab: Lab, data: dict) -> None:
        while True:
            try:
                folder = work.get_nowait()
            except queue.Empty:
                return
            try:
                graded = grade(folder, web, data)
            except Exception as error:   # one submission's grading failed: say so, go on
                graded = Graded(folder.name, folder, web.name, error=f"{type(error).__name__}: {error}")
                graded.verdicts = [Verdict(task, False, f"not graded: {graded.error}") for task in TASKS]
            graded.lab_files = (lab.lab_file, lab.ssh_config)
            write_junit(graded, out_dir / "junit" / f"{graded.name}.xml")
            with lock:
                results.append(graded)
                print(f"grade: {graded.name}: {graded.passed}/{len(TASKS)} tasks pass on {web.name} "
                      f"({graded.seconds:.1f} s){' - ' + graded.error if graded.error else ''}", flush=True)

    threads = []
    for lab in labs:
        for web in lab.web_servers():
            threads.append(threading.Thread(target=slot, args=(web, lab, lab.data()), daemon=True))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    write_csv(results, out_dir / "results.csv")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="labtools.grade", description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a submission folder, or with --class a folder of them")
    parser.add_argument("--class", dest="whole_class", action="store_true", help="grade every subfolder")
    parser.add_argument("--on", default="", help="the web server to grade on (default: the last of lab.yml)")
    parser.add_argument("--lab", action="append", default=[], metavar="LAB_FILE:SSH_CONFIG",
                        help="a practice lab to use (repeatable; default: this checkout's lab)")
    parser.add_argument("--out", type=Path, default=ROOT / ".cache" / "grade", help="where reports go")
    parser.add_argument("--shard", default="1/1", metavar="K/N",
                        help="with --class: only the K-th of N equal shares of the submissions (sorted by name), "
                             "for N machines or CI jobs grading one class")
    args = parser.parse_args(argv)

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
            results = grade_class(folders, labs, args.out)
            elapsed = time.monotonic() - started
            servers = sum(len(lab.web_servers()) for lab in labs)
            print(f"grade: {len(results)} submissions in {elapsed:.0f} s "
                  f"({60 * len(results) / elapsed:.1f} a minute) on {servers} web server{'s' * (servers != 1)}; "
                  f"CSV {args.out / 'results.csv'}, JUnit XML in {args.out / 'junit'}/")
            return 0 if all(not g.error for g in results) else 1
        webs = labs[0].web_servers()
        web = next((w for w in webs if w.name == args.on), None) if args.on else webs[-1]
        if web is None:
            parser.exit(2, f"grade: {args.on} is not a web server of the lab\n")
        graded = grade(args.folder, web, labs[0].data())
    except labdata.LabNotUp as error:
        parser.exit(2, f"grade: {error} (make up)\n")
    except (NotADirectoryError, RuntimeError) as error:
        parser.exit(2, f"grade: {error}\n")
    print_report(graded)
    junit = args.out / "junit.xml"
    write_junit(graded, junit)
    print(f"grade: JUnit XML in {os.path.relpath(junit)}")
    return 0 if graded.passed == len(TASKS) else 1


if __name__ == "__main__":
    sys.exit(main())
