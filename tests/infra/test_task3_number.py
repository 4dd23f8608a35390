"""Task 3: a second Gunicorn on port 5001 (web_flask.6-number_odd_or_even) behind
/airbnb-dynamic/number_odd_or_even/<int>, cumulative with task 2."""
import pytest

from facts import NUMBER, address, name_of
from probes import describe, gateway_hint, http

pytestmark = pytest.mark.task3

CASES = [(6, "even"), (5, "odd"), (0, "even"), (1001, "odd")]


@pytest.mark.parametrize("n, parity", CASES)
def test_number_page_through_nginx(web, n, parity):
    response = http(web, f"http://127.0.0.1/airbnb-dynamic/number_odd_or_even/{n}")
    assert response.status == 200, (
        f"/airbnb-dynamic/number_odd_or_even/{n} gave {describe(response)}: {gateway_hint(response.status, NUMBER)}")
    assert f"<H1>Number: {n} is {parity}</H1>" in response.body, (
        f"the page lacks <H1>Number: {n} is {parity}</H1> - does proxy_pass rebuild /number_odd_or_even/{n}? ({describe(response)})")


def test_number_app_answers_on_its_own_port(web):
    response = http(web, f"http://127.0.0.1:{NUMBER['port']}/number_odd_or_even/6")
    assert response.status == 200 and "<H1>Number: 6 is even</H1>" in response.body, (
        f"127.0.0.1:{NUMBER['port']}/number_odd_or_even/6 gave {describe(response)} - "
        f"is a Gunicorn running {NUMBER['module']} on port {NUMBER['port']}? ss -ltnp 'sport = :{NUMBER['port']}'")


def test_not_a_number_is_not_found(web):
    response = http(web, "http://127.0.0.1/airbnb-dynamic/number_odd_or_even/six")
    assert response.status == 404, f"a non-number should be 404, got {describe(response)}"


@pytest.mark.parametrize("n, parity", CASES[:2])
def test_number_page_through_the_load_balancer(lb, n, parity):
    response = http(lb, f"http://{address(name_of(lb))}/airbnb-dynamic/number_odd_or_even/{n}")
    assert response.status == 200 and f"<H1>Number: {n} is {parity}</H1>" in response.body, (
        f"through {name_of(lb)}: {describe(response)}")
