"""labtools.grading.submission: the handed-in files, read as handed in."""
import pytest

from labtools.grading import submission

SITE = "# Task 2\nserver {\n    listen 80;\n}\n"


def test_the_six_files_in_task_order():
    assert list(submission.FILES.items()) == [
        ("2-app_server-nginx_config", 2), ("3-app_server-nginx_config", 3),
        ("4-app_server-nginx_config", 4), ("5-app_server-nginx_config", 5),
        ("gunicorn.service", 6), ("4-reload_gunicorn_no_downtime", 7)]


@pytest.mark.parametrize("name, kind", [
    ("2-app_server-nginx_config", "site"), ("5-app_server-nginx_config", "site"),
    ("gunicorn.service", "unit"), ("4-reload_gunicorn_no_downtime", "script")])
def test_kind(name, kind):
    assert submission.kind(name) == kind


def test_kind_of_another_file_is_refused():
    with pytest.raises(KeyError):
        submission.kind("README.md")


def test_load_reads_texts_modes_and_what_is_missing(tmp_path):
    (tmp_path / "2-app_server-nginx_config").write_text(SITE)
    script = tmp_path / "4-reload_gunicorn_no_downtime"
    script.write_text("#!/usr/bin/env bash\n# Reloads Gunicorn\nsystemctl reload gunicorn\n")
    script.chmod(0o755)
    (tmp_path / "README.md").write_text("not handed in for a task")

    found = submission.load(tmp_path)

    assert found.folder == tmp_path
    assert found.texts == {"2-app_server-nginx_config": SITE,
                           "4-reload_gunicorn_no_downtime": script.read_text()}
    assert found.modes["4-reload_gunicorn_no_downtime"] == 0o755
    assert found.missing == ["3-app_server-nginx_config", "4-app_server-nginx_config",
                             "5-app_server-nginx_config", "gunicorn.service"]
    assert found.crlf == []


def test_a_folder_named_like_a_file_is_missing(tmp_path):
    (tmp_path / "gunicorn.service").mkdir()
    assert "gunicorn.service" in submission.load(tmp_path).missing


def test_crlf_is_recorded_and_kept(tmp_path):
    (tmp_path / "gunicorn.service").write_bytes(b"[Unit]\r\nDescription=Gunicorn\r\n")
    found = submission.load(tmp_path)
    assert found.crlf == ["gunicorn.service"]
    assert found.texts["gunicorn.service"] == "[Unit]\r\nDescription=Gunicorn\r\n"


def test_bytes_that_are_not_utf8_are_replaced(tmp_path):
    (tmp_path / "3-app_server-nginx_config").write_bytes(b"# caf\xe9\nserver {}\n")
    assert submission.load(tmp_path).texts["3-app_server-nginx_config"] == "# caf\ufffd\nserver {}\n"


def test_a_folder_that_is_not_there_is_an_error(tmp_path):
    with pytest.raises(NotADirectoryError):
        submission.load(tmp_path / "nowhere")


def test_a_repository_is_read_at_its_folder_named_as_the_exercise(tmp_path):
    exercise = tmp_path / "0x1A-application_server"
    exercise.mkdir()
    (exercise / "2-app_server-nginx_config").write_text(SITE)
    (tmp_path / "0x0F-load_balancer").mkdir()
    (tmp_path / "0x0F-load_balancer" / "0-custom_http_response_header").write_text("#!/usr/bin/env bash\n")

    found = submission.load(tmp_path)

    assert found.folder == exercise
    assert list(found.texts) == ["2-app_server-nginx_config"]
    assert found.earlier("0x0F-load_balancer/0-custom_http_response_header") == "#!/usr/bin/env bash\n"
    assert found.earlier("0x0F-load_balancer/1-install_load_balancer") is None


def test_a_file_under_another_schools_name_is_read_as_the_exercises(tmp_path):
    from labtools.exercise import pack as packs

    pack = packs.load("0x0F-load_balancer")
    (tmp_path / "0-custom_http_response-header").write_text("#!/usr/bin/env bash\n# Holberton's name\n")

    found = submission.load(tmp_path, pack)

    assert found.texts == {"0-custom_http_response_header": "#!/usr/bin/env bash\n# Holberton's name\n"}
    assert found.named_as == {"0-custom_http_response_header": "0-custom_http_response-header"}
    assert "0-custom_http_response_header" not in found.missing
