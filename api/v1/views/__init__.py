"""The blueprint `app_views` (url_prefix /api/v1) and one module per resource.

Every route accepts its path with and without a trailing slash: the
application's url_map has strict_slashes off (api.v1.app). Each view serves one
method and carries its OpenAPI operation (api.v1.apidoc.documented).
"""
from flask import Blueprint

app_views = Blueprint("app_views", __name__, url_prefix="/api/v1")

# The modules register their routes on app_views when imported.
from api.v1.views import (  # noqa: E402,F401  (imported for their routes)
    amenities, cities, index, places, places_amenities, places_reviews,
    places_search, states, users)
