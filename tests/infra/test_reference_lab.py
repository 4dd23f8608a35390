"""This lab's own way of doing the exercise (marker ``reference``, not a task
check): its unit names (lab.yml's, beside the exercise's
gunicorn.service), its Nginx site names and paths, its deployment. They hold on
the reference lab; on a practice lab a student's work is judged by the task
checks (test_task*.py), which look only at what can be observed from outside."""
import pytest

from facts import (
    ACCESS_LOG, ACTIVE_SITE, APP_DIR, DB_ENV, ENABLED_SITE, ERROR_LOG, EXERCISE_UNIT, LAB,
    PAGE, ROOT, SERVICE_USER, SITES, SITES_AVAILABLE, address, names, session_names, submitted,
    unit_of,
)
from probes import describe, exec_start_options, http, main_pid, wait_for, worker_pids

pytestmark = pytest.mark.reference


def test_final_site_is_the_active_one(web):
    link = web.file(ENABLED_SITE)
    assert link.is_symlink and link.linked_to == f"{SITES_AVAILABLE}/{ACTIVE_SITE}", (
        f"{ENABLED_SITE} should link to {SITES_AVAILABLE}/{ACTIVE_SITE}")
    assert not web.file("/etc/nginx/sites-enabled/default").exists, (
        "the package's default site is still enabled: two default_server on port 80")
    with web.sudo():
        result = web.run("nginx -t")
    assert result.rc == 0, f"nginx -t: {result.stderr.strip()}"


@pytest.mark.parametrize("site", SITES.values())
def test_exercise_sites_installed_as_handed_in(web, site):
    installed = web.file(f"{SITES_AVAILABLE}/{site}")
    assert installed.exists and installed.content_string == submitted(site), (
        f"{SITES_AVAILABLE}/{site} differs from the exercise's solution/{site}: run vagrant provision")


def test_forwarded_headers_reach_gunicorn(web):
    with web.sudo():
        config = web.check_output("nginx -T 2>/dev/null")
    for header in ("X-Forwarded-For $hbnb_forwarded_for", "X-Forwarded-Proto $hbnb_forwarded_proto",
                   "X-Forwarded-Host $host", "Host $host"):
        assert f"proxy_set_header {header}" in config, f"the active site does not set {header.split()[0]} for Gunicorn"


@pytest.mark.parametrize("app", LAB["apps"], ids=[a["name"] for a in LAB["apps"]])
def test_app_service_enabled_running_as_service_user(web, app):
    unit = unit_of(app)
    service = web.service(unit)
    assert service.is_enabled, f"{unit} does not start at boot: sudo systemctl enable {unit}"
    assert service.is_running, f"{unit} is not running: systemctl status {unit}; journalctl -u {unit}"
    props = dict(line.split("=", 1) for line in web.check_output(
        "systemctl show --property User,Restart,PrivateTmp,EnvironmentFiles,ExecReload %s", unit).splitlines())
    assert props["User"] == SERVICE_USER, f"{unit} runs as {props['User']!r}, not the unprivileged {SERVICE_USER}"
    assert props["Restart"] == "on-failure", f"{unit}: Restart={props['Restart']}, want on-failure"
    assert DB_ENV in props["EnvironmentFiles"], (
        f"{unit} lacks EnvironmentFile={DB_ENV}: the DB-backed pages fail only under systemd")
    assert "kill" in props["ExecReload"] and "-HUP" in props["ExecReload"].replace("-s HUP", "-HUP"), (
        f"{unit}: ExecReload should send HUP to $MAINPID")
    if unit == "gunicorn.service":
        assert props["PrivateTmp"] == "no", "gunicorn.service must not use PrivateTmp: the grader reads /tmp/airbnb-*.log"


@pytest.mark.parametrize("app", LAB["apps"], ids=[a["name"] for a in LAB["apps"]])
def test_app_has_its_workers_on_its_port(web, app):
    unit = unit_of(app)
    master = main_pid(web, unit)
    assert master, f"{unit} has no main process: systemctl status {unit}"
    workers = worker_pids(web, master)
    assert len(workers) == app["workers"], (
        f"{unit} runs {len(workers)} workers, lab.yml says {app['workers']} (--workers in its ExecStart)")
    assert web.socket(f"tcp://0.0.0.0:{app['port']}").is_listening, (
        f"{unit} does not listen on 0.0.0.0:{app['port']} (--bind 0.0.0.0:{app['port']})")


def test_database_settings_are_root_only(web):
    with web.sudo():
        settings = web.file(DB_ENV)
        assert (settings.user, settings.group, settings.mode) == ("root", "root", 0o600), (
            f"{DB_ENV} must be root's, mode 600 (it holds the MySQL password)")
        assert "HBNB_TYPE_STORAGE=db" in settings.content_string, f"{DB_ENV} lacks HBNB_TYPE_STORAGE=db"


