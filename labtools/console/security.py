"""The console's guard, in front of every request and WebSocket: the run's token,
the Host it is asked as (127.0.0.1 or localhost on its port: a page of another
site that rebinds a name to 127.0.0.1 is refused), and the Origin of WebSockets
and unsafe methods (no other site can drive it). It adds no CORS header, ever.

The first page load may carry the token as ?token=: it becomes an HttpOnly
SameSite=Strict cookie and the address loses it (a redirect), so it stays out
of the history and of any Referer."""
from __future__ import annotations

import hmac
import secrets
from urllib.parse import parse_qsl, urlencode

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
LOCAL_NAMES = ("127.0.0.1", "localhost")


def new_token() -> str:
    """A token for one run of the console (256 bits)."""
    return secrets.token_urlsafe(32)


def cookie_name(port: int) -> str:
    # Cookies are per host, not per port: two consoles on one host keep theirs apart.
    return f"hbnb_console_{port}"


def cookie_value(header: str, name: str) -> str | None:
    """Cookie ``name`` of a Cookie header. Parsed by hand: other programs on
    127.0.0.1 get this host's cookies too, and a strict parser may choke on theirs."""
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


def same_token(given: str | None, token: str) -> bool:
    return bool(given) and hmac.compare_digest(given.encode(), token.encode())


def allowed_host(host: str | None, port: int) -> bool:
    """Whether the Host header names this console: 127.0.0.1 or localhost, its port."""
    return host in {f"{name}:{port}" for name in LOCAL_NAMES}


def allowed_origin(origin: str | None, host: str | None, port: int) -> bool:
    """Whether ``origin`` is the console's own page (the Host it was asked as)."""
    return bool(origin) and allowed_host(host, port) and origin == f"http://{host}"


def security_headers(port: int) -> list[tuple[bytes, bytes]]:
    # xterm.js styles itself with <style> elements; no inline script anywhere.
    policy = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
              "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
    return [(b"content-security-policy", policy.encode()), (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY")]


class Guard:
    """ASGI middleware: refuses what lacks the token, a local Host, or (WebSocket,
    unsafe method) the console's own Origin; turns ?token= into the cookie."""

    def __init__(self, app, token: str, port: int, refused_page: str = ""):
        self.app, self.token, self.port = app, token, port
        self.refused_page = refused_page or "<h1>Refused</h1><p>{why}</p>"

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        host, origin = headers.get("host"), headers.get("origin")
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        cookie = cookie_value(headers.get("cookie", ""), cookie_name(self.port))
        why = ""
        if not allowed_host(host, self.port):
            why = f"this console answers as 127.0.0.1:{self.port} only, not as {host!r}"
        elif (scope["type"] == "websocket" or scope["method"] not in SAFE_METHODS) \
                and not allowed_origin(origin, host, self.port):
            why = f"a request from {origin or 'no origin'}, not from the console's own page"
        elif not same_token(cookie, self.token) \
                and not same_token(query.get("token"), self.token):
            why = ("this console needs the token of its run: open the address `make console` printed "
                   "(http://127.0.0.1:PORT/?token=...)")
        if why:
            return await self.refuse(scope, receive, send, why)
        if scope["type"] == "http" and same_token(query.get("token"), self.token) and scope["method"] == "GET":
            return await self.take_token(scope, send, query)
        return await self.app(scope, receive, _with_headers(send, security_headers(self.port)))

    async def refuse(self, scope, receive, send, why: str):
        if scope["type"] == "websocket":
            # Closing before accepting: the handshake is answered 403.
            await receive()
            return await send({"type": "websocket.close", "code": 4403, "reason": why[:120]})
        from html import escape
        body = self.refused_page.replace("{why}", escape(why)).encode()
        await send({"type": "http.response.start", "status": 403,
                    "headers": [(b"content-type", b"text/html; charset=utf-8"),
                                (b"content-length", str(len(body)).encode())] + security_headers(self.port)})
        await send({"type": "http.response.body", "body": body})

    async def take_token(self, scope, send, query: dict):
        """The cookie set, and the same address without the token."""
        rest = urlencode({k: v for k, v in query.items() if k != "token"})
        location = scope["path"] + (f"?{rest}" if rest else "")
        cookie = f"{cookie_name(self.port)}={self.token}; HttpOnly; SameSite=Strict; Path=/"
        await send({"type": "http.response.start", "status": 303,
                    "headers": [(b"location", location.encode()), (b"set-cookie", cookie.encode()),
                                (b"content-length", b"0")] + security_headers(self.port)})
        await send({"type": "http.response.body", "body": b""})


def _with_headers(send, extra: list[tuple[bytes, bytes]]):
    """``send`` that adds ``extra`` headers to an HTTP response's start."""
    async def sending(message):
        if message["type"] == "http.response.start":
            message = {**message, "headers": list(message.get("headers", [])) + extra}
        await send(message)
    return sending
