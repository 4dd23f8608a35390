"""Reviews: GET|POST /places/<place_id>/reviews, GET|DELETE|PUT /reviews/<review_id>."""
from models.place import Place
from models.review import Review

from api.v1 import crud
from api.v1.apidoc import array_of, documented, ref
from api.v1.views import app_views

PLACE_ID = {"place_id": "id of a place"}
ID = {"review_id": "id of a review"}


@app_views.route("/places/<place_id>/reviews", methods=["GET"])
@documented("List the reviews of a place", tag="Reviews", ok={200: array_of("Review")},
            errors=(404,), parameters=PLACE_ID)
def list_reviews(place_id):
    place = crud.get_or_404(Place, place_id)
    return crud.listing(crud.storage().find(Review, place_id=place.id))


@app_views.route("/reviews/<review_id>", methods=["GET"])
@documented("Get a review", tag="Reviews", ok={200: ref("Review")}, errors=(404,),
            parameters=ID)
def get_review(review_id):
    return crud.show(crud.get_or_404(Review, review_id))


@app_views.route("/reviews/<review_id>", methods=["DELETE"])
@documented("Delete a review", tag="Reviews", ok={200: ref("Empty")}, errors=(404,),
            parameters=ID)
def delete_review(review_id):
    return crud.delete(crud.get_or_404(Review, review_id))


@app_views.route("/places/<place_id>/reviews", methods=["POST"])
@documented("Review a place", tag="Reviews", ok={201: ref("Review")}, errors=(404,),
            body="ReviewCreate", parameters=PLACE_ID,
            description="404 when the place or the user_id does not exist.")
def create_review(place_id):
    return crud.create(Review, parent=crud.get_or_404(Place, place_id))


@app_views.route("/reviews/<review_id>", methods=["PUT"])
@documented("Update a review (its place and author stay)", tag="Reviews",
            ok={200: ref("Review")}, errors=(404,), body="ReviewUpdate", parameters=ID)
def update_review(review_id):
    return crud.update(crud.get_or_404(Review, review_id))
