"""The console's guard without a lab: the token, the Host and the Origin it asks
for, on the real application (Starlette's test client) with a lab that is down."""
from __future__ import annotations

import pytest

pytest.importorskip("starlette", reason="the console's packages: pip install -r requirements-console.txt")
from starlette.testclient import TestClient  # noqa: E402
from starlette.websockets import WebSocketDisconnect  # noqa: E402

from labtools.console import security  # noqa: E402
from labtools.console.app import create_app  # noqa: E402
from labtools.console.lab import Lab  # noqa: E402
from labtools import labdata  # noqa: E402

PORT = 8765
TOKEN = "t0k3n-for-the-tests"
ORIGIN = f"http://127.0.0.1:{PORT}"
# The test client asks WebSockets as "testserver" unless given the whole address.
WS = f"ws://127.0.0.1:{PORT}"


@pytest.fixture
def client(tmp_path):
    """The console of a lab that is not up (no ssh-config), answering as 127.0.0.1:PORT."""
    lab = Lab(labdata.LAB_FILE, tmp_path / ".vagrant" / "ssh-config")
    return TestClient(create_app(lab, TOKEN, PORT), base_url=ORIGIN, follow_redirects=False)


def signed_in(client: TestClient) -> TestClient:
    client.cookies.set(security.cookie_name(PORT), TOKEN)
    return client


def test_tokens_are_new_and_long():
    tokens = {security.new_token() for _ in range(50)}
    assert len(tokens) == 50
    assert all(len(t) >= 43 for t in tokens)


@pytest.mark.parametrize("given, ok", [(TOKEN, True), (TOKEN + "x", False), ("", False), (None, False),
                                       (TOKEN.upper(), False)])
def test_same_token(given, ok):
    assert security.same_token(given, TOKEN) is ok


@pytest.mark.parametrize("host, ok", [(f"127.0.0.1:{PORT}", True), (f"localhost:{PORT}", True),
                                      ("127.0.0.1", False), (f"127.0.0.1:{PORT + 1}", False),
                                      (f"evil.example:{PORT}", False), (None, False)])
def test_allowed_host(host, ok):
    assert security.allowed_host(host, PORT) is ok


@pytest.mark.parametrize("origin, host, ok", [
    (ORIGIN, f"127.0.0.1:{PORT}", True),
    (f"http://localhost:{PORT}", f"localhost:{PORT}", True),
    (f"http://localhost:{PORT}", f"127.0.0.1:{PORT}", False),      # not the page's own origin
    ("https://evil.example", f"127.0.0.1:{PORT}", False),
    ("null", f"127.0.0.1:{PORT}", False),
    (None, f"127.0.0.1:{PORT}", False),
    (f"http://evil.example:{PORT}", f"evil.example:{PORT}", False),  # a rebound name
])
def test_allowed_origin(origin, host, ok):
    assert security.allowed_origin(origin, host, PORT) is ok


def test_no_token_is_refused(client):
    for path in ("/", "/health", "/parts/results", "/events", "/static/console.js", "/nothing"):
        answer = client.get(path)
        assert answer.status_code == 403, path
        assert "token" in answer.text
        assert "access-control-allow-origin" not in answer.headers


def test_a_wrong_token_is_refused(client):
    assert client.get("/?token=nope").status_code == 403
    client.cookies.set(security.cookie_name(PORT), "nope")
    assert client.get("/health").status_code == 403


def test_the_token_becomes_a_strict_cookie(client):
    answer = client.get(f"/?token={TOKEN}")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/"      # the token leaves the address
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{security.cookie_name(PORT)}={TOKEN};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert signed_in(client).get("/health").json()["ok"] is True


def test_another_host_is_refused_even_with_the_token(tmp_path):
    lab = Lab(labdata.LAB_FILE, tmp_path / "ssh-config")
    rebound = TestClient(create_app(lab, TOKEN, PORT), base_url=f"http://evil.example:{PORT}")
    rebound.cookies.set(security.cookie_name(PORT), TOKEN)
    assert rebound.get("/health").status_code == 403


def test_unsafe_methods_need_the_origin(client):
    signed_in(client)
    assert client.post("/check").status_code == 403
    assert client.post("/check", headers={"origin": "https://evil.example"}).status_code == 403
    assert client.post("/tasks/0/hint", headers={"origin": f"http://localhost:{PORT}"}).status_code == 403


def test_websockets_need_token_and_origin(client):
    with pytest.raises(WebSocketDisconnect):
        with client.websocket_connect(f"{WS}/terminal/web-01", headers={"origin": ORIGIN}):
            pass
    signed_in(client)
    with pytest.raises(WebSocketDisconnect):
        with client.websocket_connect(f"{WS}/terminal/web-01", headers={"origin": "https://evil.example"}):
            pass


def test_a_terminal_reaches_the_lab_machines_only(client):
    signed_in(client)
    with pytest.raises(WebSocketDisconnect) as refused:
        with client.websocket_connect(f"{WS}/terminal/github.com", headers={"origin": ORIGIN}) as socket:
            socket.receive()
    assert refused.value.code == 4404


def test_a_lab_that_is_down_is_a_page_saying_what_to_run(client):
    signed_in(client)
    answer = client.get("/")
    assert answer.status_code == 503
    assert "The lab is not up" in answer.text and "make up" in answer.text
    assert "Traceback" not in answer.text
    # A terminal on it says so, and ends.
    with client.websocket_connect(f"{WS}/terminal/web-01", headers={"origin": ORIGIN}) as socket:
        said = socket.receive_bytes().decode()
        assert "the lab is not up" in said
        assert socket.receive_json() == {"exit": 255}


def test_pages_carry_the_security_headers(client):
    signed_in(client)
    answer = client.get("/health")
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert not any(h.startswith("access-control-") for h in answer.headers)


def test_other_cookies_of_127_0_0_1_do_not_matter(client):
    header = f'other="a b; c"; {security.cookie_name(PORT + 1)}=x; {security.cookie_name(PORT)}={TOKEN}; $bad=1'
    assert security.cookie_value(header, security.cookie_name(PORT)) == TOKEN
    assert client.get("/health", headers={"cookie": header}).status_code == 200
