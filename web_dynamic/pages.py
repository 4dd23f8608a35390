"""The app factory of the dynamic HBNB pages.

Every version renders the filters (states with their cities, amenities) from
storage; versions 0-2 also render the places on the server, later ones leave
them to the page's script (``POST /api/v1/places_search/``). Each render gets a
fresh ``cache_id`` (a uuid) appended to every asset URL, so a browser never
keeps a stale script or style sheet across deployments. The layout the
versions extend is web_flask's ``templates/page_layout.html``, the one of
web_flask's steps 10 and 100: one HBNB page for both front ends.
"""
from __future__ import annotations

import uuid
from functools import partial
from pathlib import Path

from flask import Flask, render_template, request
from jinja2 import ChoiceLoader, FileSystemLoader

import web_flask
from models import teardown
from web_flask import hbnb_data, unavailable

# The page versions, in the order the exercise adds them.
VERSIONS = ("0-hbnb", "1-hbnb", "2-hbnb", "3-hbnb", "4-hbnb", "100-hbnb", "101-hbnb")

# Where page_layout.html is, after this package's own templates.
SHARED_TEMPLATES = Path(web_flask.__file__).with_name("templates")

# Where ``python3 -m web_dynamic.<N-hbnb>`` listens, as the originals did.
DEV_HOST = "0.0.0.0"
DEV_PORT = 5000


# Stands for the cache_id in a page kept rendered: a uuid of this process,
# which no stored text can hold by chance.
CACHE_ID_SLOT = str(uuid.uuid4())


def render_page(version: str) -> str:
    """The page of ``version``, with the storage's states, cities and amenities,
    and a cache_id of its own (a fresh uuid4 in every asset URL).

    The data come from hbnb_data.page_data(), cached per process while the
    tables are unchanged; so does the page made from them, rendered once with
    CACHE_ID_SLOT where the cache_id goes: each answer is that page with a new
    uuid in the slot. Rendering the filters costs in proportion to the cities
    (500 for 10,000 places); replacing the slot does not."""
    data = hbnb_data.page_data()
    # Asset URLs start with the app's mount point, which the request gives.
    key = f"{version} {request.script_root}"
    page = data.rendered.get(key)
    if page is None:
        page = data.rendered[key] = render_data(version, data)
    return page.replace(CACHE_ID_SLOT, str(uuid.uuid4()))


def render_data(version: str, data: hbnb_data.PageData) -> str:
    """The page of ``version`` from data, CACHE_ID_SLOT as its cache_id."""
    return render_template(
        f"{version}.html",
        version=version,
        cache_id=CACHE_ID_SLOT,
        labels=True,
        states=data.states,
        amenities=data.amenities,
        # An empty places section, which the script fills; the templates that
        # list places on the server (0-2) call places_with_owners instead: the
        # first hbnb_data.PAGE_PLACES by name, and places_total says how many.
        places=(),
        places_with_owners=lambda: data.places,
        places_total=data.places_total,
    )


def create_app(*versions: str, root: str | None = None) -> Flask:
    """An app serving ``/<version>/`` (with or without the slash) for each version.

    ``root`` names a version also served at ``/`` (the exercise's task 5 serves
    ``/`` from 2-hbnb).
    """
    unknown = (set(versions) | ({root} if root else set())) - set(VERSIONS)
    if unknown:
        raise ValueError(f"unknown page version(s): {', '.join(sorted(unknown))}")
    app = Flask(__name__.rpartition(".")[0])
    # This package's N-hbnb.html first, then web_flask's page_layout.html they extend.
    app.jinja_loader = ChoiceLoader([app.jinja_loader, FileSystemLoader(SHARED_TEMPLATES)])
    # Block tags ({% for %}, {% if %}) leave no blank lines in the pages.
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    for version in versions:
        app.add_url_rule(f"/{version}/", endpoint=version,
                         view_func=partial(render_page, version), strict_slashes=False)
    if root:
        app.add_url_rule("/", endpoint="root", view_func=partial(render_page, root))
    teardown.init_app(app)
    # A database out of reach: 503 with a short page; a GET is retried first.
    unavailable.register(app)
    return app


def run(app: Flask) -> None:
    """Start Flask's development server the way the originals ran each file."""
    app.run(host=DEV_HOST, port=DEV_PORT)
