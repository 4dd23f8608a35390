"""The console on a practice lab, in a real headless Chromium: the machines and
the tasks with their verdicts, a shell in the page, hints, a task fixed from the
page's terminal then passing without a reload, results written by a check run
elsewhere, a log followed, the solution behind its confirm steps; and nothing
without the token. Needs CONSOLE_LAB (conftest.py); in this order (one lab)."""
from __future__ import annotations

import re
import time
import urllib.error
import urllib.request

import pytest

pytest.importorskip("selenium", reason="the browser tests drive Chromium with Selenium (requirements-dev.txt)")
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

from console_lab import lab_paths, wait_for  # noqa: E402
from labtools.exercise import pack as packs  # noqa: E402

pytestmark = [pytest.mark.lab, pytest.mark.browser]
PACK = packs.load(packs.resolve("0x0E"))

# The text of the shell on ``machine`` (its xterm.js buffer, line by line).
SHELL_TEXT = """
const shell = [...hbnbConsole.shells.values()].find(s => s.name === arguments[0] && !s.tab.classList.contains("ended"));
if (!shell) return null;
const buffer = shell.term.buffer.active, lines = [];
for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i).translateToString(true));
return lines.join("\\n");
"""


def shell_text(browser, machine: str) -> str:
    return browser.execute_script(SHELL_TEXT, machine) or ""


def open_shell(browser, machine: str):
    browser.find_element(By.CSS_SELECTOR, f".open-shell button[data-shell='{machine}']").click()
    pane = wait_for(lambda: browser.find_element(By.CSS_SELECTOR, f".pane[data-machine='{machine}']:not([hidden])"),
                    what=f"the shell's pane on {machine}")
    wait_for(lambda: re.search(r"[$#] ?$", shell_text(browser, machine).rstrip("\n"), re.M), timeout=30,
             what=f"a prompt on {machine}")
    return pane


def type_in(browser, machine: str, text: str) -> None:
    """Keys typed into the shell on ``machine`` (its tab shown first)."""
    for label in browser.find_elements(By.CSS_SELECTOR, "#term-tabs .tab:not(.ended) .tab-label"):
        if label.text == machine:
            label.click()
            break
    pane = browser.find_element(By.CSS_SELECTOR, f".pane[data-machine='{machine}']:not([hidden])")
    pane.find_element(By.CSS_SELECTOR, "textarea.xterm-helper-textarea").send_keys(text)


def run_in_shell(browser, machine: str, command: str, marker: str, timeout: float = 60) -> str:
    """``command`` typed in the shell on ``machine``, then an echo whose output
    ``marker`` (not in what is typed) says it has finished; the shell's text."""
    left, right = marker[:len(marker) // 2], marker[len(marker) // 2:]
    type_in(browser, machine, f"{command}; echo {left}''{right}\n")
    return wait_for(lambda: re.search(rf"^{re.escape(marker)}\s*$", shell_text(browser, machine), re.M)
                    and shell_text(browser, machine), timeout=timeout, what=f"{marker} on {machine}")


def verdict(browser, number: int) -> str:
    return browser.find_element(By.CSS_SELECTOR, f"#result-{number} .verdict").text


def test_nothing_without_the_token(console, browser, screenshot):
    for path in ("/", "/health", "/parts/machines", "/events"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(console.base + path, timeout=10)
        assert refused.value.code == 403, path
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect
    with pytest.raises(InvalidStatus) as refused:
        connect(f"ws://127.0.0.1:{console.port}/terminal/web-01", origin=console.base, open_timeout=10)
    assert refused.value.response.status_code == 403
    browser.get(console.base + "/")
    assert "Refused" in browser.find_element(By.TAG_NAME, "h1").text
    screenshot("01-refused-without-token")


def test_machines_and_tasks_with_their_verdicts(console, browser, screenshot):
    browser.get(console.url)
    assert "?token" not in browser.current_url            # the token became a cookie
    for name in ("web-01", "web-02", "lb-01"):
        card = wait_for(lambda: browser.find_element(By.ID, f"machine-{name}"), what=f"{name}'s card")
        assert "running" in card.find_element(By.CSS_SELECTOR, ".state").text
    assert "nginx" in browser.find_element(By.ID, "machine-web-01").text
    assert ":8080" in browser.find_element(By.ID, "machine-web-01").text     # the broken state: Nginx on 8080
    assert "haproxy" in browser.find_element(By.ID, "machine-lb-01").text
    assert verdict(browser, -1) == "PASS"
    assert verdict(browser, 0) == "FAIL" and verdict(browser, 1) == "FAIL"
    assert "port 80" in browser.find_element(By.CSS_SELECTOR, "#result-0 .causes").text
    titles = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".task h3")]
    assert any(PACK.task(0).title in t for t in titles)
    wait_for(lambda: "lb-01" in browser.find_element(By.ID, "served-by").text, what="the load balancer's answers")
    screenshot("02-machines-and-tasks")


