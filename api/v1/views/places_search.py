"""POST /places_search: places by states, cities and amenities (spec semantics).

Empty body object -> every place; states -> the places of all their cities;
cities -> added to those, without duplicates; amenities -> only the places that
have all of them. Unknown ids match nothing. storage.search_places answers in a
handful of SQL queries whatever the number of places.
"""
from api.v1 import crud
from api.v1.apidoc import array_of, documented
from api.v1.fields import id_list
from api.v1.views import app_views


@app_views.route("/places_search", methods=["POST"])
@documented("Search places by states, cities and amenities", tag="Places",
            ok={200: array_of("Place")}, body="PlacesSearch")
def places_search():
    data = crud.json_object()
    places = crud.storage().search_places(
        states=id_list(data, "states"), cities=id_list(data, "cities"),
        amenities=id_list(data, "amenities"))
    return crud.listing(places)
