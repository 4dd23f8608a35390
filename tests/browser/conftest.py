"""Fixtures of the browser test: a real gunicorn on loopback serving the pages
and the API on one origin, and a real headless Chromium driven by Selenium.

Chromium and its driver are Debian's (host/test-deps.sh installs them):
Selenium is given both paths, so it never looks for or downloads a driver.
Host names resolve nowhere in this browser: the pages can reach 127.0.0.1 only.
Screenshots go to bench/out/browser/ (ignored by git).
"""
import os
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "bench" / "out" / "browser"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_ARGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
    "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps",
    "--disable-extensions", "--disable-domain-reliability",
    "--disable-client-side-phishing-detection", "--disable-features=Translate,MediaRouter",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",  # loopback only
    "--window-size=1280,1000",
)
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
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in CHROMIUM_ARGS:
        options.add_argument(argument)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture
def screenshot(browser):
    """screenshot(name): save the browser's window to bench/out/browser/<name>.png."""
    def take(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        assert browser.save_screenshot(str(path)), f"no screenshot written to {path}"
        return path
    return take