def test_a_shell_on_web_01(console, browser, screenshot):
    open_shell(browser, "web-01")
    text = run_in_shell(browser, "web-01", "hostname; whoami", "done-hostname")
    assert re.search(r"^web-01\s*$", text, re.M), text
    assert re.search(r"^ubuntu\s*$", text, re.M), text      # practice mode: the practice user
    screenshot("03-terminal-hostname")


def test_the_terminal_follows_the_window_size(console, browser):
    browser.set_window_size(1100, 1000)
    time.sleep(1)
    cols, rows = browser.execute_script(
        "const s=[...hbnbConsole.shells.values()].find(s=>s.name==='web-01'); return [s.term.cols, s.term.rows];")
    text = run_in_shell(browser, "web-01", "stty size", "done-size")
    assert re.search(rf"^{rows} {cols}\s*$", text, re.M), (rows, cols, text[-300:])
    browser.set_window_size(1400, 1250)
    time.sleep(1)


def test_copy_and_paste(console, browser):
    browser.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": console.base, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    run_in_shell(browser, "web-01", "clear; echo copy-$((40+2))", "done-copy")
    # The output line selected as with the mouse, then Ctrl+Shift+C.
    browser.execute_script("""
        const s=[...hbnbConsole.shells.values()].find(s=>s.name==='web-01'); const b=s.term.buffer.active;
        for (let i = 0; i < b.length; i++) if (b.getLine(i).translateToString(true) === 'copy-42') { s.term.select(0, i, 7); break; }""")
    ActionChains(browser).key_down(Keys.CONTROL).key_down(Keys.SHIFT).send_keys("c") \
        .key_up(Keys.SHIFT).key_up(Keys.CONTROL).perform()
    copied = browser.execute_async_script("navigator.clipboard.readText().then(arguments[0], e => arguments[0]('error ' + e))")
    assert copied == "copy-42"
    browser.execute_async_script("navigator.clipboard.writeText('echo pasted-$((2+3))').then(arguments[0])")
    type_in(browser, "web-01", "")
    ActionChains(browser).key_down(Keys.CONTROL).key_down(Keys.SHIFT).send_keys("v") \
        .key_up(Keys.SHIFT).key_up(Keys.CONTROL).perform()
    type_in(browser, "web-01", "\n")
    wait_for(lambda: re.search(r"^pasted-5\s*$", shell_text(browser, "web-01"), re.M), what="the pasted command's output")


def test_a_hint_on_click(console, browser, screenshot):
    browser.find_element(By.CSS_SELECTOR, "#hints-0 .hint-next").click()
    hint = wait_for(lambda: browser.find_element(By.CSS_SELECTOR, "#hints-0 .hint"), what="the first hint")
    assert PACK.task(0).hints[0] in hint.text
    wait_for(lambda: "2 of 3" in browser.find_element(By.CSS_SELECTOR, "#hints-0 .hint-next").text,
             what="the button offering hint 2")
    assert not browser.find_element(By.ID, "notice").is_displayed()       # no action failed
    from labtools.exercise import state
    assert state.hint_level(PACK.id, 0, lab_paths().ssh_config) == 1    # the state `make hint` keeps
    screenshot("04-hint")


def test_a_task_fixed_in_the_terminal_passes_without_a_reload(console, browser, screenshot):
    browser.execute_script("window.notReloaded = true")
    fix = "sudo ln -sf /etc/nginx/sites-available/default /etc/nginx/sites-enabled/default && sudo systemctl restart nginx"
    run_in_shell(browser, "web-01", fix, "fixed-web-01")
    open_shell(browser, "web-02")                              # a second tab
    run_in_shell(browser, "web-02", fix, "fixed-web-02")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#term-tabs .tab")) == 2
    browser.find_element(By.CSS_SELECTOR, "#result-0 .check-again").click()
    wait_for(lambda: "Checking" in browser.find_element(By.ID, "checkrun").text, timeout=15, what="the run to start")
    wait_for(lambda: verdict(browser, 0) == "PASS", timeout=180, every=1, what="task 0 to pass")
    assert browser.execute_script("return window.notReloaded") is True
    wait_for(lambda: "Check every task" in browser.find_element(By.ID, "checkrun").text, timeout=30, what="the run's end")
    wait_for(lambda: ":80" in browser.find_element(By.ID, "machine-web-01").text, timeout=20, what="Nginx on :80")
    screenshot("05-fixed-task-passes")


