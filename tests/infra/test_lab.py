"""The lab itself: every machine up under its name, on its address, reachable from
the others, systemd healthy, resources as the lab file says, and the common
provisioner idempotent."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from labtools import labdata
from probes import provision

pytestmark = pytest.mark.base

ROOT = labdata.ROOT


def test_hostname_is_the_machine_name(host):
    assert host.check_output("hostname") == host.backend.get_hostname()


def test_lab_address_is_on_a_local_interface(host, machine):
    addresses = host.check_output("ip -o -4 addr show").split()
    assert any(a.split("/")[0] == machine["ip"] for a in addresses if "/" in a)


# `peer` runs over every machine of the lab file (see conftest.py).
def test_peer_name_resolves_to_its_lab_address(host, peer, lab_machines):
    resolved = host.check_output("getent ahostsv4 %s | awk '{print $1}' | sort -u", peer).split()
    address = lab_machines[peer]["ip"]
    if peer == host.backend.get_hostname():
        # A machine may also know itself by a loopback address (Vagrant's hostname line).
        assert address in resolved or any(r.startswith("127.") for r in resolved)
    else:
        assert resolved == [address]


def test_peer_answers_ping_by_name(host, peer):
    result = host.run("ping -c 1 -W 3 %s", peer)
    assert result.rc == 0, result.stdout + result.stderr


def test_peer_ssh_port_open_by_address(host, peer, lab_machines):
    address = lab_machines[peer]["ip"]
    result = host.run("nc -z -w 3 %s 22", address)
    assert result.rc == 0, f"{address}:22 closed from {host.backend.get_hostname()}"


def test_systemd_running_without_failed_units(host):
    # --wait: a machine still booting is not a failure; a degraded one is.
    state = host.run("timeout 90 systemctl is-system-running --wait").stdout.strip()
    failed = host.check_output("systemctl --failed --no-legend --plain")
    assert (state, failed) == ("running", "")


def test_memory_limit_follows_lab_file(host, machine):
    """The machine's memory (cgroup limit in a container, RAM in a VM) is what the
    lab file asks, give or take what a VM's kernel keeps for itself."""
    # The lowest limit from PID 1's control group up to the root of the tree the
    # machine sees (a Docker machine sees the host's: its limit is on /docker/<id>).
    script = (
        "d=$(sed -n -e 's/^0:://p' -e 's/^[0-9]*:memory://p' /proc/1/cgroup | head -1); "
        "while :; do for f in /sys/fs/cgroup$d/memory.max /sys/fs/cgroup/memory$d/memory.limit_in_bytes; do "
        "[ -r $f ] && cat $f; done; [ -z \"$d\" ] || [ \"$d\" = / ] && break; d=${d%/*}; done; echo max")
    limits = [int(v) for v in host.check_output(script).split() if v != "max"]
    total = int(host.check_output("awk '/^MemTotal:/ {print $2}' /proc/meminfo")) * 1024
    wanted = machine["memory"] * 1024 * 1024
    # A systemd that mounts a bare cgroup2 tree on a cgroup v1 host (Debian 11's
    # in LXC) sees no memory controller: the limit is then read on this host.
    limits += lxc_memory_limit_on_this_host(machine["name"])
    effective = min(limits + [total])
    assert 0.8 * wanted <= effective <= wanted


def lxc_memory_limit_on_this_host(name: str) -> list[int]:
    """The memory limit LXC set on this host for machine NAME's container, if it is one here."""
    dotfiles = Path(os.environ.get("VAGRANT_DOTFILE_PATH", ROOT / ".vagrant"))
    container = dotfiles / "machines" / name / "lxc" / "id"
    if not container.is_file():
        return []
    payload = f"lxc.payload.{container.read_text().strip()}"
    for limit in (Path("/sys/fs/cgroup/memory") / payload / "memory.limit_in_bytes",
                  Path("/sys/fs/cgroup") / payload / "memory.max"):
        if limit.is_file() and limit.read_text().strip() != "max":
            return [int(limit.read_text())]
    return []


