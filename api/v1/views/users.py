"""Users: GET|POST /users, GET|DELETE|PUT /users/<user_id>.

The password is hashed by the model and never part of an answer; PUT never
changes the email.
"""
from models.user import User

from api.v1 import crud
from api.v1.apidoc import array_of, documented, ref
from api.v1.views import app_views

ID = {"user_id": "id of a user"}


@app_views.route("/users", methods=["GET"])
@documented("List the users", tag="Users", ok={200: array_of("User")})
def list_users():
    return crud.listing(crud.storage().all(User).values())


@app_views.route("/users/<user_id>", methods=["GET"])
@documented("Get a user", tag="Users", ok={200: ref("User")}, errors=(404,),
            parameters=ID)
def get_user(user_id):
    return crud.show(crud.get_or_404(User, user_id))


@app_views.route("/users/<user_id>", methods=["DELETE"])
@documented("Delete a user, their places and their reviews", tag="Users",
            ok={200: ref("Empty")}, errors=(404,), parameters=ID)
def delete_user(user_id):
    return crud.delete(crud.get_or_404(User, user_id))


@app_views.route("/users", methods=["POST"])
@documented("Create a user", tag="Users", ok={201: ref("User")}, body="UserCreate")
def create_user():
    return crud.create(User)


@app_views.route("/users/<user_id>", methods=["PUT"])
@documented("Update a user (the email stays)", tag="Users", ok={200: ref("User")},
            errors=(404,), body="UserUpdate", parameters=ID)
def update_user(user_id):
    return crud.update(crud.get_or_404(User, user_id))
