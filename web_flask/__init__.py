"""The AirBnB clone's Flask pages, one numbered file per exercise step.

Each numbered module (``0-hello_route.py`` ... ``100-hbnb.py``) exposes a Flask
object named ``app`` built by :func:`web_flask.factory.create_app` from the
blueprints of :mod:`web_flask.text_routes` (steps 0-6, no storage needed) and
:mod:`web_flask.storage_routes` (steps 7-100, read through ``models.storage``).
Module names contain dashes, as in the exercise: load them with
``gunicorn web_flask.6-number_odd_or_even:app``, ``python3 -m web_flask.0-hello_route``
or ``importlib.import_module``.
"""
