"""Task 4: a third Gunicorn on port 5002 (api.v1.app) behind /api/, cumulative;
both web servers (and the load balancer) show one and the same database."""
import json

import pytest

from facts import API, DB_ENV, address, name_of, names
from probes import describe, gateway_hint, http, master_on_port, process_environment

pytestmark = pytest.mark.task4

STATS_KEYS = {"amenities", "cities", "places", "reviews", "states", "users"}


def get_json(host, url):
    response = http(host, url)
    assert response.status == 200, f"GET {url} gave {describe(response)}: {gateway_hint(response.status, API)}"
    assert response.header("Content-Type") and "application/json" in response.header("Content-Type"), (
        f"GET {url} is not JSON ({response.header('Content-Type')}) - is /api/ proxied to port {API['port']}?")
    return json.loads(response.body)


def test_states_is_a_list_of_state_objects(web):
    states = get_json(web, "http://127.0.0.1/api/v1/states")
    assert isinstance(states, list) and states, (
        "/api/v1/states is empty - was the database seeded? (provision/db.sh runs python3 -m models.seed)")
    assert {state.get("__class__") for state in states} == {"State"}, "/api/v1/states lists objects that are not States"


def test_stats_counts_every_class_and_matches_states(web):
    stats = get_json(web, "http://127.0.0.1/api/v1/stats")
    assert set(stats) == STATS_KEYS, f"/api/v1/stats keys are {sorted(stats)}, want {sorted(STATS_KEYS)}"
    states = get_json(web, "http://127.0.0.1/api/v1/states")
    assert stats["states"] == len(states), "stats and states disagree: two storages? (HBNB_TYPE_STORAGE in /etc/hbnb/db.env)"


def test_status_route_with_and_without_slash(web):
    for path in ("/api/v1/status", "/api/v1/status/"):
        assert get_json(web, f"http://127.0.0.1{path}") == {"status": "OK"}, f"{path} is not {{'status': 'OK'}}"


def test_api_uses_the_mysql_storage(web):
    """The process serving the API's port runs with db storage on the db machine's
    address (whatever started it: a unit, tmux, a shell)."""
    master = master_on_port(web, API["port"])
    assert master, f"nothing listens on port {API['port']}: a Gunicorn running {API['module']}?"
    env = process_environment(web, master)
    assert "HBNB_TYPE_STORAGE=db" in env, (
        f"MySQL settings missing: the Gunicorn on port {API['port']} runs without HBNB_TYPE_STORAGE=db "
        f"(the settings are in {DB_ENV})")
    db_address = address(names("db")[0])
    assert f"HBNB_MYSQL_HOST={db_address}" in env, (
        f"the Gunicorn on port {API['port']} does not use the db machine's address {db_address} (HBNB_MYSQL_HOST)")


def test_every_web_server_shows_the_same_data(lab_host):
    found = {name: get_json(lab_host(name), "http://127.0.0.1/api/v1/stats") for name in names("web")}
    assert len({json.dumps(stats, sort_keys=True) for stats in found.values()}) == 1, (
        f"the web servers disagree ({found}): each must use HBNB_MYSQL_HOST of the db machine")


def test_api_through_the_load_balancer(lb):
    states = get_json(lb, f"http://{address(name_of(lb))}/api/v1/states")
    assert states and states[0]["__class__"] == "State", f"/api/v1/states through {name_of(lb)} is not a list of States"
