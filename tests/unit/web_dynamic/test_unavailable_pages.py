"""The pages (web_dynamic's and web_flask's storage pages) when MariaDB is
stopped, restarting or hung: a short HTML 503 with Retry-After, never Flask's
500; a GET waits for a restart and gets its page.

Real faults (tests/unit/conftest.py): a port where nothing listens
(``unreachable_storage``) or a proxy to the real server (``proxied``).
"""
import importlib
import threading

import pytest

from models.unavailable import RETRY_AFTER
from web_dynamic.pages import VERSIONS

STORAGE_PAGES = [("7-states_list", "/states_list"), ("8-cities_by_states", "/cities_by_states"),
                 ("9-states", "/states"), ("9-states", "/states/some-id"),
                 ("10-hbnb_filters", "/hbnb_filters"), ("100-hbnb", "/hbnb")]


def flask_client(package, module):
    app = importlib.import_module(f"{package}.{module}").app
    app.config["TESTING"] = True
    return app.test_client()


def assert_unavailable_page(response):
    assert response.status_code == 503
    assert response.mimetype == "text/html"
    assert response.headers["Retry-After"] == str(RETRY_AFTER)
    html = response.get_data(as_text=True)
    assert "<h1>Service Unavailable</h1>" in html and len(html) < 1000
    assert "Traceback" not in html


def test_the_root_page_is_a_503(unreachable_storage, timed):
    response, took = timed(lambda: flask_client("web_dynamic", "2-hbnb").get("/2-hbnb/"))
    assert_unavailable_page(response)
    assert 0.3 <= took < 2, took  # waited out the retry window (0.3 s)


@pytest.mark.parametrize("version", VERSIONS)
def test_every_version_is_a_503(unreachable_storage, version):
    assert_unavailable_page(flask_client("web_dynamic", version).get(f"/{version}/"))


@pytest.mark.parametrize("module, path", STORAGE_PAGES)
def test_web_flask_storage_pages_are_a_503(unreachable_storage, module, path):
    assert_unavailable_page(flask_client("web_flask", module).get(path))


def test_pages_without_storage_still_answer(unreachable_storage):
    client = flask_client("web_flask", "6-number_odd_or_even")
    assert client.get("/number_odd_or_even/3").status_code == 200
    assert client.get("/airbnb-onepage/").data == b"Hello HBNB!"


def test_the_root_page_waits_for_a_restart(seeded, proxied, timed):
    from web_flask.hbnb_data import CACHE

    CACHE.clear()
    client = flask_client("web_dynamic", "2-hbnb")
    proxied.proxy.down()
    threading.Timer(1.0, proxied.proxy.up).start()
    response, took = timed(lambda: client.get("/2-hbnb/"))
    assert response.status_code == 200
    assert response.get_data(as_text=True).count("<article ") == 50
    assert 0.9 < took < 3, took


def test_no_page_fails_across_a_restart_under_load(seeded, proxied, reads_across_restart):
    from web_flask.hbnb_data import CACHE

    CACHE.clear()
    app = importlib.import_module("web_dynamic.2-hbnb").app
    before, statuses = reads_across_restart(
        app, "/2-hbnb/", lambda response: (response.status_code, response.get_data(as_text=True).count("<article ")),
        clients=3)
    assert before > 0 and len(statuses) > before
    assert set(statuses) == {(200, 50)}, [s for s in statuses if s != (200, 50)][:5]


def test_a_hung_database_is_a_503_in_bounded_time(storage, proxied, get_while_hung):
    from web_flask.hbnb_data import CACHE

    CACHE.clear()
    client = flask_client("web_dynamic", "2-hbnb")
    assert client.get("/2-hbnb/").status_code == 200  # pooled connections, which will hang
    response, took = get_while_hung(client, "/2-hbnb/")
    assert_unavailable_page(response)
    assert 2.5 < took < 4.5, took
    assert client.get("/2-hbnb/").status_code == 200
