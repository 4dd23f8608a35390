"""Fixtures of the console's lab tests: a practice lab named by CONSOLE_LAB, put
in exercise 0x0E's start state and checked once; the console started on it (its
own process, as `make console` starts it); a real headless Chromium (Debian's,
with its driver: Selenium never looks for or downloads one).

    CONSOLE_LAB=<ssh-config>               a practice lab of this checkout's lab.yml
    CONSOLE_LAB=<lab file>:<ssh-config>    another one (host/practice-labs.sh's lines)

Without CONSOLE_LAB the tests that need a lab are skipped, saying so. They
change that lab (its start state, hints, a solution applied): never point it
at a lab someone else is using. Screenshots go to bench/out/console/."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from console_lab import REPO, Console, LabPaths, lab_paths, wait_for
from tests import chromium

SCREENSHOTS = REPO / "bench" / "out" / "console"
NO_LAB = ("no lab given: CONSOLE_LAB=<ssh-config> (or <lab file>:<ssh-config>) of a practice lab "
          "(LAB_MODE=practice make up) runs the console's lab and browser tests")


@pytest.fixture(scope="module")
def lab() -> LabPaths:
    paths = lab_paths()
    if paths is None:
        pytest.skip(NO_LAB)
    for path in (paths.lab_file, paths.ssh_config):
        if not path.is_file():
            pytest.fail(f"CONSOLE_LAB names {path}, which is not there (is the lab up?)")
    mode = paths.ssh_config.parent / "hbnb-lab" / "mode"
    if not mode.is_file() or mode.read_text().strip() != "practice":
        pytest.fail(f"CONSOLE_LAB must be a practice lab ({mode}): LAB_MODE=practice make up")
    paths.practice("0x0E")
    # 0x0E's start state is the web servers'; the load balancer is the track's
    # (HAProxy over both), whatever another exercise or a grading left there.
    paths.root("lb-01", "hbnb-provision lb")
    paths.learner("check")                    # verdicts to show: the start state passes, the tasks fail
    return paths


@pytest.fixture(scope="module")
def console(lab: LabPaths):
    """The console on the lab, as `make console` starts it (no browser of its own)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    said = SCREENSHOTS / "console.log"             # its address first, then what it logs
    log = open(said, "w")
    process = subprocess.Popen([sys.executable, "-m", "labtools.console", "--lab-file", str(lab.lab_file),
                                "--ssh-config", str(lab.ssh_config), "--no-browser"],
                               cwd=REPO, env=lab.env(), stdout=log, stderr=subprocess.STDOUT, text=True)
    first = wait_for(lambda: said.read_text().split("\n", 1)[0].split() if "\n" in said.read_text() else None,
                     timeout=30, every=0.05, what="the console's address")
    assert first[:1] == ["console:"], f"the console said {first}"
    url = first[1]
    base = url.split("/?")[0]
    try:
        yield Console(url, base, int(base.rsplit(":", 1)[1]), process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def browser(lab, tmp_path_factory):
    driver = chromium.headless(tmp_path_factory.mktemp("chromium-profile"), "1400,1250")
    yield driver
    driver.quit()


@pytest.fixture
def screenshot(browser):
    """screenshot(name): the browser's window in bench/out/console/<name>.png."""
    return chromium.screenshot_taker(browser, SCREENSHOTS)
