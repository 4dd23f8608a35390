"""The dynamic HBNB page, version by version (test client, both engines)."""
import os
import re
from pathlib import Path

import pytest
from flask import Flask
from gunicorn.util import import_app
from markupsafe import escape

from web_dynamic.pages import VERSIONS, create_app

PACKAGE = Path(__file__).resolve().parents[3] / "web_dynamic"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
ASSET = re.compile(r'(?:href|src)="(/static/[^"?]+)\?cache_id=([^"]*)"')
JQUERY_FILE = "/usr/share/javascript/jquery/jquery.min.js"  # Debian's libjs-jquery

# What each version adds (the spec's list), as the page shows it.
SCRIPTED = {"1-hbnb", "2-hbnb", "3-hbnb", "4-hbnb", "100-hbnb", "101-hbnb"}
WITH_STATUS = SCRIPTED - {"1-hbnb"}
SERVER_PLACES = {"0-hbnb", "1-hbnb", "2-hbnb"}
LOCATION_BOXES = {"100-hbnb", "101-hbnb"}


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def without_cache_ids(html: str) -> str:
    return re.sub(r"cache_id=" + UUID, "cache_id=", html)


def by_name(objects):
    return sorted(objects, key=lambda obj: (obj.name, obj.id))


@pytest.mark.parametrize("version", VERSIONS)
def test_version_exposes_a_flask_app_gunicorn_can_load(app_of, version):
    app = import_app(f"web_dynamic.{version}:app")
    assert isinstance(app, Flask)
    assert app is app_of(version)


@pytest.mark.parametrize("version", VERSIONS)
def test_page_answers_with_and_without_slash_without_redirect(client_of, seeded, version):
    client = client_of(version)
    with_slash, without = page(client, f"/{version}/"), page(client, f"/{version}")
    assert without_cache_ids(with_slash) == without_cache_ids(without)


@pytest.mark.parametrize("version", VERSIONS)
def test_each_app_serves_its_own_version_only(client_of, storage, version):
    client = client_of(version)
    for other in VERSIONS:
        if other != version:
            assert client.get(f"/{other}/").status_code == 404, other


def test_2_hbnb_answers_with_and_without_the_slash(client_of, seeded):
    client = client_of("2-hbnb")
    assert without_cache_ids(page(client, "/2-hbnb/")) == without_cache_ids(page(client, "/2-hbnb"))


@pytest.mark.parametrize("version", VERSIONS)
def test_no_version_serves_the_root(client_of, storage, version):
    """As the curriculum's clone: a site that proxies / to the page app without
    its route (/2-hbnb) gets Flask's 404, on the school's server and here."""
    assert client_of(version).get("/").status_code == 404


@pytest.mark.parametrize("version", VERSIONS)
def test_every_asset_carries_this_renders_cache_id(client_of, storage, version):
    client = client_of(version)
    first, second = page(client, f"/{version}/"), page(client, f"/{version}/")
    assets = ASSET.findall(first)
    assert len(assets) == len(re.findall(r'(?:href|src)="/static/', first)) >= 6
    ids = {cache_id for _, cache_id in assets}
    assert len(ids) == 1 and re.fullmatch(UUID, ids.pop())
    assert {c for _, c in ASSET.findall(second)}.isdisjoint(c for _, c in assets)


@pytest.mark.parametrize("version", VERSIONS)
def test_every_asset_of_the_page_loads(client_of, storage, version):
    client = client_of(version)
    html = page(client, f"/{version}/")
    for path, cache_id in ASSET.findall(html):
        response = client.get(f"{path}?cache_id={cache_id}")
        assert response.status_code == 200, path
        assert len(response.data) > 100, path
        response.close()


@pytest.mark.parametrize("version", VERSIONS)
def test_scripts_match_the_version(client_of, storage, version):
    html = page(client_of(version), f"/{version}/")
    scripts = [path for path, _ in ASSET.findall(html) if path.endswith(".js")]
    if version in SCRIPTED:
        assert scripts == ["/static/vendor/jquery.min.js", "/static/scripts/hbnb.js",
                           f"/static/scripts/{version}.js"]
    else:
        assert scripts == []
    assert ('<div id="api_status"' in html) == (version in WITH_STATUS)


