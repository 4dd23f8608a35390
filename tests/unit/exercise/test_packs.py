"""labtools.exercise.pack: every pack of exercises/ loads and is whole; a broken
pack is refused naming its file and line; templates fill from facts and values."""
import re
import shutil
from pathlib import Path

import pytest

from labtools.exercise import pack as packs

IDS = packs.ids()


def test_the_track_has_its_three_packs():
    assert {"0x1A-application_server", "0x0F-load_balancer", "0x0E-web_stack_debugging_1"} <= set(IDS)


@pytest.mark.parametrize("exercise", IDS)
def test_each_pack_is_whole(exercise):
    pack = packs.load(exercise)
    assert pack.tasks and pack.files and pack.start_scripts
    for task in pack.tasks:
        assert task.title and task.brief and task.checks, f"task {task.number}"
        assert len(task.hints) == 3, f"task {task.number}: a nudge, the setting, the documentation's line"
        for name in task.files:
            assert (pack.solution / name).is_file(), f"task {task.number}: no solution/{name}"
            assert pack.files[name].task == task.number
        ids = [c.id for c in task.checks]
        assert len(ids) == len(set(ids)), f"task {task.number}: a check id twice"
        for check in task.checks:
            assert set(check.needs) <= set(ids[:ids.index(check.id)]), f"{check.id} needs a later or unknown check"
            if "python" in check.probe:
                module = pack.checks_module()
                assert module and hasattr(module, check.probe["python"].split(".", 1)[1]), check.probe["python"]
    for role, script in pack.start_scripts.items():
        assert (pack.folder / script).is_file(), f"start: {role}: {script}"
    for folder in pack.support:
        assert (pack.folder / folder).is_dir()
    for number in pack.grading.get("order", []):
        pack.task(number)


@pytest.mark.parametrize("exercise", IDS)
def test_each_catalogue_case_hands_in_files_of_its_pack(exercise):
    pack = packs.load(exercise)
    for case in sorted((pack.folder / "cases").glob("*/expected.yml")):
        # A case laid out as a student's repository holds the exercise's folder
        # beside their earlier projects' (grading.earlier reads those).
        folder = case.parent / pack.id if (case.parent / pack.id).is_dir() else case.parent
        names = {p.name for p in folder.iterdir()} - {"expected.yml"}
        known = set(pack.files) | {alias for spec in pack.files.values() for alias in spec.also_named}
        assert names <= known, f"{case.parent.name}: {names - known}"
        for other in {p.name for p in case.parent.iterdir() if p.is_dir()} - {pack.id}:
            assert other in packs.ids() or re.fullmatch(r"0x[0-9A-F]{2}-\w+", other), f"{case.parent.name}: {other}"


def broken_pack(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / "0x1A-application_server"
    shutil.copytree(packs.EXERCISES / "0x1A-application_server", folder)
    text = (folder / "exercise.yml").read_text()
    assert old in text
    (folder / "exercise.yml").write_text(text.replace(old, new, 1))
    return folder


def test_a_yaml_error_names_the_file_and_line(tmp_path):
    folder = broken_pack(tmp_path, "  hello_text: Hello HBNB!", "  hello_text: [Hello HBNB!")
    with pytest.raises(packs.PackError, match=r"exercise\.yml:1[0-9]: "):
        packs.load(folder)


def test_a_check_without_a_probe_kind_names_its_line(tmp_path):
    folder = broken_pack(tmp_path, 'probe: {http: "http://127.0.0.1:{apps.hello.port}{hello_path}"}',
                         'probe: {htp: "http://127.0.0.1:{apps.hello.port}{hello_path}"}')
    with pytest.raises(packs.PackError, match=r"exercise\.yml:\d+: task 0: a probe names one of"):
        packs.load(folder)


def test_the_key_on_is_refused_for_what_yaml_makes_of_it(tmp_path):
    folder = broken_pack(tmp_path, "roles: [web]\n", "on: [web]\n")
    with pytest.raises(packs.PackError, match="a key YAML reads as True"):
        packs.load(folder)


def test_a_task_handing_in_an_unknown_file_is_refused(tmp_path):
    folder = broken_pack(tmp_path, "files: [2-app_server-nginx_config]", "files: [2-app_server-nginx_conf]")
    with pytest.raises(packs.PackError, match="hands in 2-app_server-nginx_conf, which 'files' lacks"):
        packs.load(folder)


def test_resolve_takes_the_number_of_an_exercise():
    assert packs.resolve("0x0F") == "0x0F-load_balancer"
    assert packs.resolve("0x1A-application_server") == "0x1A-application_server"
    with pytest.raises(packs.PackError, match="no exercise"):
        packs.resolve("0x99")


def test_render_fills_dotted_names_and_keeps_a_single_value_typed():
    values = {"apps": {"hello": {"port": 5000}}, "text": "Hello", "ports": [6000]}
    assert packs.render("{apps.hello.port}", values) == 5000
    assert packs.render("port {apps.hello.port}, {text!r}, {ports.0}", values) == "port 5000, 'Hello', 6000"
    assert packs.render("${HOME} {not_a_name here}", values) == "${HOME} {not_a_name here}"
    assert packs.render({"a": ["{text}"]}, values) == {"a": ["Hello"]}
    with pytest.raises(KeyError):
        packs.render("{missing}", values)
    assert packs.render("x {missing}", values, strict=False) == "x ?"
