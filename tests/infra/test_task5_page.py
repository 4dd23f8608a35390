"""Task 5: the AirBnB clone page (web_dynamic.2-hbnb on port 5003) at /, its
static files served by Nginx itself, /api/ kept on 5002; the page's status
badge calls /api/v1/status/ with a relative URL."""
import re

import pytest

from facts import APP_DIR, PAGE, address, name_of
from probes import describe, gateway_hint, http

pytestmark = pytest.mark.task5


def page(host, base="http://127.0.0.1"):
    response = http(host, f"{base}/")
    assert response.status == 200, f"GET {base}/ gave {describe(response)}: {gateway_hint(response.status, PAGE)}"
    return response


def assets_of(body: str) -> list[str]:
    """Every stylesheet, icon and script URL of the page."""
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', body)


def test_page_ends_with_the_footer(web):
    body = page(web).body
    assert body.rstrip().endswith("</html>") and "Holberton School" in body[-300:], (
        f"/ does not end with the footer - is location / proxied to port {PAGE['port']}? (end: {body[-100:]!r})")


def test_page_has_places_from_the_database(web):
    body = page(web).body
    assert "<article" in body, "/ lists no places - seeded database? MySQL settings in gunicorn.service's environment?"


def test_every_asset_loads_from_nginx(web):
    body = page(web).body
    assets = assets_of(body)
    assert len(assets) >= 8, f"the page references only {assets} - template changed?"
    kinds = {a.split("/")[2] for a in assets}
    assert {"styles", "images", "scripts", "vendor"} <= kinds, f"missing asset kinds: {kinds}"
    for asset in assets:
        response = http(web, f"http://127.0.0.1{asset}", method="HEAD")
        assert response.status == 200, (
            f"{asset} gave {response.status or response.error}: Nginx's /static/ alias to "
            f"{APP_DIR}/web_dynamic/static/ (trailing slashes; www-data needs x on every folder)")
        # `expires` in the /static/ location: the file came from Nginx, not Gunicorn.
        assert response.header("Expires") and response.header("Cache-Control"), (
            f"{asset} was not served by Nginx's /static/ location (no Expires header)")
        assert response.header("X-Served-By") == name_of(web), f"{asset} lacks X-Served-By: no add_header inside location /static/"


def test_status_badge_route_answers(web):
    response = http(web, "http://127.0.0.1/api/v1/status/")
    assert response.status == 200 and '"OK"' in response.body, (
        f"/api/v1/status/ gave {describe(response)}: the badge stays off - /api/ must stay on port 5002")


def test_page_script_calls_the_api_by_a_relative_url(web):
    script = http(web, "http://127.0.0.1/static/scripts/hbnb.js").body
    fixed = re.search(r"(?:https?:)?//[\w.]+(?::\d+)?/api/v1|0\.0\.0\.0|127\.0\.0\.1|:500\d", script)
    assert not fixed, (
        f"hbnb.js calls a hard-coded address ({fixed and fixed.group(0)}) instead of a relative /api/v1/ URL: "
        "the browser cannot reach it through Nginx")
    assert "'/api/v1'" in script, "hbnb.js should call the API at the relative /api/v1"


def test_page_and_assets_through_the_load_balancer(lb):
    base = f"http://{address(name_of(lb))}"
    body = page(lb, base).body
    assert "Holberton School" in body, f"/ through {name_of(lb)} lacks the page footer"
    for asset in assets_of(body)[:3]:
        response = http(lb, f"{base}{asset}", method="HEAD")
        assert response.status == 200, f"{asset} through {name_of(lb)} gave {response.status or response.error}"


def test_page_over_https_through_the_load_balancer(lb):
    response = http(lb, f"https://{address(name_of(lb))}/", insecure=True)
    assert response.status == 200 and "Holberton School" in response.body, (
        f"HTTPS on {name_of(lb)} gave {describe(response)} - bind *:443 ssl crt in haproxy.cfg")