def test_project_shared_read_only(host, machine):
    """The db and web roles see the whole project, the others only provision/;
    nobody writes into it (data flows from the host to the machines)."""
    provisioner = host.file(labdata.project_path("provision", "lib.sh"))
    assert hashlib.sha256((ROOT / "provision" / "lib.sh").read_bytes()).hexdigest() == provisioner.sha256sum
    deploys = labdata.runs_app(machine)
    assert host.file(labdata.project_path("lab.yml")).exists == deploys
    with host.sudo():
        probe = host.run("touch %s", labdata.project_path("provision", ".write-probe"))
    assert probe.rc != 0 and "Read-only file system" in probe.stderr, "root on a machine can write into the host's project"


def test_facts_file_root_only(host, machine):
    """The facts the host computed for this machine, root only; the database
    password's file is named only where a role needs it."""
    facts_file = host.file(labdata.facts_file())
    with host.sudo():
        assert (facts_file.user, facts_file.group, facts_file.mode) == ("root", "root", 0o600)
        facts = json.loads(facts_file.content_string)
    assert facts["machine"] == {k: machine[k] for k in ("name", "ip", "roles", "memory", "cpus")}
    assert [m["name"] for m in facts["machines"]] == labdata.names()
    needs_password = labdata.runs_app(machine)
    assert ("password_file" in facts["database"] or "password" in facts["database"]) == needs_password
    assert host.run("cat %s", labdata.facts_file()).rc != 0   # unreadable without root


def test_apt_keeps_downloaded_packages(host):
    dump = host.check_output("apt-config dump")
    assert 'Binary::apt::APT::Keep-Downloaded-Packages "true";' in dump
    assert not host.file("/etc/apt/apt.conf.d/docker-clean").exists


@pytest.mark.disruptive      # runs the provisioner (which must change nothing)
def test_common_provisioner_second_run_changes_nothing(host):
    result = provision(host, "common")
    assert result.rc == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "common: 0 changes"


def test_container_is_unprivileged(host):
    """An LXC machine's root is not the host's: the box maps it to a range of
    host ids (lxc.idmap in host/build-box.sh's lxc-config), so root in a machine
    that escapes its container is nobody on the host. Its root filesystem is a
    copy of the box's shifted base (host/box/lxc-template)."""
    virt = host.check_output("systemd-detect-virt --container || true")
    if virt == "docker":
        pytest.skip("a Docker machine: no user namespace (the engine's default), its root keeps "
                    "only Docker's capability set plus SYS_ADMIN, NET_ADMIN, SYS_PTRACE (Vagrantfile)")
    if virt != "lxc":
        pytest.skip("not an LXC container: a VM's root is its own kernel's")
    uid_map = host.check_output("cat /proc/self/uid_map").split()
    assert uid_map[:2] != ["0", "0"], (
        f"uid_map {uid_map}: the container's root is the host's root (a privileged container: "
        "the box lacks lxc.idmap; host/build-box.sh --force, then make rebuild)")
    assert uid_map[0] == "0" and int(uid_map[1]) >= 65536, f"uid_map {uid_map}"


docker_only = pytest.mark.skipif(labdata.provider() != "docker", reason="not a Docker lab")


@docker_only
def test_docker_dns_kept_by_the_firewall(host):
    """Docker's embedded DNS (127.0.0.11) is a NAT rule inside the machine: the
    lab's firewall keeps to its own table, and the distribution's nftables.service
    (/etc/nftables.conf begins with `flush ruleset`) stays masked."""
    assert host.file("/etc/resolv.conf").contains("127.0.0.11")
    with host.sudo():
        nat = host.run("nft list table ip nat")
    assert nat.rc == 0 and "127.0.0.11" in nat.stdout, "Docker's DNS rules are gone: something flushed the ruleset"
    assert host.run("systemctl is-enabled nftables.service").stdout.strip() == "masked"


@docker_only
def test_docker_keeps_the_lab_names_across_restarts(host, lab_machines):
    """Docker writes /etc/hosts again at every start (a reboot): every machine's
    name is given to it (--add-host), outside the block provision/common.sh writes."""
    text = host.file("/etc/hosts").content_string
    docker_part = text.split("# BEGIN hbnb-lab machines")[0].split("\n")
    for name, spec in lab_machines.items():
        assert f"{spec['ip']}\t{name}" in docker_part, f"{name} is not in Docker's part of /etc/hosts"
