"""One WSGI app serving the pages and the API on one origin, as Nginx does in the lab.

Requests under ``/api/`` go to ``api.v1.app``, every other one to the
web_dynamic pages (all versions the browser test loads). The path passes
through unchanged, like Nginx's ``location /api/`` with a ``proxy_pass`` that
has no URI part: werkzeug's ``DispatcherMiddleware`` would instead move the
``/api`` prefix into SCRIPT_NAME and the API's ``/api/v1/...`` routes would no
longer match.

Served by gunicorn in tests/browser/conftest.py:
``gunicorn --chdir <repo> --pythonpath tests/browser one_origin:app``.
"""
from api.v1.app import app as api_app
from web_dynamic.pages import VERSIONS, create_app

API_PREFIX = "/api/"

# "/" is 2-hbnb, as the lab's Nginx site serves it (the exercise's task 5: / to /2-hbnb/).
pages_app = create_app(*VERSIONS, root="2-hbnb")


def app(environ, start_response):
    """Route one request to the API or to the pages by its path."""
    path = environ.get("PATH_INFO", "")
    target = api_app if path.startswith(API_PREFIX) else pages_app
    return target(environ, start_response)
