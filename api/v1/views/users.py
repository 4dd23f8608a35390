"""Users: GET|POST /users, GET|DELETE|PUT /users/<user_id>.

The password is hashed by the model and never part of an answer; PUT never
changes the email.
"""
from models.user import User

from api.v1 import crud
from api.v1.views import app_views

crud.resource_routes(app_views, User, tag="Users", noun="a user", summaries={
    "list": "List the users", "get": "Get a user",
    "delete": "Delete a user, their places and their reviews",
    "create": "Create a user", "update": "Update a user (the email stays)"})
