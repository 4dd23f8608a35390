"""Task 0: web_flask/0-hello_route.py answers /airbnb-onepage/ on port 5000 with
exactly "Hello HBNB!"; its Flask object is named ``app``."""
import pytest

from facts import HELLO, layout
from probes import http

pytestmark = pytest.mark.task0


def test_hello_route_answers_exactly_on_port_5000(web):
    response = http(web, f"http://127.0.0.1:{HELLO['port']}/airbnb-onepage/")
    assert response.status == 200, (
        f"127.0.0.1:{HELLO['port']}/airbnb-onepage/ gave {response.status or response.error} - "
        f"is {HELLO['module']} running on port {HELLO['port']}? ss -ltnp 'sport = :{HELLO['port']}'")
    assert response.body == "Hello HBNB!", (
        f"body is {response.body!r}, want 'Hello HBNB!' with no newline - see web_flask/0-hello_route.py")


def test_hello_module_exposes_a_flask_object_named_app(web):
    module = HELLO["module"].split(":")[0]
    probe = (f"import importlib, flask; m = importlib.import_module({module!r}); "
             "print(isinstance(m.app, flask.Flask))")
    where = layout(web)
    # As the app's user: a practice home folder is closed to others (mode 0750).
    with web.sudo(where.user):
        result = web.run(f"cd {where.app_dir} && {where.python} -c %s", probe)
    assert result.stdout.strip() == "True", (
        f"{module} has no Flask object named app (python -c import ... in {where.app_dir}): {result.stderr.strip()[-200:]}")


def test_hello_route_answers_without_the_slash_too(web):
    """strict_slashes=False: no 308 redirect, which behind a proxy can carry the
    back end's host or scheme."""
    response = http(web, f"http://127.0.0.1:{HELLO['port']}/airbnb-onepage")
    assert response.status, f"nothing answers on port {HELLO['port']}: {response.error}"
    assert (response.status, response.body) == (200, "Hello HBNB!"), (
        f"/airbnb-onepage (no slash) gave {response.status} {response.header('Location') or ''} - "
        "strict_slashes: the route needs strict_slashes=False (web_flask/text_routes.py)")
