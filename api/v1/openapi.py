"""The OpenAPI 3.0 document of the API, built from what the API really is.

- paths and methods: the application's url_map under /api/v1 (every rule, every
  method but the automatic HEAD and OPTIONS);
- each operation: the Operation its view carries (api.v1.apidoc.documented);
- request bodies: api.v1.fields (the checks the views run);
- answers: the models' columns (what to_dict() gives).
create_app() builds it once; a view without documentation stops the app from
starting, so the document and the routes cannot drift apart.
"""
from __future__ import annotations

import copy
import re
from http import HTTPStatus
from typing import Any

from sqlalchemy import DateTime, Float, Integer, String
from sqlalchemy import inspect as sa_inspect

from api.v1 import paging
from api.v1.apidoc import Operation
from api.v1.cors import PREFIX
from api.v1.fields import RESOURCES, Resource
from api.v1.views.index import STATS_KEYS

OPENAPI_VERSION = "3.0.3"
AUTOMATIC_METHODS = {"HEAD", "OPTIONS"}

# Ids are uuid4 strings (String(60) columns); the pattern keeps generated ids
# free of "/" and "." so a path parameter can never turn into another route.
ID_SCHEMA = {"type": "string", "minLength": 1, "maxLength": 60,
             "pattern": "^[0-9A-Za-z_-]+$"}

BODY_400 = ("Not a JSON (any body that is not a JSON object, whatever its "
            "Content-Type), Missing <field>, or a field of the wrong type, too "
            "long or out of range: nothing is written")
PAGING_400 = "limit or offset not an integer from 0 to 2147483647"

ERROR_DESCRIPTIONS = {
    400: BODY_400,
    404: "Not found: unknown id (or a user_id that does not exist)",
    413: "Request Entity Too Large: body over the size limit",
    503: "Service Unavailable: the database cannot be reached now (stopped, "
         "restarting or not answering); nothing is written. Retry-After says "
         "when to try again",
}

RETRY_AFTER_HEADER = {"Retry-After": {
    "description": "Seconds to wait before trying again",
    "schema": {"type": "integer", "minimum": 0}}}


def error_schema() -> dict:
    return {"type": "object", "required": ["error"],
            "properties": {"error": {"type": "string"}}}


def column_schema(column) -> dict:
    """JSON Schema of a column's value in to_dict()."""
    column_type = column.type
    if isinstance(column_type, String):
        schema: dict[str, Any] = {"type": "string"}
        if column_type.length:
            schema["maxLength"] = column_type.length
    elif isinstance(column_type, Integer):
        schema = {"type": "integer"}
    elif isinstance(column_type, Float):
        schema = {"type": "number"}
    elif isinstance(column_type, DateTime):
        schema = {"type": "string", "description": "ISO 8601 (UTC), e.g. "
                  "2017-09-28T21:03:54.052302"}
    else:
        raise TypeError(f"{column}: no JSON type for {column_type!r}")
    if column.nullable:
        schema["nullable"] = True
    return schema


def object_schema(resource: Resource) -> dict:
    """What to_dict() gives for the class: every public column and __class__."""
    properties = {}
    for attr in sa_inspect(resource.cls).column_attrs:
        if not attr.key.startswith("_"):  # User's _password is never shown
            properties[attr.key] = column_schema(attr.columns[0])
    properties["__class__"] = {"type": "string", "enum": [resource.name]}
    return {"type": "object", "required": list(properties), "properties": properties}


def create_schema(resource: Resource) -> dict:
    return {"type": "object",
            "required": [field.name for field in resource.required()],
            "properties": {field.name: field.schema() for field in resource.fields},
            "description": "Other keys are ignored."}


def update_schema(resource: Resource) -> dict:
    return {"type": "object",
            "properties": {field.name: field.schema() for field in resource.updatable()},
            "description": "Other keys (id, timestamps, fixed links) are ignored."}


