"""labtools.grading.conventions: comments in every config file; the reload
script's first two lines, executable bit and Shellcheck; CRLF line ends."""
import shutil
import subprocess

import pytest

from labtools.grading import conventions, submission
from labtools.grading.conventions import Finding

SITES = [f"{task}-app_server-nginx_config" for task in (2, 3, 4, 5)]
UNIT, SCRIPT = "gunicorn.service", "4-reload_gunicorn_no_downtime"
SITE_TEXT = ("# Proxies /airbnb-onepage/ to Gunicorn\nserver {\n"
             "    location /airbnb-onepage/ { proxy_pass http://127.0.0.1:5000; }\n}\n")
UNIT_TEXT = ("# Gunicorn for the AirBnB clone\n[Service]\n"
             "ExecStart=/usr/local/bin/gunicorn -w 3 -b 0.0.0.0:5003 web_dynamic.2-hbnb:app\n")
SCRIPT_TEXT = ('#!/usr/bin/env bash\n# Reloads Gunicorn gracefully: HUP to the master only\n'
               'kill -HUP "$(systemctl show --property MainPID --value gunicorn)"\n')
needs_shellcheck = pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck not installed")


def hand_in(folder, changed=None):
    """A submission in ``folder``: every file right but those in ``changed``
    (name -> text, or None: not handed in); the script's mode 0o755."""
    texts = {**dict.fromkeys(SITES, SITE_TEXT), UNIT: UNIT_TEXT, SCRIPT: SCRIPT_TEXT, **(changed or {})}
    for name, text in texts.items():
        if text is not None:
            (folder / name).write_bytes(text.encode())
    if texts[SCRIPT] is not None:
        (folder / SCRIPT).chmod(0o755)
    return submission.load(folder)


def check(folder, changed=None):
    return conventions.check(hand_in(folder, changed))


def test_finding_reads_like_a_compiler_message():
    assert str(Finding(UNIT, 3, "no comment")) == "gunicorn.service:3: no comment"


@needs_shellcheck
def test_a_submission_that_keeps_every_convention(tmp_path):
    assert check(tmp_path) == []


def test_missing_files_are_not_convention_findings(tmp_path):
    (tmp_path / "README.md").write_text("# 0x1A. Application server\n")
    assert conventions.check(submission.load(tmp_path)) == []


@needs_shellcheck
@pytest.mark.parametrize("name", [*SITES, UNIT])
def test_a_config_file_without_comments(tmp_path, name):
    text = "[Service]\nUser=ubuntu\n" if name == UNIT else "server {\n    listen 80;\n}\n"
    assert check(tmp_path, {name: text}) == [Finding(name, 1, "no comment: every config file carries comments")]


def test_only_what_is_handed_in_is_checked(tmp_path):
    found = check(tmp_path, {SITES[0]: None, UNIT: "[Service]\n", SCRIPT: None})
    assert found == [Finding(UNIT, 1, "no comment: every config file carries comments")]


@pytest.mark.parametrize("name, text", [
    (SITES[0], "server {\n    listen 80; # IPv4\n}\n"),
    (SITES[1], "server {\n\t#location /hbnb_static { alias /data/web_static/current/; }\n}\n"),
    (UNIT, "; systemd takes ; comments too\n[Service]\nUser=ubuntu\n"),
])
def test_comments_that_count(tmp_path, name, text):
    found = check(tmp_path, {name: text})
    assert not [f for f in found if f.file == name]


@pytest.mark.parametrize("text", [
    "server {\n    return 301 https://www.youtube.com/watch?v=QH2-TGUlwu4#t=10;\n}\n",
    "server {\n    listen 80;\n}\n",
])
def test_a_hash_inside_a_word_is_not_a_comment(tmp_path, text):
    found = check(tmp_path, {SITES[2]: text})
    assert [f.message for f in found if f.file == SITES[2]] == ["no comment: every config file carries comments"]


@pytest.mark.parametrize("first_line", [
    "#!/bin/bash", "#!/bin/env bash", "#!/usr/bin/bash", "#!/usr/bin/env  bash", ""])
def test_the_first_line_must_be_the_env_shebang(tmp_path, first_line):
    script = SCRIPT_TEXT.replace("#!/usr/bin/env bash", first_line, 1)
    found = check(tmp_path, {SCRIPT: script})
    assert Finding(SCRIPT, 1, f"first line is {first_line!r}, not '#!/usr/bin/env bash'") in found


