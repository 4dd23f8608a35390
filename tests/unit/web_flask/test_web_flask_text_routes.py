"""Steps 0-6 of web_flask: exact answers, cumulative routes, both slash forms."""
import pytest
from flask import Flask
from gunicorn.util import import_app

TEXT_FILES = ["0-hello_route", "1-hbnb_route", "2-c_route", "3-python_route",
              "4-number_route", "5-number_template", "6-number_odd_or_even"]

# (first file serving it, path, exact body)
PLAIN_ANSWERS = [
    ("0-hello_route", "/airbnb-onepage/", "Hello HBNB!"),
    ("0-hello_route", "/", "Hello HBNB!"),
    ("1-hbnb_route", "/hbnb", "HBNB"),
    ("2-c_route", "/c/is_fun", "C is fun"),
    ("2-c_route", "/c/cool", "C cool"),
    ("3-python_route", "/python/", "Python is cool"),
    ("3-python_route", "/python/is_magic", "Python is magic"),
    ("3-python_route", "/python/is_cool", "Python is cool"),
    ("4-number_route", "/number/89", "89 is a number"),
    ("4-number_route", "/number/0", "0 is a number"),
]


def number_page(heading: str) -> str:
    return ("<!DOCTYPE html>\n<HTML lang=\"en\">\n    <HEAD>\n        <TITLE>HBNB</TITLE>\n"
            "    </HEAD>\n    <BODY>\n        <H1>" + heading + "</H1>\n    </BODY>\n</HTML>")


PAGE_ANSWERS = [
    ("5-number_template", "/number_template/89", number_page("Number: 89")),
    ("6-number_odd_or_even", "/number_odd_or_even/6", number_page("Number: 6 is even")),
    ("6-number_odd_or_even", "/number_odd_or_even/89", number_page("Number: 89 is odd")),
    ("6-number_odd_or_even", "/number_odd_or_even/0", number_page("Number: 0 is even")),
]


def later_files(first: str) -> list[str]:
    return TEXT_FILES[TEXT_FILES.index(first):]


def cumulative(answers):
    """Each answer, checked on its first file and on every later one."""
    return [pytest.param(module, path, body, id=f"{module}{path}")
            for first, path, body in answers for module in later_files(first)]


@pytest.mark.parametrize("module", TEXT_FILES)
def test_file_exposes_a_flask_app_gunicorn_can_load(app_of, module):
    app = import_app(f"web_flask.{module}:app")
    assert isinstance(app, Flask)
    assert app is app_of(module)


@pytest.mark.parametrize("module,path,body", cumulative(PLAIN_ANSWERS))
def test_plain_answer_is_exact(client_of, module, path, body):
    response = client_of(module).get(path)
    assert response.status_code == 200
    assert response.get_data(as_text=True) == body
    assert response.headers["Content-Length"] == str(len(body.encode()))


@pytest.mark.parametrize("module,path,body", cumulative(PAGE_ANSWERS))
def test_number_page_is_exact(client_of, module, path, body):
    response = client_of(module).get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.get_data(as_text=True) == body


def test_hello_is_eleven_bytes_without_newline(client_of):
    # The exercise's task 2 checks Content-Length: 11 through Nginx.
    response = client_of("0-hello_route").get("/airbnb-onepage/")
    assert response.data == b"Hello HBNB!"
    assert response.headers["Content-Length"] == "11"


ALL_PATHS = [path for _, path, _ in PLAIN_ANSWERS + PAGE_ANSWERS if path != "/"]


def other_form(path: str) -> str:
    return path[:-1] if path.endswith("/") else path + "/"


@pytest.mark.parametrize("path", ALL_PATHS)
def test_both_slash_forms_answer_without_redirect(client_of, path):
    client = client_of("6-number_odd_or_even")
    plain, other = client.get(path), client.get(other_form(path))
    assert plain.status_code == other.status_code == 200
    assert plain.data == other.data


@pytest.mark.parametrize("first,path", [(first, path) for first, path, _ in PLAIN_ANSWERS + PAGE_ANSWERS])
def test_earlier_files_do_not_serve_later_routes(client_of, first, path):
    for module in TEXT_FILES[:TEXT_FILES.index(first)]:
        assert client_of(module).get(path).status_code == 404, module


@pytest.mark.parametrize("path", ["/number/abc", "/number/-3", "/number/1.5",
                                  "/number_template/x", "/number_odd_or_even/seven"])
def test_number_routes_take_only_whole_numbers(client_of, path):
    assert client_of("6-number_odd_or_even").get(path).status_code == 404


@pytest.mark.parametrize("path,body", [
    ("/c/<img src=x onerror=alert(1)>", "C &lt;img src=x onerror=alert(1)&gt;"),
    ("/python/a&b", "Python a&amp;b"),
])
def test_text_is_escaped_in_html_answers(client_of, path, body):
    response = client_of("6-number_odd_or_even").get(path)
    assert response.get_data(as_text=True) == body
