"""States: GET|POST /states, GET|DELETE|PUT /states/<state_id>."""
from models.state import State

from api.v1 import crud
from api.v1.views import app_views

crud.resource_routes(app_views, State, tag="States", noun="a state", summaries={
    "list": "List the states", "get": "Get a state",
    "delete": "Delete a state, its cities and their places",
    "create": "Create a state", "update": "Update a state"})
