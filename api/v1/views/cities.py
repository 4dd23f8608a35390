"""Cities: GET|POST /states/<state_id>/cities, GET|DELETE|PUT /cities/<city_id>."""
from models.city import City
from models.state import State

from api.v1 import crud
from api.v1.views import app_views

crud.resource_routes(
    app_views, City, tag="Cities", noun="a city", parent=State, parent_noun="a state",
    summaries={"list": "List the cities of a state", "get": "Get a city",
               "delete": "Delete a city and its places",
               "create": "Create a city in a state",
               "update": "Update a city (its state stays)"})
