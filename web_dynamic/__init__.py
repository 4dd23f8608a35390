"""The dynamic HBNB page, version by version (``/N-hbnb/``, N in 0-4, 100, 101).

Each ``N-hbnb.py`` module builds its ``app`` with
:func:`web_dynamic.pages.create_app`; the page's template ``templates/N-hbnb.html``
says what that version adds, and its script ``static/scripts/N-hbnb.js`` picks
the features of ``static/scripts/hbnb.js`` it uses. Scripts call the API by a
relative URL (``/api/v1/...``): the page works behind Nginx and the load
balancer on any address.
"""
