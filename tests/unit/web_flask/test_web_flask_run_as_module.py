"""``python3 -m web_flask.0-hello_route`` serves the page on 0.0.0.0:5000 (task 0)."""
import errno
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
PORT = 5000  # the exercise's port for this command


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("0.0.0.0", port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return False
            raise
    return True


def wait_for_answer(url: str, server: subprocess.Popen, timeout: float = 15.0) -> bytes:
    deadline = time.monotonic() + timeout
    while True:
        if server.poll() is not None:
            raise AssertionError(f"server exited with {server.returncode}: {server.stderr.read()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)  # the dev server gives no readiness signal but its port


@pytest.mark.usefixtures("port_5000")
def test_module_runs_the_dev_server_on_all_addresses_port_5000():
    if not port_is_free(PORT):
        pytest.skip(f"port {PORT} is taken on this host, cannot start the dev server")
    server = subprocess.Popen([sys.executable, "-m", "web_flask.0-hello_route"], cwd=REPO,
                              env={**os.environ, "PYTHONPATH": str(REPO)},
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        body = wait_for_answer(f"http://127.0.0.1:{PORT}/airbnb-onepage/", server)
        assert body == b"Hello HBNB!"
    finally:
        server.terminate()
        _, log = server.communicate(timeout=10)
    assert "Running on all addresses (0.0.0.0)" in log
