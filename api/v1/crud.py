"""The steps every view shares: fetch or 404, read the JSON body, write or 400.

The storage is read as `models.storage` at call time (not imported once), so
the engine the process configured is the one used.
"""
from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

import models
from models.errors import StorageError

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
