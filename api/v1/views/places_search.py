"""POST /places_search: places by states, cities and amenities (spec semantics).

Empty body object -> every place; states -> the places of all their cities;
cities -> added to those, without duplicates; amenities -> only the places that
have all of them. Unknown ids match nothing. storage.search_places answers in a
handful of SQL queries whatever the number of places. ?limit=&offset= take a
slice of the answer (api.v1.paging), checked after the body.
"""
from api.v1 import crud, paging
from api.v1.apidoc import array_of, documented
from api.v1.fields import id_list
from api.v1.views import app_views


@app_views.route("/places_search", methods=["POST"])
@documented("Search places by states, cities and amenities", tag="Places",
            ok={200: array_of("Place")}, body="PlacesSearch", paged=True)
def places_search():
    data = crud.json_object()
    filters = {key: id_list(data, key) for key in ("states", "cities", "amenities")}
    places = crud.storage().search_places(**filters, **paging.from_request().storage_args())
    return crud.listing(places)
