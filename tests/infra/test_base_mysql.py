"""The earlier state, MySQL: the database and user of the exercise on the db
machine, reachable from the web servers only (not from the load balancer, not
from the host), a root-only password generated on the host, seeded data."""
import ipaddress
import json
import re
import socket

import pytest

from labtools import labdata
from facts import DB, DB_ENV, FACTS_FILE, LAB, ROOT, address, hosts_given, layout, name_of, names
from probes import CONNECT_TIMEOUT, connects

pytestmark = pytest.mark.base

DB_ADDRESS = address(names("db")[0])


def server_unit(host) -> str:
    """mariadb (the lab's, on every system), else mysql (a student's Ubuntu server)."""
    return "mariadb" if host.service("mariadb").is_enabled else "mysql"


def takes_address_list(host) -> bool:
    """Whether the server's bind-address takes a list: MariaDB from 10.11, MySQL from 8.0.13."""
    with host.sudo():   # (the servers live in /usr/sbin)
        out = host.run("mariadbd --version 2>/dev/null || mysqld --version").stdout
    match = re.search(r"(\d+)\.(\d+)\.(\d+)", out)
    assert match, f"no server version in {out!r}"
    version = tuple(map(int, match.groups()))
    return version >= ((10, 11, 0) if "mariadb" in out.lower() else (8, 0, 13))


def test_database_server_enabled_and_running(db):
    unit = server_unit(db)
    assert db.service(unit).is_enabled and db.service(unit).is_running, f"systemctl status {unit}"


def test_listens_on_loopback_and_lab_address_only(db):
    if not takes_address_list(db):
        pytest.skip("this server takes one bind-address (MariaDB before 10.11): it listens on all, "
                    "the firewall admitting the web servers only (test_listens_everywhere_when_it_takes_one_address)")
    assert db.socket(f"tcp://127.0.0.1:{DB['port']}").is_listening, (
        "MySQL does not listen on 127.0.0.1: bind-address in /etc/mysql/*/zz-hbnb-lab.cnf")
    assert db.socket(f"tcp://{DB_ADDRESS}:{DB['port']}").is_listening, (
        f"MySQL does not listen on {DB_ADDRESS}: bind-address in /etc/mysql/*/zz-hbnb-lab.cnf")
    assert not db.socket(f"tcp://0.0.0.0:{DB['port']}").is_listening, "MySQL listens on every address"


def test_listens_everywhere_when_it_takes_one_address(db):
    """One address or all (Debian 11's MariaDB 10.5, Ubuntu 22.04's 10.6): all,
    the firewall admitting the web servers only (test_refused_from_*)."""
    if takes_address_list(db):
        pytest.skip("this server takes an address list: test_listens_on_loopback_and_lab_address_only")
    assert db.socket(f"tcp://0.0.0.0:{DB['port']}").is_listening, (
        "MariaDB before 10.11 takes one bind-address: 0.0.0.0, the firewall admitting the web servers")


def test_user_exists_for_the_web_servers_only(db):
    with db.sudo():
        hosts = db.check_output("mysql -N -B -e %s",
                                f"SELECT Host FROM mysql.user WHERE User = '{DB['user']}'").split()
    wanted = ["localhost"] + [address(name) for name in names("web")]
    assert sorted(hosts) == sorted(wanted), f"{DB['user']} exists for hosts {hosts}, want {wanted}"


def password_file(host) -> str:
    """The database password's file, as the host named it in the machine's facts."""
    with host.sudo():
        return json.loads(host.file(FACTS_FILE).content_string)["database"]["password_file"]


def test_password_generated_on_the_host_and_root_only(db):
    if layout(db).mode == "practice":
        pytest.skip("practice mode uses the curriculum's well-known account (lab.yml practice.database)")
    path = password_file(db)
    # The machine sees the host's file through the shared project folder: owned by
    # root (LXC's idmapped mount, Docker run by root), or by the host user's uid where
    # the provider passes owners through (Docker run by a member of the docker group).
    on_host = ROOT / path.removeprefix(labdata.project_path()).lstrip("/")
    host_uid = on_host.stat().st_uid
    with db.sudo():
        secret = db.file(path)
        assert secret.mode == 0o600, f"{path} is mode {secret.mode:o}, must be 600 (its owner's only)"
        owner = secret.uid
        assert owner in (0, host_uid), f"{path} is uid {owner}'s, must be root's (or uid {host_uid}, its owner on the host)"
        password = secret.content_string.strip()
        # No account that runs a service of the machine can read it.
        accounts = [LAB["reference"]["user"], "www-data", "mysql", "nobody"]
        present = [name for name in accounts if db.user(name).exists]
        assert LAB["reference"]["user"] in present, f"no service account {LAB['reference']['user']}"
        readers = [name for name in present if db.run("sudo -u %s test -r %s", name, path).rc == 0]
    assert not readers, f"{path} is readable by {', '.join(readers)}"
    assert len(password) >= 24 and password != LAB["practice"]["database"]["password"], "the password is not a generated one"
    if owner == 0:
        assert db.run("cat %s", path).rc != 0, "the password is readable without root"


