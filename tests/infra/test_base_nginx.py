"""The earlier state, Nginx: on port 80 of every web server, X-Served-By on every
response (errors too), no version in Server, static files readable by Nginx's
user. (This lab's own site names: test_reference_lab.py.)"""
import pytest

from facts import LAB, layout, name_of
from probes import http

pytestmark = pytest.mark.base


def test_nginx_enabled_and_running(web):
    nginx = web.service("nginx")
    assert nginx.is_enabled and nginx.is_running, "Nginx is not enabled and running: systemctl status nginx"
    assert web.socket("tcp://0.0.0.0:80").is_listening, "Nginx does not listen on port 80 (listen 80 default_server;)"


@pytest.mark.parametrize("path", ["/airbnb-onepage/", "/no-such-page", "/static/no-such-file.css"])
def test_every_response_says_which_server(web, path):
    response = http(web, f"http://127.0.0.1{path}")
    assert response.header("X-Served-By") == name_of(web), (
        f"{path} ({response.status}) lacks X-Served-By: {name_of(web)} - add_header ... always; at server level, "
        "and no add_header inside a location (it would hide the server's)")


def test_server_header_has_no_version(web):
    response = http(web, "http://127.0.0.1/no-such-page")
    assert response.header("Server") == "nginx", (
        f"Server: {response.header('Server')} - server_tokens off; (/etc/nginx/conf.d/hbnb-lab.conf)")
    assert "nginx/" not in response.body, "the error page shows Nginx's version: server_tokens off;"


def test_nginx_user_reaches_the_static_files(web):
    where = layout(web)
    if where.mode == "practice":
        pytest.skip("practice mode: the clone is in the student's home, as readable as "
                    "lab.yml's practice.home_mode makes it (test_practice_home_mode)")
    for relative in ("styles/common.css", "vendor/jquery.min.js", "images/logo.png"):
        path = f"{where.app_dir}/web_dynamic/static/{relative}"
        with web.sudo():
            result = web.run("runuser -u www-data -- wc -c %s", path)   # reads it all; prints text
        assert result.rc == 0 and int(result.stdout.split()[0] or 0) > 0, (
            f"www-data cannot read {path}: every folder above needs o+x (namei -l {path})")


def test_practice_home_mode(web):
    """Practice mode: the student's home as the boxes' Ubuntu release makes it,
    so a /static/ alias into it breaks here as it does there."""
    where = layout(web)
    if where.mode != "practice":
        pytest.skip("a reference machine has no student's home")
    home = where.app_dir.rsplit("/", 1)[0]
    mode = web.file(home).mode
    assert f"{mode:o}" == LAB["practice"]["home_mode"].lstrip("0"), (
        f"{home} has mode {mode:o}, lab.yml's practice.home_mode says {LAB['practice']['home_mode']}")
