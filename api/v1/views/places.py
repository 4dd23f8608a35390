"""Places: GET|POST /cities/<city_id>/places, GET|DELETE|PUT /places/<place_id>."""
from models.city import City
from models.place import Place

from api.v1 import crud
from api.v1.views import app_views

crud.resource_routes(
    app_views, Place, tag="Places", noun="a place", parent=City, parent_noun="a city",
    create_note="404 when the city or the user_id does not exist.",
    summaries={"list": "List the places of a city", "get": "Get a place",
               "delete": "Delete a place and its reviews",
               "create": "Create a place in a city",
               "update": "Update a place (its city and owner stay)"})
