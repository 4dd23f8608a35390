"""Task 1: the hello app under Gunicorn on port 5000; port 6000 stays free for the
grader's own Gunicorn (which the test starts and stops, as the grader does)."""
import shlex

import pytest

from facts import HELLO, LAB, layout, name_of, session_names
from probes import http, on_each

pytestmark = pytest.mark.task1


def test_port_5000_is_served_by_gunicorn(web):
    response = http(web, f"http://127.0.0.1:{HELLO['port']}/airbnb-onepage/")
    assert response.header("Server") == "gunicorn", (
        f"port {HELLO['port']} answers with Server {response.header('Server')!r}, not Gunicorn - "
        "is the Flask dev server still running instead of Gunicorn? ss -ltnp")
    with web.sudo():
        listeners = web.check_output("ss -Hltnp 'sport = :%s'", str(HELLO["port"]))
    assert "0.0.0.0:%d" % HELLO["port"] in listeners and '"gunicorn"' in listeners, (
        f"Gunicorn should listen on 0.0.0.0:{HELLO['port']} (--bind 0.0.0.0:{HELLO['port']}); ss shows {listeners!r}")


@pytest.mark.parametrize("port", LAB["reserved_ports"])
def test_reserved_port_is_free(web, port):
    listeners = web.check_output("ss -Hltn 'sport = :%s'", str(port))
    assert listeners == "", (
        f"port {port} taken: something listens on port {port}, which the grader needs for its own Gunicorn - ss -ltnp 'sport = :{port}'")


def grader_gunicorn(host, port: int) -> str:
    """What the grader does: its own Gunicorn of the hello app on ``port``; what
    /airbnb-onepage/ answered there (empty: nothing)."""
    where = layout(host)
    inner = (f"{where.gunicorn} --bind 127.0.0.1:{port} --workers 1 {HELLO['module']} "
             ">/dev/null 2>&1 & pid=$!; "
             f"for i in $(seq 100); do curl -s 127.0.0.1:{port}/airbnb-onepage/ && break; sleep 0.1; done; "
             # TERM, then KILL if it is still there after 5 s: the port must be free after.
             "kill $pid; for i in $(seq 50); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done; "
             "kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null; true")
    # `cd ... || exit;` rather than `&&`: with `&&`, `&` would put the cd and the
    # Gunicorn in one background subshell, and $! would be that subshell's pid.
    return host.check_output(f"sudo -u {where.user} bash -c {shlex.quote(f'cd {where.app_dir} || exit 1; {inner}')}")


@pytest.fixture(scope="module")
def grader_answers(request, lab_host) -> dict[tuple[str, int], str]:
    """(web server, reserved port) -> what the grader's Gunicorn answered, tried on
    every web server of --hosts at once."""
    hosts = {name: lab_host(name) for name in session_names(request.config, "web")}
    return {(name, port): answer for port in LAB["reserved_ports"]
            for name, answer in on_each(hosts, lambda host: grader_gunicorn(host, port)).items()}


@pytest.mark.disruptive      # takes the reserved port for a moment
@pytest.mark.parametrize("port", LAB["reserved_ports"])
def test_grader_can_start_its_own_gunicorn(web, port, grader_answers):
    output = grader_answers[(name_of(web), port)]
    assert output == "Hello HBNB!", (
        f"a Gunicorn started on port {port} did not answer 'Hello HBNB!' ({output!r}) - is the port taken? ss -ltnp")
