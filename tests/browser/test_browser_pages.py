"""The HBNB pages in a real headless Chromium, against a real gunicorn serving
the pages and the API on one loopback origin, on data seeded into the
configured storage (file or db engine).

Expected place sets are computed here from storage's plain reads (places,
cities, each place's amenities), not from ``search_places``, which the API
itself uses.
"""
import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = pytest.mark.browser

SEED_PLACES = 60  # the seed spreads 60 places over 3 cities of 3 states
SEED = 7
WAIT = 20  # seconds a page gets to reach an expected state

PLACE_IDS_JS = ("return Array.from(document.querySelectorAll('section.places article'),"
                " article => article.dataset.id)")
BUSY_JS = ("const list = document.querySelector('section.places .list');"
           " return list.getAttribute('aria-busy');")


class Data:
    """What the storage holds, and the place sets filters should give."""

    def __init__(self, storage):
        from models.amenity import Amenity
        from models.city import City
        from models.place import Place
        from models.review import Review
        from models.state import State

        self.places = list(storage.all(Place).values())
        self.states = list(storage.all(State).values())
        self.cities = list(storage.all(City).values())
        self.amenities = list(storage.all(Amenity).values())
        self.reviews = list(storage.all(Review).values())
        self.state_of_city = {city.id: city.state_id for city in self.cities}
        self.amenities_of = {place.id: {a.id for a in storage.amenities_of(place)}
                             for place in self.places}

    def all_ids(self) -> set:
        return {place.id for place in self.places}

    def search(self, states=(), cities=(), amenities=()) -> set:
        """The places_search answer of the spec, as a set of place ids."""
        if states or cities:
            found = {place.id for place in self.places
                     if self.state_of_city[place.city_id] in states or place.city_id in cities}
        else:
            found = self.all_ids()
        return {pid for pid in found if set(amenities) <= self.amenities_of[pid]}

    def discriminating_amenities(self) -> list:
        """Amenities some places have and others lack, the most balanced first."""
        half = len(self.places) / 2
        counts = {a.id: sum(a.id in have for have in self.amenities_of.values())
                  for a in self.amenities}
        useful = [a for a in self.amenities if 0 < counts[a.id] < len(self.places)]
        return sorted(useful, key=lambda a: (abs(counts[a.id] - half), a.name))


@pytest.fixture
def data(storage):
    """The configured storage, emptied then filled by the seed command's code."""
    from models.seed import seed

    written = seed(SEED_PLACES, SEED, storage=storage)
    assert written.get("Place") == SEED_PLACES, written
    storage.close()
    return Data(storage)


def shown_places(browser) -> set:
    return set(browser.execute_script(PLACE_IDS_JS))


def wait_for_places(browser, expected: set) -> None:
    """Wait until the list shows exactly ``expected`` and no search is running."""
    def settled(driver):
        return driver.execute_script(BUSY_JS) == "false" and shown_places(driver) == expected
    try:
        WebDriverWait(browser, WAIT).until(settled)
    except TimeoutException:
        assert shown_places(browser) == expected, "the places list did not settle"
        raise


def wait_for_api_status(browser) -> None:
    WebDriverWait(browser, WAIT).until(
        lambda d: "available" in d.find_element(By.ID, "api_status").get_attribute("class").split(),
        "div#api_status never got the class 'available'")


def open_page(browser, server, version: str) -> None:
    browser.get(f"{server.url}/{version}/")
    WebDriverWait(browser, WAIT).until(lambda d: d.execute_script("return document.readyState") == "complete")


def toggle(browser, kind: str, obj) -> None:
    """Click the checkbox of ``obj`` in its filter's pop-over (opened by hovering)."""
    filter_block = browser.find_element(
        By.CSS_SELECTOR, ".filters .amenities" if kind == "amenity" else ".filters .locations")
    ActionChains(browser).move_to_element(filter_block).perform()
    box = filter_block.find_element(
        By.CSS_SELECTOR, f'input[type="checkbox"][data-kind="{kind}"][data-id="{obj.id}"]')
    WebDriverWait(browser, WAIT).until(lambda d: box.is_displayed())
    box.click()


def heading(browser, block: str) -> str:
    return browser.find_element(By.CSS_SELECTOR, f".filters .{block} > h4").text.strip()


def search(browser, expected: set) -> None:
    """Click Search and wait for ``expected``, which must differ from what is shown."""
    assert expected != shown_places(browser), "this step would prove nothing"
    browser.find_element(By.CSS_SELECTOR, "section.filters > button").click()
    wait_for_places(browser, expected)


def engine() -> str:
    import models
    return models.storage_t


