"""The earlier state, Nginx: on port 80 of every web server, X-Served-By on every
response (errors too), no version in Server, the exercise's final site active,
forwarded headers to Gunicorn, static files readable by Nginx's user."""
import pytest

from stack_helpers import (APP_DIR, ENABLED_SITE, FINAL_SITE, ROOT, SITES, SITES_AVAILABLE, http,  # noqa: F401
                           name_of, web)



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


def test_final_site_is_the_active_one(web):
    link = web.file(ENABLED_SITE)
    assert link.is_symlink and link.linked_to == f"{SITES_AVAILABLE}/{FINAL_SITE}", (
        f"{ENABLED_SITE} should link to {SITES_AVAILABLE}/{FINAL_SITE}")
    assert not web.file("/etc/nginx/sites-enabled/default").exists, (
        "the package's default site is still enabled: two default_server on port 80")
    with web.sudo():
        result = web.run("nginx -t")
    assert result.rc == 0, f"nginx -t: {result.stderr.strip()}"


@pytest.mark.parametrize("site", SITES.values())
def test_exercise_sites_installed_as_handed_in(web, site):
    installed = web.file(f"{SITES_AVAILABLE}/{site}")
    assert installed.exists and installed.content_string == (ROOT / site).read_text(encoding="utf-8"), (
        f"{SITES_AVAILABLE}/{site} differs from the repository's {site}: run vagrant provision")


def test_forwarded_headers_reach_gunicorn(web):
    with web.sudo():
        config = web.check_output("nginx -T 2>/dev/null")
    for header in ("X-Forwarded-For $proxy_add_x_forwarded_for", "X-Forwarded-Proto", "X-Forwarded-Host $host",
                   "Host $host"):
        assert f"proxy_set_header {header}" in config, f"the active site does not set {header.split()[0]} for Gunicorn"


def test_nginx_user_reaches_the_static_files(web):
    for relative in ("styles/common.css", "vendor/jquery.min.js", "images/logo.svg"):
        path = f"{APP_DIR}/web_dynamic/static/{relative}"
        with web.sudo():
            result = web.run("runuser -u www-data -- cat %s", path)
        assert result.rc == 0 and result.stdout, (
            f"www-data cannot read {path}: every folder above needs o+x (namei -l {path})")
