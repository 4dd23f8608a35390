"""The page data cache (web_flask/page_cache.py, hbnb_data.page_data): used
while the tables are unchanged, dropped as soon as anyone changes them (this
process, another process, SQL typed by hand), bounded by a TTL for what the
fingerprint cannot see; the page's cache_id stays fresh per render."""
import os
import re
import subprocess
import sys
import time

import pytest
from sqlalchemy import text

from web_flask import hbnb_data
from web_flask.page_cache import FingerprintCache, ttl_from_env

NAME = re.compile(r'<article data-id="[^"]+">\s*<h2>([^<]*)</h2>')


@pytest.fixture
def root(seeded, monkeypatch):
    """GET /2-hbnb/ of 2-hbnb -> the names of the places shown; an empty cache, TTL 60 s."""
    import importlib

    monkeypatch.setattr(hbnb_data, "CACHE", FingerprintCache(60))
    client = importlib.import_module("web_dynamic.2-hbnb").app.test_client()

    def names():
        response = client.get("/2-hbnb/")
        assert response.status_code == 200
        return NAME.findall(response.get_data(as_text=True))
    return names


def first_place(storage):
    from models.place import Place

    return min(storage.all(Place).values(), key=lambda place: (place.name, place.id))


def test_an_unchanged_page_comes_from_the_cache(root, storage, monkeypatch):
    first = root()
    assert len(first) == 50
    from web_dynamic import pages

    reads, renders = [], []
    real_read, real_render = hbnb_data.read_page_data, pages.render_data
    monkeypatch.setattr(hbnb_data, "read_page_data", lambda: reads.append(1) or real_read())
    monkeypatch.setattr(pages, "render_data",
                        lambda *args: renders.append(1) or real_render(*args))
    assert root() == first and root() == first
    assert reads == [] and renders == []  # neither read nor rendered again


def test_a_save_through_the_models_is_seen_at_once(root, storage):
    root()
    place = first_place(storage)
    place.name = "AAA Saved here"
    place.save()
    storage.close()
    assert root()[0] == "AAA Saved here"


def test_a_write_by_another_process_is_seen_at_once(root, storage):
    """Another Gunicorn worker or the other web server: only the database (or
    file.json) is shared."""
    root()
    code = ("import models; from models.place import Place; "
            "p = models.storage.get(Place, {!r}); p.name = 'AAA Other process'; p.save()")
    env = {key: value for key, value in os.environ.items() if key != "HBNB_ENV"}
    subprocess.run([sys.executable, "-c", code.format(first_place(storage).id)],
                   check=True, env=env, timeout=60)
    storage.close()
    assert root()[0] == "AAA Other process"


def test_a_delete_and_its_cascade_are_seen(root, storage):
    from models.place import Place
    from models.user import User

    assert first_place(storage).name in root()
    owner = storage.get(User, first_place(storage).user_id)
    owned = {place.name for place in storage.find(Place, user_id=owner.id)}
    storage.delete(owner)  # the owner's places go with them
    storage.save()
    storage.close()
    assert owned and not owned & set(root())
    assert storage.count(Place) == 60 - len(owned)


def test_sql_by_hand_that_stamps_updated_at_is_seen_at_once(root, storage):
    if not hasattr(storage, "engine"):
        pytest.skip("SQL by hand: db engine only")
    root()
    with storage.engine.begin() as conn:
        conn.execute(text("UPDATE places SET name = 'AAA By hand', updated_at = NOW(6) "
                          "WHERE id = :id"), {"id": first_place(storage).id})
    assert root()[0] == "AAA By hand"


def test_what_the_fingerprint_cannot_see_lasts_at_most_the_ttl(root, storage):
    if not hasattr(storage, "engine"):
        pytest.skip("SQL by hand: db engine only")
    hbnb_data.CACHE.ttl = 0.5
    before = root()
    with storage.engine.begin() as conn:  # updated_at left as it was
        conn.execute(text("UPDATE places SET name = 'AAA Sneaky' WHERE id = :id"),
                     {"id": first_place(storage).id})
    assert root() == before  # the fingerprint is blind to it...
    time.sleep(0.6)
    assert root()[0] == "AAA Sneaky"  # ...the TTL is not


def test_each_render_has_its_own_cache_id(root, storage):
    import importlib

    client = importlib.import_module("web_dynamic.2-hbnb").app.test_client()
    ids = {re.search(r"cache_id=([0-9a-f-]{36})", client.get("/2-hbnb/").get_data(as_text=True))[1]
           for _ in range(3)}
    assert len(ids) == 3


def test_a_ttl_of_zero_turns_the_cache_off(root, storage, monkeypatch):
    hbnb_data.CACHE.ttl = 0
    reads = []
    real = hbnb_data.read_page_data
    monkeypatch.setattr(hbnb_data, "read_page_data", lambda: reads.append(1) or real())
    root()
    root()
    assert reads == [1, 1]


def test_entries_are_snapshots(root, storage):
    """What the cache keeps is not a stored object: changing one in memory
    (unsaved) does not reach the cached page."""
    data = hbnb_data.page_data()
    place, owner = data.places[0]
    assert type(place).__name__ == "SimpleNamespace" and not hasattr(place, "save")
    assert not hasattr(owner, "password") and not hasattr(owner, "_password")
    assert isinstance(data.places_total, int) and data.places_total == 60


@pytest.mark.parametrize("value, expected", [("", 10.0), ("0", 0.0), ("2.5", 2.5)])
def test_ttl_from_env(monkeypatch, value, expected):
    monkeypatch.setenv("HBNB_PAGE_CACHE_TTL", value)
    assert ttl_from_env() == expected


@pytest.mark.parametrize("value", ["-1", "soon", "inf"])
def test_a_bad_ttl_is_refused(monkeypatch, value):
    monkeypatch.setenv("HBNB_PAGE_CACHE_TTL", value)
    with pytest.raises(ValueError, match="HBNB_PAGE_CACHE_TTL"):
        ttl_from_env()
