"""The REST API application: `gunicorn api.v1.app:app`, or
`python3 -m api.v1.app` for the development server on HBNB_API_HOST:HBNB_API_PORT
(default 0.0.0.0:5000)."""
import os

from flask import Flask

from models import teardown
from api.v1 import cors, errors
from api.v1.openapi import build_document
from api.v1.views import app_views

# Bodies are small JSON objects; anything bigger is refused with a JSON 413.
MAX_CONTENT_LENGTH = 64 * 1024


def create_app(test_config=None):
    """Application factory: the /api/v1 blueprint, JSON errors, CORS, storage teardown."""
    app = Flask(__name__)
    app.config.from_mapping(MAX_CONTENT_LENGTH=MAX_CONTENT_LENGTH)
    if test_config:
        app.config.update(test_config)

    # /api/v1/status and /api/v1/status/ are the same route (the front end calls
    # the latter); "//" is not merged by a redirect, it is simply not a route.
    app.url_map.strict_slashes = False
    app.url_map.merge_slashes = False
    app.register_blueprint(app_views)

    errors.register(app)
    cors.register(app)
    # Every request ends with a fresh storage session (DB) or a re-read file.
    teardown.init_app(app)

    app.extensions["openapi"] = build_document(app)
    return app


app = create_app()

if __name__ == "__main__":
    app.run(host=os.getenv("HBNB_API_HOST", "0.0.0.0"),
            port=int(os.getenv("HBNB_API_PORT", "5000")),
            threaded=True)
