"""host/labfile.rb's choice of box and system: by provider, CPU architecture and LAB_SYSTEM."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
LAB = yaml.safe_load((ROOT / "lab.yml").read_text())

pytestmark = pytest.mark.skipif(shutil.which("ruby") is None, reason="no ruby (host/labfile.rb)")


def labfile(*args, dotfiles, **env):
    """Runs host/labfile.rb ARGS with ENV over a clean environment; (status, out, err)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LAB_")}
    clean.update(env, VAGRANT_DOTFILE_PATH=str(dotfiles))
    done = subprocess.run(["ruby", str(ROOT / "host/labfile.rb"), *args], env=clean,
                          capture_output=True, text=True, timeout=30, check=False)
    return done.returncode, done.stdout.strip(), done.stderr.strip()


@pytest.fixture
def dotfiles(tmp_path):
    return tmp_path / ".vagrant"


@pytest.mark.parametrize("provider", ["virtualbox", "libvirt"])
@pytest.mark.parametrize("cpu, arch", [("x86_64", "amd64"), ("aarch64", "arm64"), ("arm64", "arm64")])
def test_published_box_follows_the_host_cpu(provider, cpu, arch, dotfiles):
    assert labfile("box", provider, dotfiles=dotfiles, LAB_ARCH=cpu) == (0, LAB["boxes"][provider][arch], "")


def test_unknown_cpu_is_refused_by_name(dotfiles):
    status, _, err = labfile("box", "virtualbox", dotfiles=dotfiles, LAB_ARCH="riscv64")
    assert status == 1 and "riscv64" in err


@pytest.mark.parametrize("provider", ["lxc", "docker"])
def test_built_box_is_named_after_the_default_system(provider, dotfiles):
    system = LAB["boxes"][provider]["system"]
    assert labfile("system", provider, dotfiles=dotfiles) == (0, system, "")
    assert labfile("box", provider, dotfiles=dotfiles) == (0, f"hbnb-lab/{system}", "")


@pytest.mark.parametrize("system", sorted(s for s in LAB["systems"] if "suite" in LAB["systems"][s]))
def test_lab_system_chooses_the_box_and_its_suite(system, dotfiles):
    assert labfile("box", "lxc", dotfiles=dotfiles, LAB_SYSTEM=system) == (0, f"hbnb-lab/{system}", "")
    assert labfile("suite", system, dotfiles=dotfiles) == (0, LAB["systems"][system]["suite"], "")


def test_the_system_a_lab_was_made_with_is_kept(dotfiles):
    (dotfiles / "hbnb-lab").mkdir(parents=True)
    (dotfiles / "hbnb-lab" / "system-lxc").write_text("debian11\n")
    assert labfile("system", "lxc", dotfiles=dotfiles)[1] == "debian11"
    # LAB_SYSTEM still wins (make up then refuses it while machines exist).
    assert labfile("system", "lxc", dotfiles=dotfiles, LAB_SYSTEM="debian13")[1] == "debian13"


def test_the_kept_system_is_the_providers_own(dotfiles):
    # An LXC attempt (refused without root, after keeping its system) leaves the
    # Docker lab made next on Docker's default system.
    (dotfiles / "hbnb-lab").mkdir(parents=True)
    (dotfiles / "hbnb-lab" / "system-lxc").write_text("debian11\n")
    assert labfile("system", "docker", dotfiles=dotfiles)[1] == LAB["boxes"]["docker"]["system"]


def test_unknown_system_names_the_known_ones(dotfiles):
    status, _, err = labfile("box", "lxc", dotfiles=dotfiles, LAB_SYSTEM="debian99")
    assert status == 1
    assert "debian99" in err and all(name in err for name in LAB["systems"])


def test_published_boxes_take_no_system(dotfiles):
    status, _, err = labfile("system", "virtualbox", dotfiles=dotfiles)
    assert status == 1 and "LAB_SYSTEM" in err


def test_a_system_without_a_suite_says_so(dotfiles):
    image_only = next(s for s, v in LAB["systems"].items() if "suite" not in v)
    status, _, err = labfile("suite", image_only, dotfiles=dotfiles)
    assert status == 1 and image_only in err