@pytest.mark.disruptive      # kills a Gunicorn master
def test_service_comes_back_after_a_crash(web):
    """Restart=on-failure: a killed master is replaced by systemd."""
    app = LAB["apps"][0]
    unit = unit_of(app)
    before = main_pid(web, unit)
    with web.sudo():
        since = web.check_output("date +%s.%N")
        web.run("kill -9 %s", str(before))
    assert wait_for(lambda: main_pid(web, unit) not in (0, before), timeout=30), (
        f"{unit} was not restarted after its master died: Restart=on-failure?")
    assert wait_for(lambda: http(web, f"http://127.0.0.1:{app['port']}/").status == 200, timeout=30), (
        f"{unit} does not answer after its restart: journalctl -u {unit}")
    # The orphaned workers were asked to stop (TERM: they finish the request they
    # serve), not killed, which would cut answers under way (KillMode=mixed does).
    with web.sudo():
        journal = web.check_output("journalctl -u %s --since @%s --no-pager -o cat", unit, since)
    assert "with signal SIGKILL" not in journal, (
        f"systemd killed {unit}'s workers when their master died, cutting the answers they were "
        f"sending: KillMode=control-group, not mixed ({[l for l in journal.splitlines() if 'SIGKILL' in l][:1]})")


def test_jquery_is_the_distributions(web):
    link = web.file(f"{APP_DIR}/web_dynamic/static/vendor/jquery.min.js")
    assert link.is_symlink and link.linked_to == "/usr/share/javascript/jquery/jquery.min.js", (
        "vendor/jquery.min.js should link to Debian/Ubuntu's libjs-jquery")
    assert web.package("libjs-jquery").is_installed, "libjs-jquery is not installed: apt install libjs-jquery"


def _boot_mark(host) -> str:
    """When PID 1 started (changes with every boot, also in a container)."""
    return host.check_output("ps -o lstart= -p 1")


def _everything_answers(lab_host) -> dict:
    """What does not answer yet, by machine: empty when the whole lab is back."""
    failing = {}
    for name in names("web"):
        host = lab_host(name)
        for app in LAB["apps"]:
            if not http(host, f"http://127.0.0.1:{app['port']}/", timeout=5).status:
                failing.setdefault(name, []).append(unit_of(app))
        page = http(host, f"http://{address(name)}/", timeout=10)
        if page.status != 200 or "Holberton School" not in page.body:
            failing.setdefault(name, []).append(f"/ ({describe(page)})")
    for name in names("lb"):
        page = http(lab_host(name), f"http://{address(name)}/", timeout=10)
        if page.status != 200:
            failing.setdefault(name, []).append(f"/ through HAProxy ({describe(page)})")
    return failing


@pytest.fixture(scope="module")
def rebooted_lab(request, lab_host):
    """Every lab machine of --hosts rebooted at the same moment, as when the
    computer under the lab restarts: {machine: came back (booted anew, systemd up)}.
    At once rather than one after the other: the same reboot of each machine in a
    third of the time, and a harder case (the web servers' Gunicorns start while
    the database machine is still booting)."""
    wanted = session_names(request.config)
    hosts = {name: lab_host(name) for name in wanted}
    booted = {name: _boot_mark(host) for name, host in hosts.items()}
    for host in hosts.values():
        with host.sudo():
            # Scheduled a second later, so this SSH command returns first.
            host.run("systemd-run --on-active=1 --timer-property=AccuracySec=100ms systemctl reboot")

    def back(name):
        try:
            return _boot_mark(hosts[name]) != booted[name] and \
                hosts[name].run("systemctl is-system-running --wait").rc in (0, 1)
        except Exception:       # SSH refused while the machine restarts
            return False
    came_back = {}
    for name in wanted:   # the deadline is shared: they all restart meanwhile
        came_back[name] = bool(wait_for(lambda: back(name), timeout=240, interval=0.5))
    return came_back


@pytest.mark.slow
@pytest.mark.disruptive
@pytest.mark.parametrize("machine_name", [m["name"] for m in LAB["machines"]])
def test_everything_answers_after_a_reboot(request, lab_host, rebooted_lab, machine_name):
    if machine_name not in rebooted_lab:
        pytest.skip(f"{machine_name} is not in --hosts")
    assert rebooted_lab[machine_name], f"{machine_name} did not come back from its reboot in 4 minutes"
    failing = wait_for(lambda: not _everything_answers(lab_host), timeout=180, interval=0.5)
    assert failing, (f"after rebooting {', '.join(rebooted_lab)}, not answering: "
                     f"{_everything_answers(lab_host)} - are the services enabled (systemctl is-enabled)?")


def test_exercise_unit_runs_lab_yml_page_app():
    """gunicorn.service (as handed in) runs the page app as the task says."""
    options = exec_start_options(submitted(EXERCISE_UNIT))
    wanted = [f"--workers {PAGE['workers']}", f"--bind 0.0.0.0:{PAGE['port']}",
              f"--error-logfile {ERROR_LOG}", f"--access-logfile {ACCESS_LOG}"]
    for option in wanted:
        assert option in options, f"gunicorn.service's ExecStart lacks '{option}' (the task: {', '.join(wanted)})"
    assert options.endswith(" " + PAGE["module"]), f"gunicorn.service should run {PAGE['module']}"
