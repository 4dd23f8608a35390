"""The real headless Chromium the page tests (tests/browser) and the console's
(tests/console) drive: Debian's, with its driver (host/test-deps.sh installs both;
Selenium is given both paths, so it never looks for or downloads a driver). Host
names resolve nowhere in it: the pages reach 127.0.0.1 only."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ARGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
    "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps",
    "--disable-extensions", "--disable-domain-reliability",
    "--disable-client-side-phishing-detection", "--disable-features=Translate,MediaRouter",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",  # loopback only
)


def headless(profile: Path, window: str):
    """A driven Chromium with its own profile folder, its window ``window`` ("W,H")."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (*ARGS, f"--window-size={window}", f"--user-data-dir={profile}"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    return driver


def screenshot_taker(browser, folder: Path) -> Callable[[str], Path]:
    """take(name): the browser's window in ``folder``/<name>.png."""
    def take(name: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.png"
        assert browser.save_screenshot(str(path)), f"no screenshot written to {path}"
        return path
    return take
