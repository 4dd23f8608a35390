"""GET /status, GET /stats and GET /openapi.json."""
from flask import current_app, jsonify

from api.v1.apidoc import documented, ref
from api.v1.crud import storage
from api.v1.views import app_views

# /stats keys (the spec's names) for each class.
STATS_KEYS = {
    "Amenity": "amenities",
    "City": "cities",
    "Place": "places",
    "Review": "reviews",
    "State": "states",
    "User": "users",
}


@app_views.route("/status", methods=["GET"])
@documented("API status", tag="Index", ok={200: ref("Status")}, storage=False)
def status():
    return jsonify(status="OK")


@app_views.route("/stats", methods=["GET"])
@documented("Number of objects of each class", tag="Index", ok={200: ref("Stats")})
def stats():
    counts = storage().counts()  # one query for the six counts
    return jsonify({key: counts[name] for name, key in STATS_KEYS.items()})


@app_views.route("/openapi.json", methods=["GET"])
@documented("This OpenAPI document", tag="Index", ok={200: ref("OpenAPIDocument")},
            storage=False)
def openapi_document():
    return jsonify(current_app.extensions["openapi"])
