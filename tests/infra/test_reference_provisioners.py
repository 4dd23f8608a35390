"""This lab's provisioners (reference: not a task check; a run on a practice
machine would put the lab's own files back over the student's work): a second
run changes nothing and restarts nothing; a broken configuration stops them with
the file and line, and the running service keeps its previous configuration."""
import re

import pytest

from labtools import labdata
from facts import (
    ACTIVE_SITE, FACTS_FILE, LAB, ROOT, SITES_AVAILABLE, SUBMISSION, hosts_given, layout, names, session_names,
    submitted, unit_of,
)
from probes import http, last_line, main_pid, provision

# Provisioner runs change the machines' state while they run: after the parallel checks.
pytestmark = [pytest.mark.reference, pytest.mark.disruptive]


@pytest.fixture(autouse=True)
def reference_lab_only(request, lab_host):
    """On a practice lab a provisioner run would put the lab's own files back over
    the student's work: these checks are skipped there, saying so."""
    name = next(iter(session_names(request.config, "web")), None)
    if name:
        host = lab_host(name)
        if layout(host).mode == "practice":
            pytest.skip(f"{name} is a practice machine (LAB_MODE=practice): the provisioners would undo the student's work")

LAB_ROLES = {m["name"]: m["roles"] for m in LAB["machines"]}
# Every (machine, role provisioner) of lab.yml, in provisioning order, app.sh first
# where a role runs the application.
RUNS = [(m["name"], step) for m in LAB["machines"]
        for step in (["app"] if labdata.runs_app(m) else []) + m["roles"]]


def role_units(host, role: str) -> list[str]:
    """The services a role runs (their main PIDs must survive a second run)."""
    if role == "db":
        return ["mariadb"]   # on every system (provision/db.sh)
    if role == "web":
        return ["nginx"] + [unit_of(app) for app in LAB["apps"]]
    if role == "app":
        return [unit_of(app) for app in LAB["apps"]] if "web" in LAB_ROLES[host.backend.get_hostname()] else []
    return ["haproxy"]


@pytest.mark.parametrize("machine_name, role", RUNS, ids=[f"{m}-{r}" for m, r in RUNS])
def test_second_run_changes_nothing(request, lab_host, machine_name, role):
    if machine_name not in hosts_given(request.config):
        pytest.skip(f"{machine_name} is not in --hosts")
    host = lab_host(machine_name)
    # The first run brings the machine up to date with the project as it is now
    # (the synced folder may have changed since `make up`); the second must find
    # nothing to do, and restart nothing.
    result = provision(host, role)
    assert result.rc == 0, f"provision/{role}.sh failed on {machine_name}: {result.stderr.strip()[-300:]}"
    before = {unit: main_pid(host, unit) for unit in role_units(host, role)}
    result = provision(host, role)
    assert result.rc == 0, f"provision/{role}.sh failed on {machine_name} (second run): {result.stderr.strip()[-300:]}"
    assert last_line(result.stdout) == f"{role}: 0 changes", (
        f"provision/{role}.sh changed things on a second run on {machine_name}: {last_line(result.stdout)}")
    after = {unit: main_pid(host, unit) for unit in role_units(host, role)}
    assert after == before, f"a second run of provision/{role}.sh restarted services: {before} -> {after}"


def broken_copy(host, edit: str) -> str:
    """A copy of the synced project on ``host`` with one file edited (sed script),
    whose provisioners run against the live machine; returns its folder."""
    copy = "/tmp/hbnb-broken-project"
    with host.sudo():
        host.check_output(
            f"rm -rf {copy} && mkdir -p {copy} && cd {labdata.project_path()} && "
            "tar --exclude=./.git --exclude=./.cache --exclude=./.venv --exclude=./.vagrant -cf - . "
            f"| tar -xf - -C {copy} && {edit}")
    return copy


def run_broken(host, role: str, edit: str):
    """provision/ROLE.sh of a copy of the project with one file edited (broken_copy),
    run against the live machine; the copy is removed after."""
    copy = broken_copy(host, edit)
    try:
        with host.sudo():
            return host.run(f"LAB_FACTS={FACTS_FILE} bash {copy}/provision/{role}.sh")
    finally:
        with host.sudo():
            host.run(f"rm -rf {copy}")


def test_broken_nginx_site_is_refused_and_nginx_keeps_serving(lab_host, request):
    name = names("web")[-1]
    if name not in hosts_given(request.config):
        pytest.skip(f"{name} is not in --hosts")
    web = lab_host(name)
    # The trap of the spec: a second "location /" in the final site.
    result = run_broken(web, "web", "sed -i 's|^    location / {|    location / { }\\n    location / {|' "
                                    f"/tmp/hbnb-broken-project/{SUBMISSION.relative_to(ROOT)}/{ACTIVE_SITE}")
    assert result.rc != 0, "web.sh accepted a site with two 'location /' blocks"
    assert re.search(rf"{ACTIVE_SITE}:\d+", result.stderr) and "duplicate location" in result.stderr, (
        f"the error does not name the file and line: {result.stderr.strip()[-300:]}")
    installed = web.file(f"{SITES_AVAILABLE}/{ACTIVE_SITE}").content_string
    assert installed == submitted(ACTIVE_SITE), "the broken site replaced the installed one"
    assert web.service("nginx").is_running and http(web, "http://127.0.0.1/").status == 200, (
        "Nginx stopped serving after a refused configuration")


def test_broken_haproxy_config_is_refused_and_haproxy_keeps_serving(lb):
    before = lb.file("/etc/haproxy/haproxy.cfg").content_string
    result = run_broken(lb, "lb", "sed -i 's/balance roundrobin/balance round-robin-typo/' "
                                  "/tmp/hbnb-broken-project/provision/files/haproxy/haproxy.cfg")
    assert result.rc != 0, "lb.sh accepted a broken haproxy.cfg"
    assert re.search(r"haproxy\.cfg:\d+", result.stderr) and "balance" in result.stderr, (
        f"the error does not name the file, line and directive: {result.stderr.strip()[-300:]}")
    assert lb.file("/etc/haproxy/haproxy.cfg").content_string == before, "the broken file replaced haproxy.cfg"
    assert lb.service("haproxy").is_running, "HAProxy stopped after a refused configuration: systemctl status haproxy"
