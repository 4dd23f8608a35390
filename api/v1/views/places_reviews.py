"""Reviews: GET|POST /places/<place_id>/reviews, GET|DELETE|PUT /reviews/<review_id>."""
from models.place import Place
from models.review import Review

from api.v1 import crud
from api.v1.views import app_views

crud.resource_routes(
    app_views, Review, tag="Reviews", noun="a review", parent=Place, parent_noun="a place",
    create_note="404 when the place or the user_id does not exist.",
    summaries={"list": "List the reviews of a place", "get": "Get a review",
               "delete": "Delete a review", "create": "Review a place",
               "update": "Update a review (its place and author stay)"})
