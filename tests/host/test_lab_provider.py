"""host/lab-lib.sh's lab_provider: which provider `make up` and `make destroy` use
when LAB_PROVIDER is not given. A student with Docker (a member of the docker
group, not root) gets Docker, also after `make destroy` has removed the machines
(`make rebuild`, a second `make destroy`); root on Linux keeps LXC."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def host(tmp_path):
    """A lab folder and a PATH with the tools lab_provider asks, `id` and `docker` stubbed."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "basename", "dirname", "uname"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    for name, body in {"id": 'echo "${FAKE_UID:?}"', "docker": 'exit "${FAKE_DOCKER:?}"'}.items():
        stub = bin_dir / name
        stub.write_text(f"#!{shutil.which('bash')}\n{body}\n")
        stub.chmod(0o755)
    lab = tmp_path / "lab"
    lab.mkdir()
    return bin_dir, lab


def in_lab(host, script: str, uid: int, docker_answers: bool = True, **env) -> subprocess.CompletedProcess:
    """SCRIPT (Bash, lab-lib.sh sourced) in the lab folder, as user UID."""
    bin_dir, lab = host
    clean = {k: v for k, v in os.environ.items() if k != "LAB_PROVIDER"}
    clean.update(env, PATH=str(bin_dir), FAKE_UID=str(uid), FAKE_DOCKER="0" if docker_answers else "1")
    return subprocess.run(["bash", "-c", f"source {ROOT}/host/lab-lib.sh && cd {lab} && {script}"],
                          env=clean, capture_output=True, text=True, timeout=30, check=False)


def provider(host, uid: int, docker_answers: bool = True, **env) -> str:
    done = in_lab(host, "lab_provider", uid, docker_answers, **env)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_root_on_linux_gets_lxc(host):
    assert provider(host, 0) == "lxc"


def test_a_docker_group_user_gets_docker(host):
    assert provider(host, 1000) == "docker"


def test_a_user_without_docker_gets_lxc_which_says_it_needs_root(host):
    assert provider(host, 1000, docker_answers=False) == "lxc"
    # What `make up` (host/lab-up.sh) does next with it, before anything else.
    refused = in_lab(host, "lab_require_provider lxc", 1000, docker_answers=False)
    assert refused.returncode == 1
    assert "the LXC lab needs root" in refused.stderr and "sudo make up" in refused.stderr


def test_root_may_run_the_lxc_lab(host):
    assert in_lab(host, "lab_require_provider lxc", 0).returncode == 0


def test_existing_machines_keep_their_provider(host):
    _, lab = host
    machine = lab / ".vagrant" / "machines" / "web-01" / "lxc"
    machine.mkdir(parents=True)
    (machine / "id").write_text("web-01-container\n")
    assert provider(host, 1000) == "lxc"


def test_lab_provider_wins(host):
    assert provider(host, 0, LAB_PROVIDER="docker") == "docker"
    assert provider(host, 1000, LAB_PROVIDER="virtualbox") == "virtualbox"
