"""States: GET|POST /states, GET|DELETE|PUT /states/<state_id>."""
from models.state import State

from api.v1 import crud
from api.v1.apidoc import array_of, documented, ref
from api.v1.views import app_views

ID = {"state_id": "id of a state"}


@app_views.route("/states", methods=["GET"])
@documented("List the states", tag="States", ok={200: array_of("State")})
def list_states():
    return crud.listing(crud.storage().all(State).values())


@app_views.route("/states/<state_id>", methods=["GET"])
@documented("Get a state", tag="States", ok={200: ref("State")}, errors=(404,),
            parameters=ID)
def get_state(state_id):
    return crud.show(crud.get_or_404(State, state_id))


@app_views.route("/states/<state_id>", methods=["DELETE"])
@documented("Delete a state, its cities and their places", tag="States",
            ok={200: ref("Empty")}, errors=(404,), parameters=ID)
def delete_state(state_id):
    return crud.delete(crud.get_or_404(State, state_id))


@app_views.route("/states", methods=["POST"])
@documented("Create a state", tag="States", ok={201: ref("State")}, body="StateCreate")
def create_state():
    return crud.create(State)


@app_views.route("/states/<state_id>", methods=["PUT"])
@documented("Update a state", tag="States", ok={200: ref("State")}, errors=(404,),
            body="StateUpdate", parameters=ID)
def update_state(state_id):
    return crud.update(crud.get_or_404(State, state_id))
