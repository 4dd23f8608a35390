"""The lab's facts as the lab suite sees them: lab.yml (through labtools.labdata),
the exercise pack it answers (its answers and its solution's files), and which
machines this run covers."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from labtools import labdata

ROOT = labdata.ROOT
LAB = labdata.load()
REFERENCE = LAB["reference"]
# The exercise the reference lab answers: its pack (exercises/<id>/) holds its
# answers (facts), its files and its solution, which the lab installs.
PACK = labdata.exercise_pack(LAB["exercise"]["id"])
ANSWERS = PACK.facts

# The Nginx sites of the exercise by task number; the active one is in use.
SITES = {spec.task: name for name, spec in PACK.files.items() if spec.kind == "nginx-site"}
ACTIVE_SITE = LAB["exercise"]["active_site"]
ENABLED_SITE = LAB["exercise"]["enabled_as"]
SITES_AVAILABLE = ANSWERS["sites_available"]
RELOAD_SCRIPT = next(name for name, spec in PACK.files.items() if spec.kind == "bash-script")
# Where the reference lab keeps the reload script (its place, the service user's home).
RELOAD_PLACE = PACK.files[RELOAD_SCRIPT].place.replace("{home}", REFERENCE["root"])
EXERCISE_UNIT = labdata.exercise_unit()
# Reference mode's layout; practice mode's is layout().
APP_DIR = REFERENCE["app_dir"]
VENV = REFERENCE["venv"]
SERVICE_USER = REFERENCE["user"]
DB_ENV = REFERENCE["db_env"]
# The logs the exercise's unit names (task 6).
ERROR_LOG = ANSWERS["error_log"]
ACCESS_LOG = ANSWERS["access_log"]
STATS_PORT = LAB["load_balancer"]["stats_port"]
STATS_PASSWORD_FILE = LAB["load_balancer"]["stats_password_file"]
FACTS_FILE = LAB["facts_file"]

# The exercise's files of the reference lab: the pack's solution.
SUBMISSION = PACK.solution


machines = labdata.machines
names = labdata.names
app = labdata.app
app_serving = labdata.app_serving


def address(name: str) -> str:
    return labdata.machine(name)["ip"]


def unit_of(app_entry: dict) -> str:
    return app_entry["unit"]


# The apps of the exercise's tasks, looked up by the module the spec names.
HELLO = app_serving("web_flask.0-hello_route:app")
NUMBER = app_serving("web_flask.6-number_odd_or_even:app")
API = app_serving("api.v1.app:app")
PAGE = app_serving("web_dynamic.2-hbnb:app")
DB = LAB["database"]


def submitted(name: str) -> str:
    """The text of one of the exercise's files the reference lab installs (its solution)."""
    return (SUBMISSION / name).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Layout:
    """Where a machine has the AirBnB clone and its Python: reference mode's
    virtual environment and service user, or practice mode's student's server."""
    mode: str
    user: str
    app_dir: str
    python: str
    gunicorn: str


_MODES: dict[str, str] = {}


def layout(host) -> Layout:
    """The layout of ``host``, by the mode its facts file names."""
    name = host.backend.get_hostname()
    if name not in _MODES:
        with host.sudo():
            _MODES[name] = host.check_output(
                "python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[\"mode\"])' %s", FACTS_FILE)
    if _MODES[name] == "practice":
        practice = LAB["practice"]
        return Layout("practice", practice["user"], practice["checkout"], "/usr/bin/python3",
                      "/usr/local/bin/gunicorn")
    return Layout("reference", SERVICE_USER, APP_DIR, f"{VENV}/bin/python", f"{VENV}/bin/gunicorn")


def name_of(host) -> str:
    return host.backend.get_hostname()


# --- this run's machines --------------------------------------------------------------

def hosts_given(config: pytest.Config) -> list[str]:
    """Machine names given with --hosts (ssh://user@name:port?options forms allowed)."""
    names_given = []
    for spec in (getattr(config.option, "hosts", None) or "").split(","):
        spec = spec.strip().split("://")[-1].split("@")[-1].split(":")[0].split("?")[0]
        if spec:
            names_given.append(spec)
    return names_given


def session_names(config: pytest.Config, role: str | None = None) -> list[str]:
    """The machines of lab.yml (with ``role``, if given) that this run's --hosts
    names, in lab.yml's order."""
    given = hosts_given(config)
    everyone = [m["name"] for m in LAB["machines"]]
    return [name for name in (names(role) if role else everyone) if name in given]


