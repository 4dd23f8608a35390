"""An exercise pack: exercises/<id>/exercise.yml read and checked (a broken one is
refused naming its file and line), with the pack's own probes (checks.py) and its
templates ({name} texts filled from the exercise's and the machine's facts)."""
from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
EXERCISES = ROOT / "exercises"

# The kinds of file a student hands in, and what the conventions ask of each.
FILE_KINDS = {"nginx-site", "systemd-unit", "bash-script", "puppet-manifest", "haproxy-config"}
# What a check probes (labtools/exercise/probes.py): one key of `probe:`.
PROBE_KINDS = {"http", "command", "port", "unit", "file", "python"}
GRADES = {"required", "note"}


class PackError(ValueError):
    """An exercise pack that cannot be used: the message names its file and line."""


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that remembers the line of every mapping (key __line__)."""


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def _clean(value: Any) -> Any:
    """``value`` without the loader's __line__ keys."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


@dataclass
class Check:
    """One thing a task's checks look at, with what is expected and what each known
    wrong answer means (see exercises/README.md)."""
    id: str
    what: str
    probe: dict
    expect: dict
    causes: list[dict] = field(default_factory=list)
    otherwise: str = ""
    grade: str = "required"            # or "note": reported beside the verdict
    each: list[dict] = field(default_factory=lambda: [{}])
    explain: str = ""                  # a generic explainer of the engine: "gateway"
    app: str = ""                      # the app a gateway explanation is about
    prefix: str = ""                   # put before the cause
    layouts: list[str] = field(default_factory=list)   # only on these layouts (practice, reference)
    needs: list[str] = field(default_factory=list)     # checks of the task that must pass first
    on: list[str] = field(default_factory=list)        # only on machines of these roles
    line: int = 0
    within: float = 0.0                # seconds it may take to hold (a reload under way)


@dataclass
class Task:
    number: int
    title: str
    brief: str
    files: list[str]
    checks: list[Check]
    hints: list[str]
    setup: list[dict] = field(default_factory=list)
    runs: list[str] = field(default_factory=list)
    reboot_before: bool = False
    on: list[str] = field(default_factory=list)        # roles; the pack's when empty
    line: int = 0
    alone: bool = False                                # its checks change the machines
    beside: bool = False                               # looks at nothing a setup changes (Nginx's site)

    def only_looks(self, reboot: bool = False) -> bool:
        """Whether the task may be checked side by side with the others that only
        look: no setup, no reboot before it, and its checks change nothing."""
        return not (self.setup or self.alone or (reboot and self.reboot_before))


@dataclass
class FileSpec:
    name: str
    task: int
    kind: str
    place: str
    before: str = ""
    then: list[str] = field(default_factory=list)
    find_in: str = ""
    mode: int | None = None
    on: str = ""               # the role of the machine it goes on (default: its task's first)
    also_named: list[str] = field(default_factory=list)   # other schools' names of the same file


@dataclass
class Pack:
    id: str
    title: str
    folder: Path
    on: list[str]
    facts: dict
    apps: list[dict]
    reserved_ports: list[int]
    files: dict[str, FileSpec]
    start: dict
    start_checks: list[Check]
    tasks: list[Task]
    grading: dict
    traps: list[dict]
    data: dict                         # the whole file, as read (__line__ keys removed)

    def task(self, number: int) -> Task:
        for task in self.tasks:
            if task.number == number:
                return task
        raise KeyError(f"{self.id} has no task {number} (tasks {', '.join(str(t.number) for t in self.tasks)})")

    def app(self, name: str) -> dict:
        for entry in self.apps:
            if entry["name"] == name:
                return entry
        raise KeyError(f"{self.id} has no app {name!r}")

    @property
    def solution(self) -> Path:
        return self.folder / "solution"

    @property
    def support(self) -> list[str]:
        """Folders of the pack the machines need (start: support:), copied to them."""
        return list(self.data.get("start", {}).get("support", []))

    @property
    def leave(self) -> str:
        """The script (in a support folder) that undoes what the pack's start state
        changed beyond the usual (start: leave:), when a machine goes to another exercise."""
        return self.start.get("leave", "")

    @property
    def start_scripts(self) -> dict[str, str]:
        """Role -> the script that puts its machines in the start state."""
        return {role: script for role, script in self.start.items() if role not in ("support", "leave")}

    def checks_module(self) -> ModuleType | None:
        """The pack's own probes (checks.py beside exercise.yml), if it has some."""
        path = self.folder / "checks.py"
        if not path.is_file():
            return None
        name = "exercise_" + re.sub(r"\W", "_", self.id) + "_checks"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    def values(self) -> dict:
        """The pack's facts as template values: facts, apps by name, reserved ports."""
        return {**self.facts, "apps": {a["name"]: a for a in self.apps}, "reserved_ports": self.reserved_ports}


