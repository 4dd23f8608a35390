"""The application as a whole: status, stats, slashes, JSON errors, CORS, teardown."""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from api.v1.app import MAX_CONTENT_LENGTH
from models import teardown

REPO = Path(__file__).resolve().parents[3]


def api_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")]


def test_status(client):
    response = client.get("/api/v1/status")
    assert response.status_code == 200
    assert response.json == {"status": "OK"}


def test_stats_empty(client):
    response = client.get("/api/v1/stats")
    assert response.status_code == 200
    assert response.json == {"amenities": 0, "cities": 0, "places": 0, "reviews": 0,
                             "states": 0, "users": 0}


def test_stats_counts_each_class(client, world):
    from models.state import State

    State(name="Nevada").save()
    assert client.get("/api/v1/stats/").json == {
        "amenities": 1, "cities": 1, "places": 1, "reviews": 1, "states": 2, "users": 1}


def test_every_route_answers_with_and_without_trailing_slash(app, client, world):
    """Same status and body with and without the final slash (no redirect)."""
    for rule in api_rules(app):
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<{name}>", world.ids[name])
        for method in sorted(rule.methods - {"HEAD", "OPTIONS", "DELETE", "POST", "PUT"}):
            bare = client.open(path, method=method)
            slashed = client.open(path + "/", method=method)
            assert (bare.status_code, bare.json) == (slashed.status_code, slashed.json)
            assert bare.status_code == 200, path


def test_front_end_paths_with_slash(client, world):
    assert client.get("/api/v1/status/").json == {"status": "OK"}
    response = client.post("/api/v1/places_search/", json={})
    assert response.status_code == 200
    assert [place["id"] for place in response.json] == [world.place.id]


@pytest.mark.parametrize("path", [
    "/", "/api", "/api/v1", "/api/v1/", "/api/v1/nope", "/api/v2/status",
    "/api/v1/states/x/y", "/api/v1//status", "/static/x.js",
])
def test_unknown_route_is_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json == {"error": "Not found"}


@pytest.mark.parametrize("method, path, allowed", [
    ("DELETE", "/api/v1/status", {"GET"}),
    ("POST", "/api/v1/stats", {"GET"}),
    ("PATCH", "/api/v1/states", {"GET", "POST"}),
    ("PUT", "/api/v1/states", {"GET", "POST"}),
    ("POST", "/api/v1/states/some-id", {"GET", "PUT", "DELETE"}),
    ("GET", "/api/v1/places_search", {"POST"}),
    ("PUT", "/api/v1/places/x/amenities/y", {"POST", "DELETE"}),
])
def test_wrong_method_is_json_405_with_allow(client, method, path, allowed):
    response = client.open(path, method=method)
    assert response.status_code == 405
    assert response.json == {"error": "Method Not Allowed"}
    automatic = {"OPTIONS", "HEAD"} if "GET" in allowed else {"OPTIONS"}
    assert set(response.headers["Allow"].split(", ")) == allowed | automatic


def test_body_over_limit_is_json_413(client, unchanged):
    body = json.dumps({"name": "x" * MAX_CONTENT_LENGTH})
    with unchanged():
        response = client.post("/api/v1/states", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.json == {"error": "Request Entity Too Large"}


def test_unexpected_exception_is_json_500(storage):
    """An exception in a view (TESTING off, as in production) answers JSON 500."""
    from api.v1.app import create_app

    app = create_app()

    def broken():
        raise RuntimeError("boom")
    app.add_url_rule("/api/v1/broken", view_func=broken)
    response = app.test_client().get("/api/v1/broken")
    assert response.status_code == 500
    assert response.mimetype == "application/json"
    assert response.json == {"error": "Internal Server Error"}
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("method, path", [
    ("GET", "/api/v1/status"), ("GET", "/api/v1/states"), ("POST", "/api/v1/states"),
    ("GET", "/api/v1/nope"), ("DELETE", "/api/v1/stats"),
])
def test_cors_header_on_every_answer(client, method, path):
    response = client.open(path, method=method, headers={"Origin": "http://elsewhere"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_cors_preflight(client):
    response = client.options("/api/v1/places_search/", headers={
        "Origin": "http://elsewhere",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    })
    assert response.status_code == 204
    assert response.get_data() == b"" and "Content-Type" not in response.headers
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert set(response.headers["Access-Control-Allow-Methods"].split(", ")) == {
        "POST", "OPTIONS"}
    assert response.headers["Access-Control-Allow-Headers"] == "content-type"
    assert int(response.headers["Access-Control-Max-Age"]) > 0


def test_preflight_of_unknown_route_is_404(client):
    response = client.options("/api/v1/nope")
    assert response.status_code == 404
    assert response.json == {"error": "Not found"}


def test_storage_closed_after_every_request(app, storage, monkeypatch):
    calls = []
    real_close = storage.close

    def counting_close():
        calls.append(1)
        real_close()
    monkeypatch.setattr(storage, "close", counting_close)
    client = app.test_client()
    client.get("/api/v1/status")
    client.get("/api/v1/nope")
    client.post("/api/v1/states", data="not json")
    assert len(calls) == 3
    # The teardown the web pages register too, once.
    assert app.teardown_appcontext_funcs == [teardown.close_storage]


def test_db_session_is_gone_after_a_request(client, storage, engine_name, world):
    if engine_name != "db":
        pytest.skip("scoped sessions: db engine only")
    client.get(f"/api/v1/states/{world.state.id}")
    assert not storage._session.registry.has()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_module(extra_env, port, tmp_path):
    """python3 -m api.v1.app (file engine in tmp_path): (status JSON, server log)."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("HBNB_API_HOST", "HBNB_API_PORT")}
    env = {**env, **extra_env, "PYTHONPATH": str(REPO), "HBNB_TYPE_STORAGE": "file",
           "HBNB_FILE_STORAGE_PATH": str(tmp_path / "file.json")}
    server = subprocess.Popen([sys.executable, "-m", "api.v1.app"], cwd=REPO, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while True:
            assert server.poll() is None, server.stderr.read()
            try:
                with urllib.request.urlopen(
                        f"http://127.0.0.1:{port}/api/v1/status/", timeout=2) as answer:
                    body = json.load(answer)
                break
            except OSError:
                assert time.monotonic() < deadline, "dev server never answered"
                time.sleep(0.1)
    finally:
        server.terminate()
        _, log = server.communicate(timeout=10)
    return body, log


def test_run_as_module_listens_on_hbnb_api_host_and_port(tmp_path):
    port = free_port()
    body, log = serve_module({"HBNB_API_HOST": "127.0.0.1", "HBNB_API_PORT": str(port)},
                             port, tmp_path)
    assert body == {"status": "OK"}
    assert f"Running on http://127.0.0.1:{port}" in log


def test_run_as_module_defaults_to_all_addresses_port_5000(tmp_path, port_5000):
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("0.0.0.0", port_5000))
        except OSError:
            pytest.skip("port 5000 is taken on this host")
    body, log = serve_module({}, port_5000, tmp_path)
    assert body == {"status": "OK"}
    assert "Running on all addresses (0.0.0.0)" in log