@pytest.mark.parametrize("version", VERSIONS)
def test_filters_come_from_storage(client_of, seeded, version):
    from models.amenity import Amenity
    from models.city import City
    from models.state import State

    html = page(client_of(version), f"/{version}/")
    states = by_name(seeded.all(State).values())
    cities = seeded.all(City).values()
    amenities = by_name(seeded.all(Amenity).values())
    shown_states = re.findall(r"<h2><label>(?:<input[^>]*>)?([^<]*)</label></h2>", html)
    assert shown_states == [str(escape(s.name)) for s in states]
    for city in cities:
        assert f">{escape(city.name)}</label></li>" in html
    boxes = re.findall(r'<input type="checkbox" data-kind="(\w+)" data-id="([^"]+)" '
                       r'data-name="([^"]*)">', html)
    amenity_boxes = [(i, n) for kind, i, n in boxes if kind == "amenity"]
    if version == "0-hbnb":
        assert boxes == []
        assert all(f"<li><label>{escape(a.name)}</label></li>" in html for a in amenities)
    else:
        assert amenity_boxes == [(a.id, str(escape(a.name))) for a in amenities]
    location_boxes = {(kind, i) for kind, i, _ in boxes if kind in ("state", "city")}
    if version in LOCATION_BOXES:
        assert location_boxes == ({("state", s.id) for s in states}
                                  | {("city", c.id) for c in cities})
    else:
        assert location_boxes == set()


@pytest.mark.parametrize("version", VERSIONS)
def test_places_rendered_on_the_server_up_to_version_2(client_of, seeded, version):
    from models.place import Place
    from models.user import User
    from web_flask.hbnb_data import PAGE_PLACES

    html = page(client_of(version), f"/{version}/")
    articles = re.findall(r'<article data-id="([^"]+)">(.*?)</article>', html, re.S)
    if version not in SERVER_PLACES:
        assert articles == []  # the script asks the API
        assert 'class="total"' not in html
        return
    # The seed has more places than a page shows: the first ones by name.
    places = by_name(seeded.all(Place).values())
    assert len(places) > PAGE_PLACES == 50
    assert [pid for pid, _ in articles] == [p.id for p in places[:PAGE_PLACES]]
    for (_, body), place in zip(articles, places):
        owner = seeded.get(User, place.user_id)
        assert f"<h2>{escape(place.name)}</h2>" in body
        assert f"<b>Owner:</b> {escape(owner.first_name)} {escape(owner.last_name)}" in body
    assert (f'<h1>Places</h1>\n        <p class="total">The first {PAGE_PLACES} of '
            f'{len(places)} places, by name.</p>') in html


@pytest.mark.parametrize("version", sorted(SERVER_PLACES))
def test_a_page_listing_every_place_does_not_say_how_many(client_of, storage, version):
    from models.seed import generate, write

    write(storage, generate(12, 1))
    storage.close()
    html = page(client_of(version), f"/{version}/")
    assert len(re.findall(r"<article ", html)) == 12
    assert 'class="total"' not in html


def test_the_total_uses_thousands_separators(client_of, seeded, monkeypatch):
    from web_flask import hbnb_data

    monkeypatch.setattr(hbnb_data, "PAGE_PLACES", 2)
    monkeypatch.setattr(hbnb_data, "places_total", lambda: 12345)
    hbnb_data.CACHE.clear()
    html = page(client_of("2-hbnb"), "/2-hbnb/")
    assert len(re.findall(r"<article ", html)) == 2
    assert '<p class="total">The first 2 of 12,345 places, by name.</p>' in html
    hbnb_data.CACHE.clear()


@pytest.mark.parametrize("version", VERSIONS)
def test_page_ends_with_the_footer(client_of, storage, version):
    html = page(client_of(version), f"/{version}/")
    text_after_last_tag = [t.strip() for t in re.split(r"<[^>]+>", html) if t.strip()]
    assert text_after_last_tag[-1] == "Holberton School"
    assert html.rstrip().endswith("</footer>\n  </body>\n</html>")