def components() -> dict:
    schemas: dict[str, Any] = {
        "Error": error_schema(),
        "Empty": {"type": "object", "maxProperties": 0},
        "Status": {"type": "object", "required": ["status"],
                   "properties": {"status": {"type": "string", "enum": ["OK"]}}},
        "Stats": {"type": "object", "required": sorted(STATS_KEYS.values()),
                  "properties": {key: {"type": "integer", "minimum": 0}
                                 for key in sorted(STATS_KEYS.values())}},
        "OpenAPIDocument": {"type": "object", "required": ["openapi", "info", "paths"]},
        "PlacesSearch": {
            "type": "object",
            "description": "Every key optional; {} gives every place. Unknown ids "
                           "match nothing; other keys are ignored.",
            "properties": {key: {"type": "array", "items": {"type": "string"}}
                           for key in ("states", "cities", "amenities")},
        },
    }
    for name, resource in RESOURCES.items():
        schemas[name] = object_schema(resource)
        schemas[f"{name}Create"] = create_schema(resource)
        schemas[f"{name}Update"] = update_schema(resource)
    return {"schemas": schemas}


def json_content(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


def openapi_path(rule: str) -> str:
    """/api/v1/states/<state_id> -> /api/v1/states/{state_id}"""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def error_description(operation: Operation, status: int) -> str:
    """What an error status means for this operation (400: body, paging or both)."""
    if status != 400:
        return ERROR_DESCRIPTIONS[status]
    reasons = ([BODY_400] if operation.body else []) + ([PAGING_400] if operation.paged else [])
    return "; or ".join(reasons)


def operation_object(operation: Operation, endpoint: str, arguments: list[str]) -> dict:
    missing = set(arguments) - set(operation.parameters)
    if missing:
        raise RuntimeError(f"{endpoint}: path parameters {sorted(missing)} undocumented")
    result: dict[str, Any] = {
        "operationId": endpoint.rsplit(".", 1)[-1],
        "summary": operation.summary,
        "tags": [operation.tag],
    }
    if operation.description:
        result["description"] = operation.description
    parameters = [
        {"name": name, "in": "path", "required": True,
         "description": operation.parameters[name], "schema": dict(ID_SCHEMA)}
        for name in arguments]
    if operation.paged:
        parameters += paging.query_parameters()
    if parameters:
        result["parameters"] = parameters
    responses: dict[str, Any] = {}
    for status, schema in operation.ok.items():
        responses[str(status)] = {"description": HTTPStatus(status).phrase,
                                  "content": json_content(schema)}
    errors = set(operation.errors)
    if operation.body:
        result["requestBody"] = {
            "required": True,
            "content": json_content({"$ref": f"#/components/schemas/{operation.body}"}),
        }
        errors |= {400, 413}
    if operation.paged:
        errors.add(400)
    if operation.storage:
        errors.add(503)
    for status in sorted(errors):
        responses[str(status)] = {
            "description": error_description(operation, status),
            "content": json_content({"$ref": "#/components/schemas/Error"}),
        }
        if status == 503:
            responses[str(status)]["headers"] = copy.deepcopy(RETRY_AFTER_HEADER)
    result["responses"] = responses
    return result


def build_document(app) -> dict:
    """The document of every route of app under /api/v1."""
    paths: dict[str, dict] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if not rule.rule.startswith(PREFIX + "/"):
            continue
        view = app.view_functions[rule.endpoint]
        operation = getattr(view, "operation", None)
        if operation is None:
            raise RuntimeError(f"route {rule.rule} ({rule.endpoint}) is not documented")
        methods = sorted(rule.methods - AUTOMATIC_METHODS)
        if len(methods) != 1:
            raise RuntimeError(f"{rule.endpoint}: one method per view, got {methods}")
        # Rule arguments in the order they appear in the path.
        arguments = re.findall(r"<(?:[^:<>]+:)?([^<>]+)>", rule.rule)
        paths.setdefault(openapi_path(rule.rule), {})[methods[0].lower()] = \
            operation_object(operation, rule.endpoint, arguments)
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "HBNB REST API",
            "version": "1.0.0",
            "description": (
                "The AirBnB clone's REST API. Every path also answers with a "
                "trailing slash; every answer under /api/v1 allows any origin "
                "(CORS); every error is a JSON object {\"error\": \"...\"}: "
                "unknown routes and ids 404 \"Not found\", a method the path does "
                "not serve 405 \"Method Not Allowed\", a database out of reach "
                "503 \"Service Unavailable\" with Retry-After. Lists take "
                "optional ?limit=&offset= (a slice of the same order)."),
        },
        "tags": [{"name": name} for name in (
            "Index", "States", "Cities", "Amenities", "Users", "Places", "Reviews",
            "Place amenities")],
        "paths": paths,
        "components": components(),
    }
