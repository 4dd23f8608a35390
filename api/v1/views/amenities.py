"""Amenities: GET|POST /amenities, GET|DELETE|PUT /amenities/<amenity_id>."""
from models.amenity import Amenity

from api.v1 import crud
from api.v1.views import app_views

crud.resource_routes(app_views, Amenity, tag="Amenities", noun="an amenity", summaries={
    "list": "List the amenities", "get": "Get an amenity",
    "delete": "Delete an amenity (and its links to places)",
    "create": "Create an amenity", "update": "Update an amenity"})
