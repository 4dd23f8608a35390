"""Tasks 2-5: each Nginx site of the exercise, as handed in, made the only
active site of a web server in turn (checked with nginx -t, reloaded), answers
its own routes and those of the earlier tasks, and not the later ones. The
machine's own sites-enabled/ (the lab's, or a student's), whatever it was, is
put back once the last site has been tried. The sites' ports and paths
are lab.yml's."""
import base64
import re
import shlex

import pytest

from facts import (
    API, APP_DIR, HELLO, NUMBER, PAGE, SITES, SITES_AVAILABLE, layout, names, session_names,
    submitted,
)
from probes import wait_for

# Each task's route and a text of its answer.
ROUTES = {
    2: ("/airbnb-onepage/", "Hello HBNB!"),
    3: ("/airbnb-dynamic/number_odd_or_even/7", "<H1>Number: 7 is odd</H1>"),
    4: ("/api/v1/status", '"OK"'),
    5: ("/", "Holberton School"),
}
# The app each task adds, in the order the sites add them.
TASK_APPS = {2: HELLO, 3: NUMBER, 4: API, 5: PAGE}
ENABLED = "/etc/nginx/sites-enabled"
SAVED_SITES_ARCHIVE = "/var/backups/hbnb-lab/sites-enabled.under-test.tar"    # the machine's own, while a site is tried


def sudo_run(host, command: str):
    with host.sudo():
        return host.run(command)


# Shell: nginx -t, then a reload that returns once Nginx's old workers have all
# exited (10 s at most), so new requests meet the new configuration.
RELOAD_NGINX = ("nginx -t && master=$(systemctl show --property MainPID --value nginx) && old=$(pgrep -P \"$master\") && "
                "systemctl reload nginx && for i in $(seq 200); do alive=; for pid in $old; do "
                "kill -0 \"$pid\" 2>/dev/null && alive=1; done; [ -z \"$alive\" ] && break; sleep 0.05; done")


def site_text(host, task: int) -> str:
    """The site of ``task`` under judgement: the lab's own (reference mode), or the
    student's, where the exercise has it copied (practice mode: sites-available)."""
    if layout(host).mode != "practice":
        return submitted(SITES[task])
    with host.sudo():
        found = host.run(f"cat {SITES_AVAILABLE}/{SITES[task]}")
    assert found.rc == 0, (f"{SITES[task]} is not in {SITES_AVAILABLE}/ on {host.backend.get_hostname()}: "
                           "write it there (the exercise's name), then make check")
    return found.stdout


def try_site(host, task: int):
    """The site of ``task`` as the only enabled site; the result of nginx -t (a
    refused file leaves Nginx running what it ran)."""
    text = base64.b64encode(site_text(host, task).encode()).decode()
    return sudo_run(host, (
        f"mkdir -p {SAVED_SITES_ARCHIVE.rsplit('/', 1)[0]} && {{ [ -e {SAVED_SITES_ARCHIVE} ] || tar -C {ENABLED} -cf {SAVED_SITES_ARCHIVE} . ; }} && "
        f"find {ENABLED} -mindepth 1 -delete && echo {text} | base64 -d > {ENABLED}/{SITES[task]} && "
        + RELOAD_NGINX))


def restore(host) -> None:
    if sudo_run(host, f"test -e {SAVED_SITES_ARCHIVE}").rc != 0:
        return   # no site was tried: sites-enabled/ is as it was
    result = sudo_run(host, f"find {ENABLED} -mindepth 1 -delete && tar -C {ENABLED} -xf {SAVED_SITES_ARCHIVE} && "
                            f"rm -f {SAVED_SITES_ARCHIVE} && " + RELOAD_NGINX)
    assert result.rc == 0, f"could not put back the machine's own sites-enabled/ from {SAVED_SITES_ARCHIVE}: {result.stderr.strip()}"


def answered(host) -> dict[int, bool]:
    """Task -> whether its route answers 200 with its text on ``host`` (one SSH command)."""
    probes = [f"[ \"$(curl -s -o /tmp/sites-body -w '%{{http_code}}' --max-time 5 "
              f"{shlex.quote('http://127.0.0.1' + path)})\" = 200 ] && grep -qF -- {shlex.quote(text)} /tmp/sites-body "
              f"&& echo {task}; " for task, (path, text) in ROUTES.items()]
    found = {int(word) for word in host.run("".join(probes) + "true").stdout.split()}
    return {task: task in found for task in ROUTES}


@pytest.fixture(scope="module")
def switched_web(request, lab_host):
    """The last web server of lab.yml, whose sites the checks below switch in
    turn; its own sites-enabled/ is restored once, after the last of them."""
    name = names("web")[-1]
    if name not in session_names(request.config, "web"):
        pytest.skip(f"{name} is not in --hosts")
    host = lab_host(name)
    before = answered(host)
    yield host
    restore(host)
    assert wait_for(lambda: answered(host) == before, timeout=20), (
        f"{name}: the routes do not answer as before the test after restoring its sites")


@pytest.mark.disruptive      # switches the web server's active site
@pytest.mark.parametrize("task", [pytest.param(t, marks=getattr(pytest.mark, f"task{t}"), id=SITES[t])
                                  for t in SITES])
def test_site_answers_its_routes_when_active(switched_web, task):
    site = SITES[task]
    result = try_site(switched_web, task)
    assert result.rc == 0, (
        f"nginx -t refused {site} (two `location /` blocks? a typo?): {result.stderr.strip()[-300:]}")
    # The old workers are gone: the answers are this site's (a second or two for
    # an upstream still starting).
    wanted = {t: t <= task for t in ROUTES}
    got: dict[int, bool] = {}

    def as_wanted() -> bool:
        got.update(answered(switched_web))
        return got == wanted
    found = wait_for(as_wanted, timeout=2)
    for t, should in wanted.items():
        path = ROUTES[t][0]
        if should:
            assert got[t], (f"with {site} active, {path} does not answer - its location block "
                            f"(task {t}) should proxy to 127.0.0.1:{TASK_APPS[t]['port']} "
                            "(proxy_pass with a URI part replaces the matched prefix)")
        else:
            assert not got[t], f"with {site} active, {path} answers, but task {t} comes later"
    assert found, f"with {site} active, the routes answer {got}, want {wanted}"


@pytest.mark.reference     # the lab's own files; a student's are graded by what they do
@pytest.mark.parametrize("task", [pytest.param(t, id=SITES[t]) for t in SITES])
def test_site_ports_are_lab_yml_apps(task):
    text = submitted(SITES[task])
    ports = {int(p) for p in re.findall(r"proxy_pass http://(?:127\.0\.0\.1|localhost|0\.0\.0\.0):(\d+)", text)}
    wanted = {TASK_APPS[t]["port"] for t in TASK_APPS if t <= task}
    assert ports == wanted, f"{SITES[task]} proxies to ports {sorted(ports)}, the tasks say {sorted(wanted)}"
    assert re.search(r"add_header\s+X-Served-By\s+\$hostname", text), f"{SITES[task]} lacks the X-Served-By header"
    assert text.lstrip().startswith("#"), f"{SITES[task]} should start with a comment saying what it does"


@pytest.mark.reference
def test_final_site_serves_the_deployed_static_folder():
    text = submitted(SITES[5])
    assert f"alias {APP_DIR}/web_dynamic/static/;" in text or f"root {APP_DIR}/web_dynamic;" in text, (
        f"static files: {SITES[5]}'s /static/ should be `alias {APP_DIR}/web_dynamic/static/;` "
        "(alias vs root, and the trailing slash)")
