"""Steps 0-6 of web_flask: text and number routes, one blueprint per step.

Every route sets ``strict_slashes=False`` so that ``/hbnb`` and ``/hbnb/`` both
answer directly: Flask's 308 redirect to the other form would carry the back
end's host and scheme when served behind Nginx.
"""
from __future__ import annotations

from flask import Blueprint, render_template
from markupsafe import escape

# Step 0. The exercise moved this answer from ``/`` (the original v2 file) to
# ``/airbnb-onepage/`` so Nginx can proxy that path unchanged; ``/`` keeps
# answering too, so the original v2 checks still pass.
hello = Blueprint("hello", __name__)


@hello.route("/", strict_slashes=False)
@hello.route("/airbnb-onepage/", strict_slashes=False)
def hello_hbnb() -> str:
    return "Hello HBNB!"


# Step 1.
hbnb = Blueprint("hbnb", __name__)


@hbnb.route("/hbnb", strict_slashes=False)
def hbnb_text() -> str:
    return "HBNB"


# Step 2. The text is HTML-escaped: the answer is served as text/html.
c = Blueprint("c", __name__)


@c.route("/c/<text>", strict_slashes=False)
def c_text(text: str) -> str:
    return f"C {escape(text.replace('_', ' '))}"


# Step 3. The default is a Python default, not the route's ``defaults=``:
# with that, Werkzeug would redirect /python/is_cool to /python/ (a 308).
python = Blueprint("python", __name__)


@python.route("/python/", strict_slashes=False)
@python.route("/python/<text>", strict_slashes=False)
def python_text(text: str = "is_cool") -> str:
    return f"Python {escape(text.replace('_', ' '))}"


# Step 4.
number = Blueprint("number", __name__)


@number.route("/number/<int:n>", strict_slashes=False)
def number_text(n: int) -> str:
    return f"{n} is a number"


# Step 5.
number_template = Blueprint("number_template", __name__)


@number_template.route("/number_template/<int:n>", strict_slashes=False)
def number_page(n: int) -> str:
    return render_template("5-number.html", n=n)


# Step 6.
number_odd_or_even = Blueprint("number_odd_or_even", __name__)


@number_odd_or_even.route("/number_odd_or_even/<int:n>", strict_slashes=False)
def number_parity_page(n: int) -> str:
    parity = "even" if n % 2 == 0 else "odd"
    return render_template("6-number_odd_or_even.html", n=n, parity=parity)


# What each numbered file serves: its own step and every earlier one, as in the
# cumulative original files.
STEPS = (hello, hbnb, c, python, number, number_template, number_odd_or_even)


def through(step: Blueprint) -> tuple[Blueprint, ...]:
    """The blueprints of every step up to and including ``step``."""
    return STEPS[: STEPS.index(step) + 1]