def test_which_web_server_answered_through_lb_01(console, browser, screenshot):
    """Both web servers fixed: the load balancer's round robin shows in the page."""
    browser.find_element(By.CSS_SELECTOR, "#served-by button").click()
    counts = wait_for(lambda: (lambda text: "web-01 ×" in text and "web-02 ×" in text and text)(
        browser.find_element(By.CSS_SELECTOR, "#served-by .counts").text), timeout=30,
        what="answers from web-01 and web-02 through lb-01")
    # Round robin, give or take a server HAProxy's health check has just let back in.
    assert len(browser.find_elements(By.CSS_SELECTOR, "#served-by .served li.ok")) == 6, counts
    browser.execute_script("document.getElementById('site-title').scrollIntoView()")
    screenshot("05b-served-by")


def test_results_of_a_check_run_elsewhere_appear(console, lab, browser):
    before = browser.find_element(By.CSS_SELECTOR, "#result-1 .when").text
    time.sleep(1.1)                                            # the records' times have seconds
    lab.learner("check", "--task", "1")                        # as the host's `make check TASK=1`
    wait_for(lambda: browser.find_element(By.CSS_SELECTOR, "#result-1 .when").text != before, timeout=20,
             what="task 1's new check time")
    assert browser.execute_script("return window.notReloaded") is True


def test_a_log_followed(console, browser, screenshot):
    form = browser.find_element(By.ID, "log-form")
    Select(form.find_element(By.NAME, "machine")).select_by_visible_text("web-01")
    Select(form.find_element(By.NAME, "source")).select_by_value("journal")
    unit = form.find_element(By.NAME, "unit")
    unit.clear()
    unit.send_keys("nginx.service")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(lambda: "nginx" in browser.find_element(By.ID, "log-view").text, what="nginx's journal")
    lines = len(browser.find_element(By.ID, "log-view").text.splitlines())
    run_in_shell(browser, "web-01", "sudo systemctl reload nginx", "reloaded")
    wait_for(lambda: len(browser.find_element(By.ID, "log-view").text.splitlines()) > lines, timeout=20,
             what="the reload's lines in the followed journal")
    browser.execute_script("document.getElementById('logs-title').scrollIntoView()")
    screenshot("06-log-followed")
    browser.find_element(By.ID, "log-stop").click()


def test_the_solution_behind_its_confirm_steps(console, browser, screenshot):
    browser.find_element(By.CSS_SELECTOR, "#solution-1 .solution-open").click()
    wait_for(lambda: browser.find_element(By.CSS_SELECTOR, "#solution-1 .solution-show"), what="the confirm step").click()
    text = wait_for(lambda: browser.find_element(By.CSS_SELECTOR, "#solution-1 .file-text").text, what="the file")
    assert text == (PACK.solution / "1-debugging_made_short").read_text().rstrip("\n")
    browser.execute_script("document.getElementById('solution-1').scrollIntoView()")
    screenshot("07-solution")
    browser.find_element(By.CSS_SELECTOR, "#solution-1 button[hx-get$='/solution/apply']").click()
    wait_for(lambda: browser.find_element(By.CSS_SELECTOR, "#solution-1 .solution-apply"), what="the second confirm").click()
    applied = wait_for(lambda: browser.find_element(By.CSS_SELECTOR, "#solution-1 .applied").text, timeout=120,
                       what="the solution applied")
    assert "web-01:" in applied and "web-02:" in applied
    refused = browser.find_elements(By.CSS_SELECTOR, "#solution-1 .applied li.warn")
    assert not refused, f"the solution was not applied: {[e.text for e in refused]}"
    browser.find_element(By.CSS_SELECTOR, "#result-1 .check-again").click()
    wait_for(lambda: verdict(browser, 1) == "PASS", timeout=180, every=1, what="task 1 to pass")
    assert "2 of 2 tasks pass" in browser.find_element(By.ID, "summary").text
    screenshot("08-every-task-passes")
