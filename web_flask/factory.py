"""The application factory every numbered web_flask file calls."""
from __future__ import annotations

from flask import Blueprint, Flask

# Where ``python3 -m web_flask.<file>`` listens, as the exercise says.
DEV_HOST = "0.0.0.0"
DEV_PORT = 5000


def create_app(*blueprints: Blueprint) -> Flask:
    """A Flask app serving the routes of ``blueprints``.

    Templates and static files come from this package (``templates/``,
    ``static/``), whatever file builds the app.
    """
    app = Flask(__name__.rpartition(".")[0])
    # Block tags ({% for %}, {% if %}) leave no blank lines in the pages.
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    return app


def run(app: Flask) -> None:
    """Start Flask's development server the way the exercise runs each file."""
    app.run(host=DEV_HOST, port=DEV_PORT)