def test_root_page_is_2_hbnb_with_status_badge_and_server_places(browser, live_server, data,
                                                                 screenshot):
    server = live_server()
    browser.get(f"{server.url}/")
    wait_for_api_status(browser)
    # Version 2 renders the places on the server: they are there at once, the
    # first PAGE_PLACES by name, and a line says how many there are in all.
    from web_flask.hbnb_data import PAGE_PLACES

    first = sorted(data.places, key=lambda place: (place.name, place.id))[:PAGE_PLACES]
    assert SEED_PLACES > PAGE_PLACES
    assert shown_places(browser) == {place.id for place in first}
    assert browser.find_element(By.CSS_SELECTOR, "section.places .total").text == \
        f"The first {PAGE_PLACES} of {SEED_PLACES} places, by name."
    assert browser.find_element(By.CSS_SELECTOR, "footer").text == "Holberton School"
    amenity = data.discriminating_amenities()[0]
    toggle(browser, "amenity", amenity)
    assert heading(browser, "amenities") == amenity.name
    toggle(browser, "amenity", amenity)
    assert heading(browser, "amenities") == ""
    screenshot(f"2-hbnb-root-{engine()}")


def amenity_pair(data):
    """Two amenities such that checking the second narrows the first's places."""
    candidates = data.discriminating_amenities()
    for first in candidates:
        for second in candidates:
            narrower = data.search(amenities=[first.id, second.id])
            if second is not first and narrower != data.search(amenities=[first.id]):
                return first, second
    raise AssertionError("the seeded data has no two amenities to search with")


def test_4_hbnb_status_places_and_amenity_search(browser, live_server, data, screenshot):
    open_page(browser, live_server(), "4-hbnb")
    wait_for_api_status(browser)
    wait_for_places(browser, data.all_ids())
    assert len(browser.find_elements(By.CSS_SELECTOR, "section.places article")) == SEED_PLACES

    first, second = amenity_pair(data)
    toggle(browser, "amenity", first)
    assert heading(browser, "amenities") == first.name
    search(browser, data.search(amenities=[first.id]))

    toggle(browser, "amenity", second)
    assert heading(browser, "amenities") == f"{first.name}, {second.name}"
    search(browser, data.search(amenities=[first.id, second.id]))
    screenshot(f"4-hbnb-{engine()}")


def test_100_hbnb_states_cities_and_amenities(browser, live_server, data, screenshot):
    open_page(browser, live_server(), "100-hbnb")
    wait_for_api_status(browser)
    wait_for_places(browser, data.all_ids())
    assert len(shown_places(browser)) == SEED_PLACES
    screenshot(f"100-hbnb-all-{engine()}")

    amenity = data.discriminating_amenities()[0]
    toggle(browser, "amenity", amenity)
    search(browser, data.search(amenities=[amenity.id]))
    toggle(browser, "amenity", amenity)  # unchecked again
    assert heading(browser, "amenities") == ""

    # A state with places, but not all of them; then a city of another state.
    def places_in_state(state):
        return data.search(states=[state.id])
    state = next(s for s in sorted(data.states, key=lambda s: s.name)
                 if 0 < len(places_in_state(s)) < SEED_PLACES)
    toggle(browser, "state", state)
    assert heading(browser, "locations") == state.name
    search(browser, places_in_state(state))

    city = next(c for c in sorted(data.cities, key=lambda c: c.name)
                if c.state_id != state.id and data.search(cities=[c.id]))
    toggle(browser, "city", city)
    assert heading(browser, "locations") == f"{state.name}, {city.name}"
    screenshot(f"100-hbnb-locations-open-{engine()}")  # the pop-over, still hovered
    search(browser, data.search(states=[state.id], cities=[city.id]))
    screenshot(f"100-hbnb-filtered-{engine()}")

    toggle(browser, "state", state)  # only the city is left
    assert heading(browser, "locations") == city.name
    search(browser, data.search(cities=[city.id]))


def test_101_hbnb_reviews_show_and_hide(browser, live_server, data, storage, screenshot):
    from models.user import User

    reviewed = {}
    for review in data.reviews:
        reviewed.setdefault(review.place_id, []).append(review)
    assert reviewed, "the seed wrote no review"
    place_id, reviews = max(reviewed.items(), key=lambda item: len(item[1]))

    open_page(browser, live_server(), "101-hbnb")
    wait_for_places(browser, data.all_ids())
    article = browser.find_element(By.CSS_SELECTOR, f'section.places article[data-id="{place_id}"]')
    toggle_link = article.find_element(By.CSS_SELECTOR, ".reviews .toggle")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", article)
    toggle_link.click()

    def review_headings(_driver):
        items = article.find_elements(By.CSS_SELECTOR, ".reviews li h3")
        texts = [item.text for item in items]
        return texts if len(texts) == len(reviews) and all(texts) else False
    headings = WebDriverWait(browser, WAIT).until(review_headings)
    authors = {f"From {u.first_name} {u.last_name} the "
               for u in (storage.get(User, r.user_id) for r in reviews)}
    assert all(any(h.startswith(a) for a in authors) for h in headings), headings
    shown_texts = {p.text for p in article.find_elements(By.CSS_SELECTOR, ".reviews li p")}
    assert shown_texts == {" ".join(r.text.split()) for r in reviews}
    assert toggle_link.text == "hide"
    screenshot(f"101-hbnb-reviews-{engine()}")

    toggle_link.click()
    WebDriverWait(browser, WAIT).until(
        lambda d: not article.find_elements(By.CSS_SELECTOR, ".reviews li"))
    assert toggle_link.text == "show"
