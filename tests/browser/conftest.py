"""Fixtures of the browser test: a real gunicorn on loopback serving the pages
and the API on one origin, and a real headless Chromium driven by Selenium
(tests/chromium.py). Screenshots go to bench/out/browser/ (ignored by git).
"""
import os
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from tests import chromium

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "bench" / "out" / "browser"
# The server's app (tests/browser/one_origin.py) and its workers.
SERVER_APP = "one_origin:app"
SERVER_WORKERS = 2


class LiveServer:
    """gunicorn serving ``SERVER_APP`` on a loopback socket bound beforehand.

    The test binds and listens on 127.0.0.1 with a port the kernel picks, then
    hands the socket to gunicorn (``--bind fd://N``): requests made before the
    workers are up wait in the socket's backlog instead of being refused, so no
    polling is needed.
    """

    def __init__(self, log_dir: Path):
        self.log = log_dir / "gunicorn.log"
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        listener.listen(128)
        host, port = listener.getsockname()
        self.url = f"http://{host}:{port}"
        env = dict(os.environ)
        # HBNB_ENV=test makes the db engine drop every table when it starts:
        # the server must serve the data the test wrote, not wipe it.
        env.pop("HBNB_ENV", None)
        fd = listener.fileno()
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--bind", f"fd://{fd}",
                 "--workers", str(SERVER_WORKERS), "--chdir", str(REPO),
                 "--pythonpath", str(Path(__file__).parent),
                 "--access-logfile", "-", "--error-logfile", "-", SERVER_APP],
                pass_fds=(fd,), env=env, stdout=log, stderr=subprocess.STDOUT)
        listener.close()  # gunicorn holds its own copy; if it dies, connects fail
        try:
            with urllib.request.urlopen(f"{self.url}/api/v1/status/", timeout=60) as answer:
                assert answer.status == 200
        except Exception:
            self.stop()
            raise AssertionError(f"the server did not start:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


@pytest.fixture
def live_server(tmp_path):
    """live_server() starts the server, once the test has written its data.

    The file engine re-reads file.json only at the end of a request (its
    close()), so a server started before the data would serve the first page
    from what it loaded at start-up; starting it afterwards avoids that.
    """
    servers = []

    def start() -> LiveServer:
        server = LiveServer(tmp_path)
        servers.append(server)
        return server
    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = chromium.headless(tmp_path_factory.mktemp("chromium-profile"), "1280,1000")
    yield driver
    driver.quit()


@pytest.fixture
def screenshot(browser):
    """screenshot(name): save the browser's window to bench/out/browser/<name>.png."""
    return chromium.screenshot_taker(browser, SCREENSHOTS)
