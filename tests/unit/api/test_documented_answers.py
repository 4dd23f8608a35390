"""Every answer the OpenAPI document promises really happens.

The client fixture already fails any answer the document does not list; this
test makes each listed (path, method, status) happen once, so the document
holds no status the API never gives.
"""
import json

import pytest

from api.v1.app import MAX_CONTENT_LENGTH

# A valid body for each create operation (operationId), values may name world ids.
CREATE_BODIES = {
    "create_state": {"name": "Nevada"},
    "create_amenity": {"name": "Pool"},
    "create_user": {"email": "n@example.com", "password": "pw"},
    "create_city": {"name": "Reno"},
    "create_place": {"user_id": "{user_id}", "name": "Cabin"},
    "create_review": {"user_id": "{user_id}", "text": "Nice"},
}
UNKNOWN = "no-such-id"


def path_for(template, ids):
    return template.replace("{", "{0[").replace("}", "]}").format(ids)


def body_for(operation, ids):
    body = CREATE_BODIES.get(operation["operationId"], {})
    return json.dumps({key: value.format(**ids) for key, value in body.items()})


def answer(client, method, template, ids, status, operation, unreachable=None):
    """Send the request that should get `status`; return the status it got.
    503: the same request as for a success, with the database stopped."""
    known = path_for(template, ids)
    if status == 503:  # the database stopped: the storage is an unreachable one
        import models

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(models, "storage", unreachable)
            return answer(client, method, template, ids, 200, operation)
    if status == 400 and "requestBody" not in operation:  # a paged list
        response = client.open(known + "?limit=x", method=method)
    elif status == 404:
        if "{" in template:
            response = client.open(path_for(template, {k: UNKNOWN for k in ids}),
                                   method=method, data=body_for(operation, ids))
        else:  # only the user_id of the body can be unknown
            body = json.loads(body_for(operation, ids))
            body["user_id"] = UNKNOWN
            response = client.open(known, method=method, data=json.dumps(body))
    elif status == 400:
        response = client.open(known, method=method, data=b"not json")
    elif status == 413:
        response = client.open(known, method=method,
                               data=b" " * (MAX_CONTENT_LENGTH + 1))
    elif operation["operationId"] == "link_place_amenity":
        if status == 201:
            client.delete(known)  # the world links them: unlink first
        response = client.post(known)
    else:
        response = client.open(known, method=method, data=body_for(operation, ids))
    return response.status_code


def test_every_documented_status_happens(app, storage, make_world, unreachable):
    document = app.extensions["openapi"]
    seen, expected = set(), set()
    for template, item in sorted(document["paths"].items()):
        for method, operation in item.items():
            for status in operation["responses"]:
                expected.add((template, method, int(status)))
                world = make_world()  # fresh objects for each answer
                client = app.test_client()
                got = answer(client, method.upper(), template, world.ids, int(status),
                             operation, unreachable)
                seen.add((template, method, got))
                storage.close()
                storage.truncate()
    assert expected - seen == set(), "documented answers that did not happen"


def body_schema(document, operation):
    ref = operation.get("requestBody", {}).get("content", {}).get(
        "application/json", {}).get("schema", {}).get("$ref")
    return document["components"]["schemas"][ref.split("/")[-1]] if ref else {}


@pytest.mark.parametrize("status", [400, 404, 413, 503])
def test_error_answers_are_documented_only_where_they_can_happen(app, status):
    """413 only where a body is read, 400 there and where a list is paged
    (limit, offset); 404 only where the path has an id or the body names a
    user_id; 503 (with Retry-After) wherever the storage is read, not on
    /status and /openapi.json."""
    document = app.extensions["openapi"]
    for template, item in document["paths"].items():
        for method, operation in item.items():
            if status == 503:
                uses_storage = template not in ("/api/v1/status", "/api/v1/openapi.json")
                assert (str(status) in operation["responses"]) == uses_storage, template
                if uses_storage:
                    assert "Retry-After" in operation["responses"]["503"]["headers"]
                continue
            if str(status) not in operation["responses"]:
                continue
            queries = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            if status == 400:
                assert "requestBody" in operation or queries == {"limit", "offset"}, \
                    (template, method)
            elif status == 413:
                assert "requestBody" in operation, (template, method)
            else:
                names_user = "user_id" in body_schema(document, operation).get(
                    "properties", {})
                assert "{" in template or names_user, (template, method)
