"""Fixtures of the lab suite (testinfra over SSH): ``host``, ``lab_host``, one per
role (``web``, ``lb``, ``db``), ``peer``, ``forwarded``; nothing is sent before
every --hosts machine is known to route to a local bridge ("lab not up"
otherwise), or, in forwarded-ports mode (Docker Desktop), to be reached by SSH
through a port on 127.0.0.1."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
import testinfra

import disruptive_last
from facts import hosts_given, names
from labtools import labdata

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SSH_CONFIG = ROOT / ".vagrant" / "ssh-config"


LAB = labdata.load()            # the lab file in use (LAB_FILE, else lab.yml)
MACHINES = {m["name"]: m for m in LAB["machines"]}
FORWARDED = pytest.StashKey[bool]()


def pytest_configure(config: pytest.Config) -> None:
    # The checks that only look first, then the disruptive ones, one at a time.
    if not config.pluginmanager.has_plugin("hbnb-lab-disruptive-last"):
        config.pluginmanager.register(disruptive_last, "hbnb-lab-disruptive-last")
    # The OpenSSH client with Vagrant's ssh-config, unless told otherwise (testinfra
    # would pick paramiko, which the host does not need).
    if getattr(config.option, "connection", None) is None:
        config.option.connection = "ssh"
    if getattr(config.option, "ssh_config", None) is None and DEFAULT_SSH_CONFIG.is_file():
        config.option.ssh_config = str(DEFAULT_SSH_CONFIG)
    # One SSH connection per machine, reused by every command (testinfra asks for
    # ControlMaster=auto but names no socket, which leaves multiplexing off).
    if not getattr(config.option, "ssh_extra_args", None):
        config.option.ssh_extra_args = f"-o ControlPath={ssh_control_dir()}/%C"


def ssh_control_dir() -> str:
    """A private folder for the SSH control sockets (short path: socket names are limited)."""
    folder = Path(tempfile.gettempdir()) / f"hbnb-lab-ssh-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return str(folder)


def _ssh_config_text(path: str | None) -> str:
    return Path(path).read_text(encoding="utf-8") if path and Path(path).is_file() else ""


def _ssh_hostnames(path: str | None) -> dict[str, str]:
    """Host alias -> HostName of an ssh-config file (what SSH will connect to)."""
    return {name: host for name, (host, _) in labdata.ssh_endpoints(_ssh_config_text(path)).items()}


def _forwarded(config: pytest.Config) -> bool:
    """Forwarded-ports mode: the ssh-config sends every --hosts machine to a port on
    loopback. The host then sends to 127.0.0.1 only (no route to check for SSH),
    and no check may send from the host to a lab address."""
    if FORWARDED not in config.stash:
        config.stash[FORWARDED] = labdata.forwarded_ports(
            _ssh_config_text(config.option.ssh_config), hosts_given(config))
    return config.stash[FORWARDED]


@pytest.fixture(scope="session")
def lab() -> dict:
    """The lab file's content (machines, network, apps, database)."""
    return LAB


@pytest.fixture(scope="session")
def forwarded(request) -> bool:
    """Whether this run is in forwarded-ports mode (labdata.FORWARDED_PORTS): a
    check that sends from the host to a lab address must not, then."""
    return _forwarded(request.config)


@pytest.fixture(scope="session")
def lab_machines(lab) -> dict[str, dict]:
    """Machine name -> its entry of the lab file."""
    return {m["name"]: m for m in lab["machines"]}


