"""The pages' answer when the database is out of reach: a short HTML page, 503.

models/unavailable.py decides which errors say so (stopped, restarting or hung
database; not a bug, which stays Flask's 500) and adds Retry-After; a GET is
first run once more when the database is back within its window
(models/read_retry.py). web_flask's factory and web_dynamic's register it.
"""
from __future__ import annotations

from models import unavailable

PAGE = """<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>AirBnB clone: unavailable</title>
  </head>
  <body>
    <h1>Service Unavailable</h1>
    <p>The database cannot be reached right now. Please try again in a few seconds.</p>
  </body>
</html>
"""


def page(_error: BaseException) -> str:
    return PAGE


def register(app) -> None:
    """503 with this page and Retry-After for the app's unavailable-database errors."""
    unavailable.init_app(app, page)
