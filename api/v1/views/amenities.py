"""Amenities: GET|POST /amenities, GET|DELETE|PUT /amenities/<amenity_id>."""
from models.amenity import Amenity

from api.v1 import crud
from api.v1.apidoc import array_of, documented, ref
from api.v1.views import app_views

ID = {"amenity_id": "id of an amenity"}


@app_views.route("/amenities", methods=["GET"])
@documented("List the amenities", tag="Amenities", ok={200: array_of("Amenity")})
def list_amenities():
    return crud.listing(crud.storage().all(Amenity).values())


@app_views.route("/amenities/<amenity_id>", methods=["GET"])
@documented("Get an amenity", tag="Amenities", ok={200: ref("Amenity")}, errors=(404,),
            parameters=ID)
def get_amenity(amenity_id):
    return crud.show(crud.get_or_404(Amenity, amenity_id))


@app_views.route("/amenities/<amenity_id>", methods=["DELETE"])
@documented("Delete an amenity (and its links to places)", tag="Amenities",
            ok={200: ref("Empty")}, errors=(404,), parameters=ID)
def delete_amenity(amenity_id):
    return crud.delete(crud.get_or_404(Amenity, amenity_id))


@app_views.route("/amenities", methods=["POST"])
@documented("Create an amenity", tag="Amenities", ok={201: ref("Amenity")},
            body="AmenityCreate")
def create_amenity():
    return crud.create(Amenity)


@app_views.route("/amenities/<amenity_id>", methods=["PUT"])
@documented("Update an amenity", tag="Amenities", ok={200: ref("Amenity")}, errors=(404,),
            body="AmenityUpdate", parameters=ID)
def update_amenity(amenity_id):
    return crud.update(crud.get_or_404(Amenity, amenity_id))
