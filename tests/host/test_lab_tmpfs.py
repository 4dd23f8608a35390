"""lab-lib.sh's lab_tmpfs: a root file system is built in memory when the host has
room for it (a tmpfs of its own on the build's folder), and on disk otherwise."""
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root, as the box build does")


def lab_tmpfs(folder: Path, mib: int) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", 'source host/lab-lib.sh && lab_tmpfs "$1" "$2"', "lab_tmpfs", str(folder), str(mib)],
                          cwd=ROOT, capture_output=True, text=True, timeout=30, check=False)


def is_mounted(folder: Path) -> bool:
    return subprocess.run(["mountpoint", "-q", str(folder)], check=False).returncode == 0


def test_a_build_with_room_gets_a_tmpfs_of_that_size(tmp_path):
    folder = tmp_path / "rootfs"
    done = lab_tmpfs(folder, 64)
    try:
        assert done.returncode == 0, done.stderr
        assert is_mounted(folder)
        mount = next(line.split() for line in Path("/proc/self/mounts").read_text().splitlines()
                     if line.split()[1] == str(folder))
        assert mount[2] == "tmpfs" and "size=65536k" in mount[3], mount
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_a_build_without_room_is_told_to_stay_on_disk(tmp_path):
    available_mib = next(int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                         if line.startswith("MemAvailable:"))
    folder = tmp_path / "rootfs"
    done = lab_tmpfs(folder, available_mib)   # twice that is not available
    assert done.returncode != 0
    assert folder.is_dir() and not is_mounted(folder)


def test_an_interrupted_builds_tmpfs_is_replaced_not_stacked(tmp_path):
    folder = tmp_path / "rootfs"
    try:
        assert lab_tmpfs(folder, 64).returncode == 0
        assert lab_tmpfs(folder, 32).returncode == 0
        mounts = [line.split() for line in Path("/proc/self/mounts").read_text().splitlines()
                  if line.split()[1] == str(folder)]
        assert len(mounts) == 1 and "size=32768k" in mounts[0][3], mounts
    finally:
        subprocess.run(["umount", str(folder)], check=False)
