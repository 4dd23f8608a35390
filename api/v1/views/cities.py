"""Cities: GET|POST /states/<state_id>/cities, GET|DELETE|PUT /cities/<city_id>."""
from models.city import City
from models.state import State

from api.v1 import crud
from api.v1.apidoc import array_of, documented, ref
from api.v1.views import app_views

STATE_ID = {"state_id": "id of a state"}
ID = {"city_id": "id of a city"}


@app_views.route("/states/<state_id>/cities", methods=["GET"])
@documented("List the cities of a state", tag="Cities", ok={200: array_of("City")},
            errors=(404,), parameters=STATE_ID)
def list_cities(state_id):
    state = crud.get_or_404(State, state_id)
    return crud.listing(crud.storage().find(City, state_id=state.id))


@app_views.route("/cities/<city_id>", methods=["GET"])
@documented("Get a city", tag="Cities", ok={200: ref("City")}, errors=(404,),
            parameters=ID)
def get_city(city_id):
    return crud.show(crud.get_or_404(City, city_id))


@app_views.route("/cities/<city_id>", methods=["DELETE"])
@documented("Delete a city and its places", tag="Cities", ok={200: ref("Empty")},
            errors=(404,), parameters=ID)
def delete_city(city_id):
    return crud.delete(crud.get_or_404(City, city_id))


@app_views.route("/states/<state_id>/cities", methods=["POST"])
@documented("Create a city in a state", tag="Cities", ok={201: ref("City")},
            errors=(404,), body="CityCreate", parameters=STATE_ID)
def create_city(state_id):
    return crud.create(City, parent=crud.get_or_404(State, state_id))


@app_views.route("/cities/<city_id>", methods=["PUT"])
@documented("Update a city (its state stays)", tag="Cities", ok={200: ref("City")},
            errors=(404,), body="CityUpdate", parameters=ID)
def update_city(city_id):
    return crud.update(crud.get_or_404(City, city_id))