# --- reading and checking ------------------------------------------------------------

def _require(mapping: dict, key: str, kind: type | tuple, where: str) -> Any:
    if key not in mapping:
        raise PackError(f"{where}:{mapping.get('__line__', '?')}: missing '{key}'")
    value = mapping[key]
    if not isinstance(value, kind):
        raise PackError(f"{where}:{mapping.get('__line__', '?')}: '{key}' should be {getattr(kind, '__name__', kind)}")
    return value


def _check(raw: dict, where: str, context: str) -> Check:
    """One check of the pack (``context``: which task's, for the messages)."""
    if not isinstance(raw, dict):
        raise PackError(f"{where}: {context}: a check must be a mapping")
    probe = _require(raw, "probe", dict, where)
    kinds = set(probe) & PROBE_KINDS
    if len(kinds) != 1:
        raise PackError(f"{where}:{probe.get('__line__', raw['__line__'])}: {context}: a probe names one of "
                        f"{', '.join(sorted(PROBE_KINDS))}, not {sorted(k for k in probe if k != '__line__')}")
    grade = raw.get("grade", "required")
    if grade not in GRADES:
        raise PackError(f"{where}:{raw['__line__']}: {context}: grade {grade!r} is not one of {', '.join(sorted(GRADES))}")
    for cause in raw.get("causes", []):
        if not isinstance(cause, dict) or "if" not in cause or "say" not in cause:
            raise PackError(f"{where}:{raw['__line__']}: {context}: each cause is {{if: ..., say: ...}}")
    each = raw.get("each", [{}])
    if not isinstance(each, list) or not all(isinstance(e, dict) for e in each):
        raise PackError(f"{where}:{raw['__line__']}: {context}: 'each' is a list of mappings")
    return Check(
        id=_require(raw, "id", str, where), what=_require(raw, "what", str, where),
        probe=_clean(probe), expect=_clean(_require(raw, "expect", dict, where)),
        causes=_clean(raw.get("causes", [])), otherwise=raw.get("otherwise", ""), grade=grade,
        each=_clean(each), explain=raw.get("explain", ""), app=raw.get("app", ""), prefix=raw.get("prefix", ""),
        layouts=raw.get("layouts", []), needs=[raw["needs"]] if isinstance(raw.get("needs"), str) else raw.get("needs", []),
        on=raw.get("roles", []), line=raw["__line__"], within=float(raw.get("within", 0)))


