"""GET /api/v1/openapi.json: a valid OpenAPI 3.0 document of exactly the API's routes.

(Every other test's answers are also checked against it by the client fixture.)
"""
import pytest
from openapi_spec_validator import validate

from api.v1.fields import RESOURCES
from api.v1.openapi import openapi_path

METHODS = {"get", "post", "put", "delete", "patch", "head", "options", "trace"}


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json


def test_document_is_valid_openapi_3(document):
    assert document["openapi"].startswith("3.0.")
    validate(document)  # raises on any error of the document


def test_document_served_with_and_without_slash_matches_the_app(client, app, document):
    assert client.get("/api/v1/openapi.json/").json == document
    assert document == app.extensions["openapi"]


def test_every_route_is_documented_and_nothing_else(app, document):
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                routes.add((openapi_path(rule.rule), method.lower()))
    documented = {(path, method) for path, item in document["paths"].items()
                  for method in item if method in METHODS}
    assert routes == documented
    # The spec's 36 routes and openapi.json (a lost view module would remove some).
    assert len(routes) == 37


# The spec's resources with the five routes each: (collection, item).
RESOURCE_PATHS = [
    ("/api/v1/states", "/api/v1/states/{state_id}"),
    ("/api/v1/states/{state_id}/cities", "/api/v1/cities/{city_id}"),
    ("/api/v1/amenities", "/api/v1/amenities/{amenity_id}"),
    ("/api/v1/users", "/api/v1/users/{user_id}"),
    ("/api/v1/cities/{city_id}/places", "/api/v1/places/{place_id}"),
    ("/api/v1/places/{place_id}/reviews", "/api/v1/reviews/{review_id}"),
]
# The spec's 36 routes.
SPEC_ROUTES = [("/api/v1/status", "get"), ("/api/v1/stats", "get")] + [
    route for collection, item in RESOURCE_PATHS
    for route in ((collection, "get"), (collection, "post"),
                  (item, "get"), (item, "put"), (item, "delete"))
] + [
    ("/api/v1/places/{place_id}/amenities", "get"),
    ("/api/v1/places/{place_id}/amenities/{amenity_id}", "post"),
    ("/api/v1/places/{place_id}/amenities/{amenity_id}", "delete"),
    ("/api/v1/places_search", "post"),
]


@pytest.mark.parametrize("path, method", SPEC_ROUTES)
def test_spec_route_is_documented(document, path, method):
    operation = document["paths"][path][method]
    assert any(status.startswith("2") for status in operation["responses"])
    parameters = [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]
    assert parameters == [part[1:-1] for part in path.split("/") if part.startswith("{")]


def test_body_operations_document_400_and_413(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if "requestBody" in operation:
                assert {"400", "413"} <= set(operation["responses"]), (method, path)


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_request_schemas_follow_the_models(document, name):
    """Required fields and maxLength come from the models' columns."""
    resource = RESOURCES[name]
    schemas = document["components"]["schemas"]
    create = schemas[f"{name}Create"]
    assert create["required"] == [field.name for field in resource.required()]
    for field in resource.fields:
        column = resource.cls.__table__.c[field.name]
        prop = create["properties"][field.name]
        if field.kind == "string" and field.name != "password":
            assert prop["maxLength"] == column.type.length
    update = schemas[f"{name}Update"]
    assert "required" not in update
    fixed = {field.name for field in resource.fields if field.fixed}
    assert not fixed & set(update["properties"])


def test_known_limits_in_document(document):
    schemas = document["components"]["schemas"]
    assert schemas["StateCreate"]["properties"]["name"]["maxLength"] == 128
    assert schemas["PlaceCreate"]["properties"]["description"]["maxLength"] == 1024
    assert schemas["ReviewCreate"]["required"] == ["user_id", "text"]
    assert schemas["UserCreate"]["required"] == ["email", "password"]
    assert schemas["PlaceCreate"]["required"] == ["user_id", "name"]
    assert "email" not in schemas["UserUpdate"]["properties"]
    assert "password" not in schemas["User"]["properties"]
    assert schemas["PlaceUpdate"]["properties"]["price_by_night"]["minimum"] == 0