def test_load_balancer_cannot_read_the_password(db, lb):
    """lb-01 needs no database: the host's secrets are not in what it sees of the project."""
    if layout(db).mode == "practice":
        pytest.skip("practice mode uses the curriculum's well-known account (lab.yml practice.database)")
    path = password_file(db)
    with lb.sudo():
        assert not lb.file(path).exists, f"{name_of(lb)} sees {path}"
        assert lb.run("grep -rqsF -- %s /etc %s", '"password_file"', labdata.project_path()).rc != 0


def test_database_is_seeded(db):
    with db.sudo():
        count = int(db.check_output("mysql -N -B -e %s", f"SELECT COUNT(*) FROM `{DB['name']}`.places"))
    assert count == DB["seed_places"], f"{count} places, lab.yml's seed_places says {DB['seed_places']}"


def test_web_server_logs_in_with_its_settings(web):
    probe = ("import os, pymysql; c = pymysql.connect(host=os.environ['HBNB_MYSQL_HOST'], "
             "port=int(os.environ['HBNB_MYSQL_PORT']), user=os.environ['HBNB_MYSQL_USER'], "
             "password=os.environ['HBNB_MYSQL_PWD'], database=os.environ['HBNB_MYSQL_DB'], connect_timeout=5); "
             "print(c.get_server_info() and 'ok')")
    where = layout(web)
    if where.mode == "practice":
        # The student's server: the curriculum's account on localhost:3306.
        account = LAB["practice"]["database"]
        settings = (f"HBNB_MYSQL_HOST={account['host']} HBNB_MYSQL_PORT={DB['port']} HBNB_MYSQL_DB={DB['name']} "
                    f"HBNB_MYSQL_USER={account['user']} HBNB_MYSQL_PWD={account['password']}")
        source = f"the curriculum's account on {account['host']}:{DB['port']}"
    else:
        settings, source = f"set -a; . {DB_ENV}; set +a;", DB_ENV
    with web.sudo():
        result = web.run(f"{settings} {where.python} -c %s", probe)
    assert result.stdout.strip() == "ok", (
        f"{name_of(web)} cannot log in to MySQL with {source}: {result.stderr.strip()[-200:]}")


def test_refused_from_the_load_balancer(lb):
    result = lb.run(connects(DB_ADDRESS, DB["port"]))
    assert result.rc != 0, f"MySQL on {DB_ADDRESS}:{DB['port']} is reachable from {name_of(lb)}: firewall (nft list ruleset)"


def test_refused_from_the_host(lab, request, lab_host, forwarded):
    if not forwarded:
        labdata.require_local_route(DB_ADDRESS)
        with pytest.raises(OSError):
            socket.create_connection((DB_ADDRESS, DB["port"]), timeout=CONNECT_TIMEOUT).close()
        return
    # Forwarded-ports mode: the host must not send to the lab address. What it sends
    # through Docker's forwarded ports arrives from the network's gateway, the host's
    # lab address: the db machine's firewall must not let that address reach MySQL.
    db_name = names("db")[0]
    if db_name not in hosts_given(request.config):
        pytest.skip(f"{labdata.FORWARDED_PORTS}, and {db_name} is not in --hosts to read its firewall")
    db = lab_host(db_name)
    with db.sudo():
        chain = db.check_output("nft list chain inet hbnb_lab input")
    assert "policy drop;" in chain, f"{db_name}'s input chain does not drop by default:\n{chain}"
    admitting = mysql_accept_rules(chain, DB["port"])
    assert admitting, f"no rule of {db_name} admits MySQL (port {DB['port']}):\n{chain}"
    host_address = ipaddress.ip_address(lab["network"]["host_address"])
    for rule in admitting:
        sources = re.search(r"\bip saddr (\{[^}]*\}|\S+)", rule)
        admitted = [ipaddress.ip_network(s, strict=False)
                    for s in re.findall(r"\d+\.\d+\.\d+\.\d+(?:/\d+)?", sources.group(1))] if sources else []
        assert admitted and not any(host_address in network for network in admitted), (
            f"{db_name} admits MySQL from the host ({host_address}, where forwarded traffic comes "
            f"from): {rule.strip()}")


def mysql_accept_rules(chain: str, port: int) -> list[str]:
    """The accept rules of an nft chain listing that can admit a new TCP connection
    to ``port`` (not loopback's, established ones', ICMP's, UDP's, other ports')."""
    found = []
    for rule in (line.split(" comment ")[0] for line in chain.splitlines()):
        if not re.search(r"\baccept\b", rule) or re.search(r'\biif "lo"|\bct state\b|\bmeta l4proto\b|\budp\b', rule):
            continue
        ports = re.search(r"\btcp dport (\{[^}]*\}|\S+)", rule)
        if ports and str(port) not in re.findall(r"\d+", ports.group(1)):
            continue
        found.append(rule)
    return found


def test_query_cache_on_demand_for_the_stats_counts(db):
    """GET /api/v1/stats asks its counts with SQL_CACHE (models/engine/db_storage.py)."""
    if server_unit(db) == "mysql":
        pytest.skip("MySQL 8 has no query cache: the stats counts are read from the tables")
    with db.sudo():
        mode = db.check_output("mysql -N -B -e %s", "SELECT @@global.query_cache_type")
    assert mode == "DEMAND", (
        f"MariaDB's query_cache_type is {mode}, not DEMAND: the [mariadb] group of "
        "/etc/mysql/mariadb.conf.d/zz-hbnb-lab.cnf (provision/files/mysql/hbnb-lab.cnf)")
