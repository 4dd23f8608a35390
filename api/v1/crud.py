"""The steps every view shares: fetch or 404, read the JSON body, write or 400;
and `resource_routes`, the five views (list, get, delete, create, update) of a
resource, which the six resource modules of api.v1.views register with it
(the list takes ?limit=&offset=: api.v1.paging).

The storage is read as `models.storage` at call time (not imported once), so
the engine the process configured is the one used.
"""
from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

import models
from models.errors import StorageError

from api.v1 import paging
from api.v1.apidoc import array_of, documented, ref
from api.v1.errors import ApiError, not_found
from api.v1.fields import RESOURCES


def storage():
    return models.storage


def get_or_404(cls: type, obj_id: str) -> Any:
    """The object of class cls with that id, else the spec's 404."""
    obj = storage().get(cls, obj_id)
    if obj is None:
        raise not_found()
    return obj


def json_object() -> dict:
    """The request body as a JSON object, whatever its Content-Type, else 400 "Not a JSON".

    A body over MAX_CONTENT_LENGTH is a 413. Werkzeug checks Content-Length; a
    chunked body (no Content-Length) is read up to the limit and silently cut
    there, so a body that fills the limit is refused here rather than parsed cut.
    """
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is None and limit is not None \
            and len(request.get_data()) >= limit:
        raise RequestEntityTooLarge()
    try:
        data = request.get_json(force=True, silent=True)
    except RecursionError:  # "[[[[..." nested deeper than the decoder goes
        data = None
    if not isinstance(data, dict):
        raise ApiError(400, "Not a JSON")
    return data


def write(obj: Any) -> None:
    """obj.save(); a write the storage refuses becomes a 400 with nothing written."""
    try:
        obj.save()
    except StorageError as error:
        # The engine has rolled back; close() also drops the refused object
        # from the session (DB) or reloads file.json (file).
        storage().close()
        raise ApiError(400, str(error)) from None


def listing(objects) -> Any:
    return jsonify([obj.to_dict() for obj in objects])


def show(obj: Any, status: int = 200) -> Any:
    response = jsonify(obj.to_dict())
    response.status_code = status
    return response


def delete(obj: Any) -> Any:
    """Delete obj (and what cascades from it): {} 200."""
    storage().delete(obj)
    storage().save()
    return jsonify({})


def create(cls: type, parent: Any = None) -> Any:
    """POST: validate the body, check the user it names, write: the object, 201.

    The parent (from the URL) was found by the caller: its 404 comes first.
    """
    resource = RESOURCES[cls.__name__]
    values = resource.create_values(json_object())
    if "user_id" in values:
        get_or_404(models.classes["User"], values["user_id"])
    if parent is not None:
        values[resource.parent_link] = parent.id
    obj = cls(**values)
    write(obj)
    return show(obj, 201)


def update(obj: Any) -> Any:
    """PUT: validate the body, set the updatable values, write: the object, 200."""
    values = RESOURCES[type(obj).__name__].update_values(json_object())
    for name, value in values.items():
        setattr(obj, name, value)
    write(obj)
    return show(obj)


def resource_routes(blueprint, cls: type, *, tag: str, noun: str, summaries: dict,
                    parent: type | None = None, parent_noun: str | None = None,
                    create_note: str | None = None) -> None:
    """Register the five views of cls on blueprint, each with its documentation.

    Paths come from the table names: /<table> (or /<parent table>/<link>/<table>
    when the class hangs from a parent, link being its column naming the parent)
    and /<table>/<name>_id. Endpoints (the OpenAPI operationIds) are
    list_<table>, get_<name>, delete_<name>, create_<name>, update_<name>,
    registered in that order (the order of the methods in the document).
    summaries has the keys list, get, delete, create, update; noun ("a city")
    names one object in the id parameters' descriptions.
    """
    name, one, table = cls.__name__, cls.__name__.lower(), cls.__tablename__
    key = f"{one}_id"
    item = f"/{table}/<{key}>"
    item_id = {key: f"id of {noun}"}
    if parent is None:
        collection, link, parent_id, parent_errors = f"/{table}", None, {}, ()
    else:
        link = RESOURCES[name].parent_link
        collection = f"/{parent.__tablename__}/<{link}>/{table}"
        parent_id, parent_errors = {link: f"id of {parent_noun}"}, (404,)

    # The parent's 404 comes before anything else (the body is not read yet),
    # then a bad ?limit= or ?offset= (api.v1.paging).
    def list_view(**path):
        if parent is None:
            page = paging.from_request()
            if page == paging.Page():  # unpaged: the answer it always was
                return listing(storage().all(cls).values())
            return listing(storage().find(cls, **page.storage_args()))
        owner = get_or_404(parent, path[link])
        return listing(storage().find(cls, **{link: owner.id},
                                      **paging.from_request().storage_args()))

    def get_view(**path):
        return show(get_or_404(cls, path[key]))

    def delete_view(**path):
        return delete(get_or_404(cls, path[key]))

    def create_view(**path):
        return create(cls, parent=None if parent is None else get_or_404(parent, path[link]))

    def update_view(**path):
        return update(get_or_404(cls, path[key]))

    views = (
        ("GET", collection, f"list_{table}", list_view, documented(
            summaries["list"], tag=tag, ok={200: array_of(name)},
            errors=parent_errors, parameters=parent_id, paged=True)),
        ("GET", item, f"get_{one}", get_view, documented(
            summaries["get"], tag=tag, ok={200: ref(name)}, errors=(404,),
            parameters=item_id)),
        ("DELETE", item, f"delete_{one}", delete_view, documented(
            summaries["delete"], tag=tag, ok={200: ref("Empty")}, errors=(404,),
            parameters=item_id)),
        ("POST", collection, f"create_{one}", create_view, documented(
            summaries["create"], tag=tag, ok={201: ref(name)}, errors=parent_errors,
            body=f"{name}Create", parameters=parent_id, description=create_note)),
        ("PUT", item, f"update_{one}", update_view, documented(
            summaries["update"], tag=tag, ok={200: ref(name)}, errors=(404,),
            body=f"{name}Update", parameters=item_id)),
    )
    for method, rule, endpoint, view, document in views:
        view.__name__ = view.__qualname__ = endpoint
        blueprint.add_url_rule(rule, endpoint, document(view), methods=[method])