def pytest_sessionstart(session: pytest.Session) -> None:
    """Stop the whole run, sending nothing, unless every host is a lab machine
    reachable through a local bridge at the lab file's address, or every one is
    reached through a port on 127.0.0.1 (forwarded-ports mode). Checked once, in
    the process that starts the run (with pytest-xdist, before any worker starts,
    so the reason is printed instead of lost in a crashed worker)."""
    config = session.config
    if hasattr(config, "workerinput") or config.option.collectonly:
        return
    lab_machines = MACHINES
    names = hosts_given(config)
    if not names:
        pytest.exit("lab suite: give the machines with --hosts=NAME,... (see `make infra`)",
                    returncode=pytest.ExitCode.USAGE_ERROR)
    ssh_hosts = _ssh_hostnames(config.option.ssh_config)
    forwarded = _forwarded(config)
    for name in names:
        if name not in lab_machines:
            pytest.exit(f"lab suite: {name} is not a machine of {labdata.LAB_FILE.name}",
                        returncode=pytest.ExitCode.USAGE_ERROR)
        if forwarded:
            continue   # SSH to 127.0.0.1 only: no lab address is sent to
        address = lab_machines[name]["ip"]
        try:
            labdata.require_local_route(address)
        except labdata.LabNotUp as error:
            pytest.exit(f"{error} (run `make up`)", returncode=pytest.ExitCode.INTERRUPTED)
        if ssh_hosts and ssh_hosts.get(name) != address:
            pytest.exit(f"lab not up: {config.option.ssh_config} sends {name} to "
                        f"{ssh_hosts.get(name)}, the lab file says {address} "
                        "(run `make ssh-config`)", returncode=pytest.ExitCode.INTERRUPTED)


@pytest.fixture
def machine(host, lab_machines) -> dict:
    """The lab file's entry of the machine the current `host` is."""
    return lab_machines[host.backend.get_hostname()]


@pytest.fixture(scope="session")
def lab_host(request, lab_machines):
    """Factory: a testinfra host for any lab machine by name, through the same
    SSH configuration (for tests parametrized over lab.yml's machines or roles)."""
    config = request.config

    forwarded = _forwarded(config)
    ssh_config = _ssh_config_text(config.option.ssh_config)

    def connect(name: str):
        # Forwarded-ports mode: SSH goes to a port on 127.0.0.1 only.
        if not (forwarded and labdata.forwarded_ports(ssh_config, [name])):
            labdata.require_local_route(lab_machines[name]["ip"])
        return testinfra.get_host(f"ssh://{name}", ssh_config=config.option.ssh_config,
                                  ssh_extra_args=config.option.ssh_extra_args)

    return connect


@pytest.fixture(scope="module")
def host(_testinfra_host, lab_host):
    """testinfra's own ``host`` (one per --hosts machine), connected as lab_host does:
    pytest-testinfra 10 does not hand --ssh-extra-args to it, so without this every
    command of a ``host`` test opened a new SSH connection (~250 ms instead of ~15)."""
    return lab_host(_testinfra_host.backend.get_hostname())


def _role_host(request, lab_host):
    name = request.param
    if name not in hosts_given(request.config):
        pytest.skip(f"{name} is not in --hosts")
    return lab_host(name)


@pytest.fixture(params=names("web"))
def web(request, lab_host):
    """Every web server of lab.yml (role web), as a testinfra host."""
    return _role_host(request, lab_host)


@pytest.fixture(params=names("lb"))
def lb(request, lab_host):
    """Every load balancer of lab.yml (role lb), as a testinfra host."""
    return _role_host(request, lab_host)


@pytest.fixture(params=names("db"))
def db(request, lab_host):
    """The database machine(s) of lab.yml (role db), as a testinfra host."""
    return _role_host(request, lab_host)



def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test taking `peer` runs once for every machine of the lab file."""
    if "peer" in metafunc.fixturenames:
        metafunc.parametrize("peer", list(MACHINES))


# The markers of the exercise's suite: the earlier state and the tasks.
EXERCISE_MARKERS = {"base", *(f"task{n}" for n in range(8))}


def pytest_collection_modifyitems(config, items) -> None:
    """Every test of this folder talks to the lab: mark it so (-m lab / not lab).
    A check of the earlier state or of a task is also part of the exercise's suite
    (-m exercise): what a student runs after doing the tasks."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.lab)
            if EXERCISE_MARKERS & {mark.name for mark in item.iter_markers()}:
                item.add_marker(pytest.mark.exercise)