def _refuse_boolean_keys(node: Any, where: str) -> None:
    """YAML reads the key `on:` (or yes, no, off) as a boolean: a pack says `roles:`."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, bool):
                raise PackError(f"{where}:{node.get('__line__', '?')}: a key YAML reads as {key} (on, off, yes, no): "
                                "write it otherwise (roles: for the machines' roles)")
            _refuse_boolean_keys(value, where)
    elif isinstance(node, list):
        for item in node:
            _refuse_boolean_keys(item, where)


def load(exercise: str | Path) -> Pack:
    """The pack of ``exercise`` (an id under exercises/, or a folder)."""
    folder = Path(exercise) if Path(exercise).is_dir() else EXERCISES / str(exercise)
    path = folder / "exercise.yml"
    if not path.is_file():
        raise PackError(f"no exercise {exercise!r}: {path} is missing (exercises: {', '.join(ids()) or 'none'})")
    where = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise PackError(f"{where}{line}: {getattr(error, 'problem', None) or error}") from error
    if not isinstance(raw, dict):
        raise PackError(f"{where}: not a mapping")
    _refuse_boolean_keys(raw, where)
    if raw.get("id") != folder.name:
        raise PackError(f"{where}:{raw['__line__']}: id {raw.get('id')!r} is not the folder's name {folder.name!r}")
    files = {}
    for name, spec in _require(raw, "files", dict, where).items():
        if name == "__line__":
            continue
        if spec.get("kind") not in FILE_KINDS:
            raise PackError(f"{where}:{spec['__line__']}: {name}: kind {spec.get('kind')!r} is not one of "
                            f"{', '.join(sorted(FILE_KINDS))}")
        then = spec.get("then", [])
        files[name] = FileSpec(name, _require(spec, "task", int, where), spec["kind"], _require(spec, "place", str, where),
                               spec.get("before", ""), [then] if isinstance(then, str) else list(then),
                               spec.get("find_in", ""), spec.get("mode"), spec.get("roles", ""),
                               list(spec.get("also_named", [])))
    tasks = []
    for raw_task in _require(raw, "tasks", list, where):
        number = _require(raw_task, "number", int, where)
        task_where = f"task {number}"
        for name in raw_task.get("files", []):
            if name not in files:
                raise PackError(f"{where}:{raw_task['__line__']}: task {number} hands in {name}, which 'files' lacks")
        hints = raw_task.get("hints", [])
        if len(hints) < 1:
            raise PackError(f"{where}:{raw_task['__line__']}: task {number} has no hints")
        runs = raw_task.get("runs", [])
        tasks.append(Task(
            number=number, title=_require(raw_task, "title", str, where), brief=raw_task.get("brief", "").strip(),
            files=raw_task.get("files", []),
            checks=[_check(c, where, task_where) for c in _require(raw_task, "checks", list, where)],
            hints=hints, setup=_clean(raw_task.get("setup", [])),
            runs=[runs] if isinstance(runs, str) else list(runs),
            reboot_before=bool(raw_task.get("reboot_before", False)), on=raw_task.get("roles", []),
            line=raw_task["__line__"], alone=bool(raw_task.get("alone", False)),
            beside=bool(raw_task.get("beside", False))))
    for number in {t.number for t in tasks if [u.number for u in tasks].count(t.number) > 1}:
        raise PackError(f"{where}: task {number} is defined twice")
    start = _clean(raw.get("start", {}))
    traps: list[dict] = []
    if raw.get("traps"):
        traps_path = folder / raw["traps"]
        traps = _clean(yaml.load(traps_path.read_text(encoding="utf-8"), Loader=_LineLoader)) or []
    return Pack(
        id=raw["id"], title=_require(raw, "title", str, where), folder=folder, on=raw.get("roles", ["web"]),
        facts=_clean(raw.get("facts", {})), apps=_clean(raw.get("apps", [])),
        reserved_ports=raw.get("reserved_ports", []), files=files,
        start={k: v for k, v in start.items() if k != "checks"},
        start_checks=[_check(c, where, "start") for c in raw.get("start", {}).get("checks", [])],
        tasks=sorted(tasks, key=lambda t: t.number), grading=_clean(raw.get("grading", {})),
        traps=traps, data=_clean(raw))


def ids() -> list[str]:
    """Every exercise pack under exercises/, in the track's order (by id)."""
    return sorted(p.name for p in EXERCISES.iterdir() if (p / "exercise.yml").is_file()) if EXERCISES.is_dir() else []


def resolve(exercise: str) -> str:
    """The id of an exercise given by its id or a prefix of it (0x0F, 0x1A...)."""
    known = ids()
    if exercise in known:
        return exercise
    matches = [i for i in known if i.startswith(exercise) or i.split("-", 1)[0] == exercise]
    if len(matches) == 1:
        return matches[0]
    raise PackError(f"no exercise {exercise!r} (exercises: {', '.join(known)})")


# --- templates -----------------------------------------------------------------------

_FIELD = re.compile(r"(?<!\$)\{([A-Za-z_][\w.-]*)(!r)?\}")


def lookup(values: dict, dotted: str) -> Any:
    node: Any = values
    for part in dotted.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise KeyError(dotted)
    return node


def render(template: Any, values: dict, strict: bool = True) -> Any:
    """``template`` with every {name} or {a.b.c} (``!r``: repr) replaced from
    ``values``; lists and mappings rendered item by item. A name that is not
    there: KeyError if ``strict``, else '?'. Literal braces elsewhere stay."""
    if isinstance(template, list):
        return [render(item, values, strict) for item in template]
    if isinstance(template, dict):
        return {key: render(item, values, strict) for key, item in template.items()}
    if not isinstance(template, str):
        return template

    def one(match: re.Match) -> str:
        try:
            value = lookup(values, match.group(1))
        except KeyError:
            if strict:
                raise
            return "?"
        return repr(value) if match.group(2) else str(value)

    # A template that is one field keeps the value's type (a port stays an int).
    whole = _FIELD.fullmatch(template)
    if whole and not whole.group(2):
        try:
            return lookup(values, whole.group(1))
        except KeyError:
            if strict:
                raise
            return "?"
    return _FIELD.sub(one, template)
