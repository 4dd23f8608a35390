"""Steps 0-6 of web_flask: text and number routes, one blueprint per step.

Every route sets ``strict_slashes=False`` so that ``/hbnb`` and ``/hbnb/`` both
answer directly: Flask's 308 redirect to the other form would carry the back
end's host and scheme when served behind Nginx.
"""
from __future__ import annotations

from typing import Callable

from flask import Blueprint, render_template
from markupsafe import escape


def step(*rules: str) -> Callable[[Callable[..., str]], Blueprint]:
    """Decorator: the view becomes a blueprint of its own name serving ``rules``.

    One blueprint per step, so each numbered file registers exactly the steps
    it reaches (``through``); the view's name stands for that blueprint.
    """
    def blueprint_of(view: Callable[..., str]) -> Blueprint:
        blueprint = Blueprint(view.__name__, __name__)
        for rule in rules:
            blueprint.add_url_rule(rule, view_func=view, strict_slashes=False)
        return blueprint
    return blueprint_of


def words(text: str) -> str:
    """``is_fun`` -> ``is fun``, HTML-escaped: the answers are served as text/html."""
    return escape(text.replace("_", " "))


# Step 0. The exercise moved this answer from ``/`` (the original v2 file) to
# ``/airbnb-onepage/`` so Nginx can proxy that path unchanged; ``/`` keeps
# answering too, so the original v2 checks still pass.
@step("/airbnb-onepage/", "/")
def hello() -> str:
    return "Hello HBNB!"


@step("/hbnb")
def hbnb() -> str:
    return "HBNB"


@step("/c/<text>")
def c(text: str) -> str:
    return f"C {words(text)}"


# Step 3. The default is a Python default, not the route's ``defaults=``:
# with that, Werkzeug would redirect /python/is_cool to /python/ (a 308).
@step("/python/<text>", "/python/")
def python(text: str = "is_cool") -> str:
    return f"Python {words(text)}"


@step("/number/<int:n>")
def number(n: int) -> str:
    return f"{n} is a number"


@step("/number_template/<int:n>")
def number_template(n: int) -> str:
    return render_template("5-number.html", n=n)


@step("/number_odd_or_even/<int:n>")
def number_odd_or_even(n: int) -> str:
    parity = "even" if n % 2 == 0 else "odd"
    return render_template("6-number_odd_or_even.html", n=n, parity=parity)


# What each numbered file serves: its own step and every earlier one, as in the
# cumulative original files.
STEPS = (hello, hbnb, c, python, number, number_template, number_odd_or_even)


def through(last: Blueprint) -> tuple[Blueprint, ...]:
    """The blueprints of every step up to and including ``last``."""
    return STEPS[: STEPS.index(last) + 1]
