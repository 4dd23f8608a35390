"""Tasks 2-5: each Nginx site of the exercise, made the active site of a web
server in turn (checked with nginx -t, reloaded), answers its own routes and
those of the earlier tasks, and not the later ones; the final site (5) is put
back after each. The sites' ports and paths are lab.yml's."""
import re

import pytest

from stack_helpers import (API, APP_DIR, ENABLED_SITE, FINAL_SITE, HELLO, NUMBER, PAGE, ROOT,  # noqa: F401
                           SITES, SITES_AVAILABLE, http, names, wait_for)

# Each task's route and a text of its answer.
ROUTES = {
    2: ("/airbnb-onepage/", "Hello HBNB!"),
    3: ("/airbnb-dynamic/number_odd_or_even/7", "<H1>Number: 7 is odd</H1>"),
    4: ("/api/v1/status", '"OK"'),
    5: ("/", "Holberton School"),
}
# The app each task adds, in the order the sites add them.
TASK_APPS = {2: HELLO, 3: NUMBER, 4: API, 5: PAGE}


def activate(host, site: str) -> None:
    with host.sudo():
        result = host.run(f"ln -sfn {SITES_AVAILABLE}/{site} {ENABLED_SITE}.new && "
                          f"mv -fT {ENABLED_SITE}.new {ENABLED_SITE} && nginx -t && systemctl reload nginx")
    assert result.rc == 0, f"activating {site}: {result.stderr.strip()} (nginx -t prints file:line)"


def answers(host, task: int) -> bool:
    path, text = ROUTES[task]
    response = http(host, f"http://127.0.0.1{path}")
    return response.status == 200 and text in response.body


@pytest.fixture
def switched_web(request, lab_host):
    """The last web server of lab.yml; its final site is restored afterwards."""
    name = names("web")[-1]
    if name not in (request.config.option.hosts or ""):
        pytest.skip(f"{name} is not in --hosts")
    host = lab_host(name)
    yield host
    activate(host, FINAL_SITE)
    assert wait_for(lambda: answers(host, 5), timeout=20), f"{name}: / does not answer after restoring {FINAL_SITE}"


@pytest.mark.parametrize("task", [pytest.param(t, marks=getattr(pytest.mark, f"task{t}"), id=SITES[t])
                                  for t in SITES])
def test_site_answers_its_routes_when_active(switched_web, task):
    site = SITES[task]
    activate(switched_web, site)
    # Reload is graceful: wait until the new workers answer as this site should.
    wanted = {t: t <= task for t in ROUTES}
    found = wait_for(lambda: {t: answers(switched_web, t) for t in ROUTES} == wanted and wanted, timeout=20)
    got = {t: answers(switched_web, t) for t in ROUTES}
    for t, should in wanted.items():
        path = ROUTES[t][0]
        if should:
            assert got[t], (f"with {site} active, {path} does not answer - its location block "
                            f"(task {t}) should proxy to 127.0.0.1:{TASK_APPS[t]['port']}")
        else:
            assert not got[t], f"with {site} active, {path} answers, but task {t} comes later"
    assert found, f"with {site} active, the routes answer {got}, want {wanted}"


@pytest.mark.parametrize("task", [pytest.param(t, marks=getattr(pytest.mark, f"task{t}"), id=SITES[t])
                                  for t in SITES])
def test_site_ports_are_lab_yml_apps(task):
    text = (ROOT / SITES[task]).read_text(encoding="utf-8")
    ports = {int(p) for p in re.findall(r"proxy_pass http://127\.0\.0\.1:(\d+)", text)}
    wanted = {TASK_APPS[t]["port"] for t in TASK_APPS if t <= task}
    assert ports == wanted, f"{SITES[task]} proxies to ports {sorted(ports)}, lab.yml's apps say {sorted(wanted)}"
    assert "add_header X-Served-By $hostname always;" in text, f"{SITES[task]} lacks the X-Served-By header"
    assert text.lstrip().startswith("#"), f"{SITES[task]} should start with a comment saying what it does"


@pytest.mark.task5
def test_final_site_serves_the_deployed_static_folder():
    text = (ROOT / FINAL_SITE).read_text(encoding="utf-8")
    assert f"alias {APP_DIR}/web_dynamic/static/;" in text, (
        f"{FINAL_SITE}'s /static/ alias is not {APP_DIR}/web_dynamic/static/ (provision/web.sh deploys there)")
