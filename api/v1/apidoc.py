"""The `documented` decorator: each view carries its own OpenAPI operation.

api.v1.openapi walks the application's url_map and reads what this decorator
attached to each view, so a route cannot exist without its documentation (the
document refuses to build) and the document cannot list a route that does not
exist. Schemas are named after components built by api.v1.openapi.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Optional


def ref(name: str) -> dict:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def array_of(name: str) -> dict:
    return {"type": "array", "items": ref(name)}


@dataclass(frozen=True)
class Operation:
    """What the document says about one view (one method of one path)."""

    summary: str
    tag: str
    ok: dict[int, dict]                      # success status -> schema of the body
    errors: tuple[int, ...] = ()             # error statuses besides the body's ones
    body: Optional[str] = None               # component schema of the request body
    description: Optional[str] = None
    parameters: dict[str, str] = field(default_factory=dict)  # path arg -> description
    storage: bool = True                     # reads the storage: may answer 503
    paged: bool = False                      # takes ?limit=&offset= (api.v1.paging)


def documented(summary: str, *, tag: str, ok: dict[int, dict],
               errors: tuple[int, ...] = (), body: Optional[str] = None,
               description: Optional[str] = None,
               parameters: Optional[dict[str, str]] = None,
               storage: bool = True, paged: bool = False) -> Callable:
    """Attach an Operation to a view (as view.operation).

    A request body implies the answers 400 (not JSON, missing or invalid field)
    and 413 (body over MAX_CONTENT_LENGTH); paging implies 400 (bad limit or
    offset); reading the storage implies 503 (database out of reach);
    api.v1.openapi adds them.
    """
    operation = Operation(summary, tag, ok, tuple(errors), body, description,
                          dict(parameters or {}), storage, paged)

    def attach(view: Callable[..., Any]) -> Callable[..., Any]:
        view.operation = operation
        return view
    return attach
