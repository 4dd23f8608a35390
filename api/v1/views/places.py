"""Places: GET|POST /cities/<city_id>/places, GET|DELETE|PUT /places/<place_id>."""
from models.city import City
from models.place import Place

from api.v1 import crud
from api.v1.apidoc import array_of, documented, ref
from api.v1.views import app_views

CITY_ID = {"city_id": "id of a city"}
ID = {"place_id": "id of a place"}


@app_views.route("/cities/<city_id>/places", methods=["GET"])
@documented("List the places of a city", tag="Places", ok={200: array_of("Place")},
            errors=(404,), parameters=CITY_ID)
def list_places(city_id):
    city = crud.get_or_404(City, city_id)
    return crud.listing(crud.storage().find(Place, city_id=city.id))


@app_views.route("/places/<place_id>", methods=["GET"])
@documented("Get a place", tag="Places", ok={200: ref("Place")}, errors=(404,),
            parameters=ID)
def get_place(place_id):
    return crud.show(crud.get_or_404(Place, place_id))


@app_views.route("/places/<place_id>", methods=["DELETE"])
@documented("Delete a place and its reviews", tag="Places", ok={200: ref("Empty")},
            errors=(404,), parameters=ID)
def delete_place(place_id):
    return crud.delete(crud.get_or_404(Place, place_id))


@app_views.route("/cities/<city_id>/places", methods=["POST"])
@documented("Create a place in a city", tag="Places", ok={201: ref("Place")},
            errors=(404,), body="PlaceCreate", parameters=CITY_ID,
            description="404 when the city or the user_id does not exist.")
def create_place(city_id):
    return crud.create(Place, parent=crud.get_or_404(City, city_id))


@app_views.route("/places/<place_id>", methods=["PUT"])
@documented("Update a place (its city and owner stay)", tag="Places",
            ok={200: ref("Place")}, errors=(404,), body="PlaceUpdate", parameters=ID)
def update_place(place_id):
    return crud.update(crud.get_or_404(Place, place_id))