@pytest.mark.parametrize("second_line", ["", "kill -HUP 1", "#", "#!/usr/bin/env bash"])
def test_the_second_line_must_say_what_the_script_does(tmp_path, second_line):
    script = SCRIPT_TEXT.replace("# Reloads Gunicorn gracefully: HUP to the master only", second_line, 1)
    found = check(tmp_path, {SCRIPT: script})
    assert Finding(SCRIPT, 2, "second line is not a comment saying what the script does") in found


def test_a_one_line_script_has_no_second_line(tmp_path):
    found = check(tmp_path, {SCRIPT: "#!/usr/bin/env bash"})
    assert Finding(SCRIPT, 2, "second line is not a comment saying what the script does") in found


@pytest.mark.parametrize("mode", [0o644, 0o600, 0o655])
def test_the_script_must_be_executable(tmp_path, mode):
    hand_in(tmp_path)
    (tmp_path / SCRIPT).chmod(mode)
    assert Finding(SCRIPT, 1, "not executable (chmod u+x)") in conventions.check(submission.load(tmp_path))


@needs_shellcheck
def test_shellcheck_findings_are_reported_by_line(tmp_path):
    script = "#!/usr/bin/env bash\n# Reloads Gunicorn\npid=$(pgrep -o gunicorn)\nkill -HUP $pid\n"
    found = [f for f in check(tmp_path, {SCRIPT: script}) if "shellcheck" in f.message]
    assert [f.line for f in found] == [4]
    assert found[0].message.startswith("shellcheck: column 11: ")
    assert "[SC2086]" in found[0].message


def test_shellcheck_failing_is_not_a_clean_script(tmp_path, monkeypatch):
    monkeypatch.setattr(conventions.shutil, "which", lambda name: "/usr/bin/shellcheck")
    monkeypatch.setattr(conventions.subprocess, "run", lambda args, **kwargs: subprocess.CompletedProcess(
        args, 3, "", "shellcheck: unrecognized option `-f'\nUsage: ..."))
    assert check(tmp_path) == [
        Finding(SCRIPT, 1, "shellcheck could not check the script: shellcheck: unrecognized option `-f'")]


def test_without_shellcheck_the_script_is_not_reported_clean(tmp_path, monkeypatch):
    monkeypatch.setattr(conventions.shutil, "which", lambda name: None)
    assert check(tmp_path) == [
        Finding(SCRIPT, 1, "shellcheck could not be run (not installed on this host): not checked")]


@needs_shellcheck
def test_crlf_is_one_finding_per_file_at_its_first_crlf_line(tmp_path):
    unit = UNIT_TEXT.replace("\n", "\r\n")
    site = SITE_TEXT.replace("server {\n", "server {\r\n")
    found = check(tmp_path, {UNIT: unit, SITES[0]: site})
    crlf = "Windows (CRLF) line ends: save with Unix (LF) line ends"
    assert Finding(UNIT, 1, crlf) in found and Finding(SITES[0], 2, crlf) in found
    assert len(found) == 2


@needs_shellcheck
def test_a_crlf_script_is_not_reported_as_a_wrong_shebang(tmp_path):
    found = check(tmp_path, {SCRIPT: SCRIPT_TEXT.replace("\n", "\r\n")})
    messages = [f.message for f in found]
    assert "Windows (CRLF) line ends: save with Unix (LF) line ends" in messages
    assert not [m for m in messages if m.startswith(("first line", "second line"))]
    assert [m for m in messages if "[SC1017]" in m], "shellcheck reads the file as handed in"


@needs_shellcheck
def test_findings_come_in_task_order_then_by_line(tmp_path):
    found = check(tmp_path, {SITES[3]: "server {}\n", SITES[0]: "server {}\n",
                               SCRIPT: "#!/bin/bash\necho reload\n"})
    assert [(f.file, f.line) for f in found] == [(SITES[0], 1), (SITES[3], 1), (SCRIPT, 1), (SCRIPT, 2)]


@needs_shellcheck
def test_a_script_under_another_schools_name_is_shellchecked_as_handed_in(tmp_path):
    from labtools.exercise import pack as packs

    script = tmp_path / "0-custom_http_response-header"
    script.write_text('#!/usr/bin/env bash\n# Adds X-Served-By\necho $1\n')
    script.chmod(0o755)
    found = conventions.check(submission.load(tmp_path, packs.load("0x0F-load_balancer")))
    assert [f.message for f in found if f.file == "0-custom_http_response_header"] == [
        "shellcheck: column 6: note: Double quote to prevent globbing and word splitting. [SC2086]"]
