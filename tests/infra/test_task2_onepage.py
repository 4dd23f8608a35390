"""Task 2: Nginx proxies /airbnb-onepage/ on port 80 (local and lab address) to
port 5000: 200, Server: nginx, Content-Length: 11, X-Served-By: <hostname>; and
the same through the load balancer."""
import pytest

from facts import HELLO, address, name_of, names
from probes import describe, gateway_hint, http

pytestmark = pytest.mark.task2


@pytest.mark.parametrize("where", ["loopback", "lab address"])
def test_onepage_headers_as_the_grader_checks(web, where):
    ip = "127.0.0.1" if where == "loopback" else address(name_of(web))
    response = http(web, f"http://{ip}/airbnb-onepage/", method="HEAD")
    assert response.status == 200, (
        f"HEAD {ip}/airbnb-onepage/ gave {describe(response)}: {gateway_hint(response.status, HELLO)}")
    assert response.header("Server") == "nginx", (
        f"Server is {response.header('Server')!r}, want 'nginx' (server_tokens off; Nginx must answer port 80)")
    assert response.header("Content-Length") == "11", (
        f"Content-Length {response.header('Content-Length')!r}, want 11 ('Hello HBNB!') - a trailing newline in the view?")
    assert response.header("X-Served-By") == name_of(web), (
        f"X-Served-By is {response.header('X-Served-By')!r}, want {name_of(web)} - "
        "add_header X-Served-By $hostname always; in the server block")


def test_onepage_body(web):
    response = http(web, "http://127.0.0.1/airbnb-onepage/")
    assert (response.status, response.body) == (200, "Hello HBNB!"), (
        f"/airbnb-onepage/ gave {describe(response)}: {gateway_hint(response.status, HELLO)}")


def test_onepage_through_the_load_balancer(lb):
    response = http(lb, f"http://{address(name_of(lb))}/airbnb-onepage/")
    assert (response.status, response.body) == (200, "Hello HBNB!"), (
        f"through {name_of(lb)}: {describe(response)} - systemctl status haproxy on {name_of(lb)}, and the web servers")
    assert response.header("X-Served-By") in names("web"), (
        f"X-Served-By {response.header('X-Served-By')!r} is not a web server of lab.yml")