def test_unknown_version_is_refused():
    with pytest.raises(ValueError, match="5-hbnb"):
        create_app("5-hbnb")
    with pytest.raises(ValueError, match="9-hbnb"):
        create_app("2-hbnb", root="9-hbnb")


def test_one_app_can_serve_several_versions(storage):
    client = create_app("3-hbnb", "100-hbnb").test_client()
    assert client.get("/3-hbnb").status_code == client.get("/100-hbnb/").status_code == 200
    assert client.get("/4-hbnb").status_code == 404


def test_jquery_is_debians_file_through_a_committed_symlink(client_of):
    link = PACKAGE / "static" / "vendor" / "jquery.min.js"
    assert link.is_symlink() and os.readlink(link) == JQUERY_FILE
    assert os.path.isfile(JQUERY_FILE), "install Debian's libjs-jquery (host/test-deps.sh)"
    response = client_of("2-hbnb").get("/static/vendor/jquery.min.js")
    assert response.status_code == 200
    assert response.data == Path(JQUERY_FILE).read_bytes()
    response.close()


SOURCES = sorted([*PACKAGE.glob("templates/*.html"), *PACKAGE.glob("static/scripts/*.js"),
                  *(PACKAGE.parent / "web_flask").glob("templates/*.html")])


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_no_absolute_address_in_templates_and_scripts(source):
    text = source.read_text()
    assert not re.search(r"https?://|//[\w.-]+:\d+|0\.0\.0\.0|localhost|127\.0\.0\.1", text)


def test_every_version_has_its_template_and_script():
    for version in VERSIONS:
        assert (PACKAGE / "templates" / f"{version}.html").is_file()
        assert (PACKAGE / "static" / "scripts" / f"{version}.js").is_file() == (version in SCRIPTED)
        assert (PACKAGE / f"{version}.py").is_file()


# The features each version's script turns on (static/scripts/hbnb.js).
FEATURES = {
    "1-hbnb": {"amenityFilter"},
    "2-hbnb": {"amenityFilter", "apiStatus"},
    "3-hbnb": {"amenityFilter", "apiStatus", "places"},
    "4-hbnb": {"amenityFilter", "apiStatus", "places", "searchButton"},
    "100-hbnb": {"amenityFilter", "locationFilter", "apiStatus", "places", "searchButton"},
    "101-hbnb": {"amenityFilter", "locationFilter", "apiStatus", "places", "searchButton"},
}


@pytest.mark.parametrize("version", sorted(FEATURES))
def test_each_script_uses_the_features_of_its_version(version):
    script = (PACKAGE / "static" / "scripts" / f"{version}.js").read_text()
    assert set(re.findall(r"hbnb\.(\w+)\(", script)) == FEATURES[version]
    assert ("reviews: true" in script) == (version == "101-hbnb")


def test_scripts_call_the_api_by_relative_urls():
    script = (PACKAGE / "static" / "scripts" / "hbnb.js").read_text()
    assert "const API = '/api/v1';" in script
    for call in ("API + '/status/'", "API + '/places_search/'", "API + '/places/'",
                 "API + '/users/'"):
        assert call in script


@pytest.mark.parametrize("version", ["2-hbnb", "100-hbnb"])
def test_page_asks_the_database_a_fixed_number_of_queries(client_of, seeded, sql_statements,
                                                          version):
    # Whatever the number of rows: the tables' fingerprint, then one SELECT
    # per class shown (states, cities, amenities, the first places, their
    # owners) and the number of places. Every version reads the same data.
    from web_flask.hbnb_data import CACHE

    CACHE.clear()  # an earlier test may have left the same seed's data there
    page(client_of(version), f"/{version}/")
    selects = [s for s in sql_statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 7, selects
    assert "bit_xor" in selects[0]
    # While the tables do not change, the next render asks the fingerprint only.
    del sql_statements[:]
    page(client_of(version), f"/{version}/")
    assert len(sql_statements) == 1 and "bit_xor" in sql_statements[0], sql_statements
