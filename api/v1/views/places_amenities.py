"""Place amenities: GET /places/<place_id>/amenities,
POST|DELETE /places/<place_id>/amenities/<amenity_id>."""
from flask import jsonify

from models.amenity import Amenity
from models.errors import StorageError
from models.place import Place

from api.v1 import crud, paging
from api.v1.apidoc import array_of, documented, ref
from api.v1.errors import not_found
from api.v1.views import app_views

PLACE_ID = {"place_id": "id of a place"}
LINK = {"place_id": "id of a place", "amenity_id": "id of an amenity"}


@app_views.route("/places/<place_id>/amenities", methods=["GET"])
@documented("List the amenities of a place", tag="Place amenities",
            ok={200: array_of("Amenity")}, errors=(404,), parameters=PLACE_ID,
            paged=True)
def list_place_amenities(place_id):
    place = crud.get_or_404(Place, place_id)
    return crud.listing(crud.storage().amenities_of(
        place, **paging.from_request().storage_args()))


@app_views.route("/places/<place_id>/amenities/<amenity_id>", methods=["POST"])
@documented("Link an amenity to a place", tag="Place amenities",
            ok={200: ref("Amenity"), 201: ref("Amenity")}, errors=(404,),
            parameters=LINK,
            description="201 when newly linked, 200 when it already was.")
def link_place_amenity(place_id, amenity_id):
    place = crud.get_or_404(Place, place_id)
    amenity = crud.get_or_404(Amenity, amenity_id)
    try:
        created = crud.storage().link_amenity(place, amenity)
    except StorageError:  # the place or the amenity was deleted meanwhile
        crud.storage().close()
        raise not_found() from None
    return crud.show(amenity, 201 if created else 200)


@app_views.route("/places/<place_id>/amenities/<amenity_id>", methods=["DELETE"])
@documented("Unlink an amenity from a place", tag="Place amenities",
            ok={200: ref("Empty")}, errors=(404,), parameters=LINK,
            description="404 when the place or the amenity does not exist, "
                        "or when they are not linked.")
def unlink_place_amenity(place_id, amenity_id):
    place = crud.get_or_404(Place, place_id)
    amenity = crud.get_or_404(Amenity, amenity_id)
    if not crud.storage().unlink_amenity(place, amenity):
        raise not_found()
    return jsonify({})
