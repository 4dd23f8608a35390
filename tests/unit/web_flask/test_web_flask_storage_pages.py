"""Steps 7-100 of web_flask: pages read from the configured storage (both engines)."""
import re

import pytest
from markupsafe import escape

from models import teardown

ITEM = re.compile(r"<LI>([^:<]+): <B>(.*?)</B>")


def by_name(objects):
    return sorted(objects, key=lambda obj: (obj.name, obj.id))


def listed(html: str) -> list[tuple[str, str]]:
    """The (id, name) pairs of the page's "<id>: <B><name></B>" items, in order."""
    return ITEM.findall(html)


def pairs(objects) -> list[tuple[str, str]]:
    return [(obj.id, str(escape(obj.name))) for obj in objects]


def get_ok(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def states_of(storage):
    from models.state import State
    return by_name(storage.all(State).values())


def cities_of(storage, state):
    from models.city import City
    return by_name(c for c in storage.all(City).values() if c.state_id == state.id)


@pytest.mark.parametrize("module,path", [("7-states_list", "/states_list"),
                                         ("9-states", "/states")])
def test_states_are_listed_sorted_by_name(client_of, seeded, module, path):
    states = states_of(seeded)
    assert len(states) == 50
    assert listed(get_ok(client_of(module), path)) == pairs(states)


@pytest.mark.parametrize("module,path", [("7-states_list", "/states_list"),
                                         ("8-cities_by_states", "/cities_by_states"),
                                         ("9-states", "/states")])
def test_states_are_sorted_whatever_the_order_they_were_written(client_of, storage, module, path):
    from models.city import City
    from models.state import State

    for name in ("Zeta", "Alpha", "Mu", "Beta"):
        state = State(name=name)
        state.save()
        for city in ("Yonder", "Arbor"):
            City(name=f"{city} of {name}", state_id=state.id).save()
    html = get_ok(client_of(module), path)
    names = [name for _, name in listed(html) if " of " not in name]
    assert names == ["Alpha", "Beta", "Mu", "Zeta"]
    if module == "8-cities_by_states":
        cities = [name for _, name in listed(html) if " of " in name]
        assert cities[:2] == ["Arbor of Alpha", "Yonder of Alpha"]


def test_cities_by_states_nests_sorted_cities_under_sorted_states(client_of, seeded):
    expected = []
    for state in states_of(seeded):
        expected += pairs([state]) + pairs(cities_of(seeded, state))
    html = get_ok(client_of("8-cities_by_states"), "/cities_by_states")
    assert listed(html) == expected
    assert sum(len(cities_of(seeded, s)) for s in states_of(seeded)) == 3


def test_one_state_page_lists_its_cities(client_of, seeded):
    state = next(s for s in states_of(seeded) if cities_of(seeded, s))
    html = get_ok(client_of("9-states"), f"/states/{state.id}")
    assert f"<H1>State: {state.name}</H1>" in html
    assert "<H3>Cities:</H3>" in html
    assert listed(html) == pairs(cities_of(seeded, state))


def test_state_without_cities_has_an_empty_list(client_of, seeded):
    state = next(s for s in states_of(seeded) if not cities_of(seeded, s))
    html = get_ok(client_of("9-states"), f"/states/{state.id}")
    assert f"<H1>State: {state.name}</H1>" in html
    assert listed(html) == []


@pytest.mark.parametrize("state_id", ["no-such-id", "00000000-0000-0000-0000-000000000000"])
def test_unknown_state_is_not_found(client_of, seeded, state_id):
    html = get_ok(client_of("9-states"), f"/states/{state_id}")
    assert "<H1>Not found!</H1>" in html
    assert "State:" not in html and listed(html) == []


@pytest.mark.parametrize("module,path", [
    ("7-states_list", "/states_list"), ("8-cities_by_states", "/cities_by_states"),
    ("9-states", "/states"), ("10-hbnb_filters", "/hbnb_filters"), ("100-hbnb", "/hbnb"),
])
def test_both_slash_forms_answer_without_redirect(client_of, seeded, module, path):
    client = client_of(module)
    assert get_ok(client, path) == get_ok(client, path + "/")


def test_one_state_page_answers_both_slash_forms(client_of, seeded):
    state = states_of(seeded)[0]
    client = client_of("9-states")
    assert get_ok(client, f"/states/{state.id}") == get_ok(client, f"/states/{state.id}/")


def test_names_are_html_escaped(client_of, storage):
    from models.state import State

    State(name='<script>alert("x")</script>').save()
    html = get_ok(client_of("7-states_list"), "/states_list")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_empty_storage_gives_empty_lists(client_of, storage):
    assert listed(get_ok(client_of("7-states_list"), "/states_list")) == []
    assert listed(get_ok(client_of("8-cities_by_states"), "/cities_by_states")) == []


def test_hbnb_filters_lists_states_cities_and_amenities_sorted(client_of, seeded):
    from models.amenity import Amenity

    html = get_ok(client_of("10-hbnb_filters"), "/hbnb_filters")
    locations = html[html.index('class="locations"'):html.index('class="amenities"')]
    names = re.findall(r"<(?:h2|li)>([^<]+)</(?:h2|li)>", locations)
    expected = []
    for state in states_of(seeded):
        expected += [state.name] + [c.name for c in cities_of(seeded, state)]
    assert names == [str(escape(n)) for n in expected]
    amenities = html[html.index('class="amenities"'):html.index("<button")]
    assert re.findall(r"<li>([^<]+)</li>", amenities) == [
        str(escape(a.name)) for a in by_name(seeded.all(Amenity).values())]
    assert 'class="places"' not in html
    assert html.rstrip().endswith("</html>") and "<p>Holberton School</p>" in html


def test_hbnb_shows_the_first_places_with_owner_and_amenities(client_of, seeded):
    from models.place import Place
    from models.user import User
    from web_flask.hbnb_data import PAGE_PLACES

    html = get_ok(client_of("100-hbnb"), "/hbnb")
    articles = re.findall(r'<article data-id="([^"]+)">(.*?)</article>', html, re.S)
    places = by_name(seeded.all(Place).values())
    assert len(places) > PAGE_PLACES
    assert f"The first {PAGE_PLACES} of {len(places)} places, by name." in html
    places = places[:PAGE_PLACES]
    assert [pid for pid, _ in articles] == [p.id for p in places]
    with_amenities = 0
    for (_, body), place in zip(articles, places):
        assert f"<h2>{escape(place.name)}</h2>" in body
        assert f'<div class="price_by_night">${place.price_by_night}</div>' in body
        owner = seeded.get(User, place.user_id)
        assert f"<b>Owner:</b> {escape(owner.first_name)} {escape(owner.last_name)}</div>" in body
        amenities = [str(escape(a.name)) for a in by_name(seeded.amenities_of(place))]
        assert re.findall(r"<li>([^<]+)</li>", body) == amenities
        with_amenities += bool(amenities)
    assert 0 < with_amenities < len(places)


@pytest.mark.parametrize("module,path", [("10-hbnb_filters", "/hbnb_filters"), ("100-hbnb", "/hbnb")])
def test_page_assets_load(client_of, seeded, module, path):
    client = client_of(module)
    html = get_ok(client, path)
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert {a.rsplit(".", 1)[-1] for a in assets} == {"css", "png"}
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert response.data, asset
        response.close()


@pytest.mark.parametrize("module,path", [
    ("7-states_list", "/states_list"), ("8-cities_by_states", "/cities_by_states"),
    ("9-states", "/states"), ("10-hbnb_filters", "/hbnb_filters"), ("100-hbnb", "/hbnb"),
])
def test_storage_is_closed_once_after_each_request(client_of, app_of, seeded, monkeypatch,
                                                     module, path):
    closed = []
    real_close = seeded.close

    def counting_close():
        closed.append(path)
        real_close()
    monkeypatch.setattr(seeded, "close", counting_close)
    client = client_of(module)
    get_ok(client, path)
    assert closed == [path]
    assert app_of(module).teardown_appcontext_funcs.count(teardown.close_storage) == 1


@pytest.mark.parametrize("module,path,queries", [
    ("7-states_list", "/states_list", 1), ("8-cities_by_states", "/cities_by_states", 2),
    ("10-hbnb_filters", "/hbnb_filters", 3),
])
def test_lists_ask_the_database_a_fixed_number_of_queries(client_of, seeded, sql_statements,
                                                           module, path, queries):
    get_ok(client_of(module), path)
    selects = [s for s in sql_statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == queries, selects
