"""The application factory every numbered web_flask file calls."""
from __future__ import annotations

from flask import Blueprint, Flask

from web_flask import unavailable

# Where ``python3 -m web_flask.<file>`` listens, as the exercise says.
DEV_HOST = "0.0.0.0"
DEV_PORT = 5000


def create_app(*blueprints: Blueprint) -> Flask:
    """A Flask app serving the routes of ``blueprints``.

    Templates and static files come from this package (``templates/``,
    ``static/``), whatever file builds the app. A database out of reach is
    answered 503 (web_flask/unavailable.py), on every page.
    """
    app = Flask(__name__.rpartition(".")[0])
    # Block tags ({% for %}, {% if %}) leave no blank lines in the pages.
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    unavailable.register(app)
    return app


def run(app: Flask) -> None:
    """Start Flask's development server the way the exercise runs each file."""
    app.run(host=DEV_HOST, port=DEV_PORT)
