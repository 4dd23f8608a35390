"""What the host side asks of a student's computer: GNU make 3.82+ (macOS's own is
3.81), and hashes from sha256sum or, where there is none (macOS), shasum."""
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def make(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-C", str(ROOT), "-n", *args], capture_output=True, text=True,
                          timeout=30, check=False)


def test_an_old_make_is_refused_with_what_to_install():
    done = make("up", "MAKE_VERSION=3.81")
    assert done.returncode == 2
    assert "3.82 or later" in done.stderr and "gmake" in done.stderr


def test_this_hosts_make_is_accepted():
    done = make("up")
    assert done.returncode == 0, done.stderr
    assert "host/lab-up.sh" in done.stdout


def sha256_in_bash(data: bytes, path: str) -> str:
    done = subprocess.run(["bash", "-c", "source host/lab-lib.sh && lab_sha256"], cwd=ROOT, input=data,
                          capture_output=True, timeout=30, check=True, env={**os.environ, "PATH": path})
    return done.stdout.decode().strip()


def test_lab_sha256_is_the_sha256():
    data = b"hbnb-lab\n" * 100
    assert sha256_in_bash(data, os.environ["PATH"]) == hashlib.sha256(data).hexdigest()


@pytest.mark.skipif(shutil.which("shasum") is None, reason="no shasum (perl) on this host")
def test_lab_sha256_takes_shasum_where_there_is_no_sha256sum(tmp_path):
    # A PATH with what lab-lib.sh and the fallback need, and no sha256sum.
    for tool in ("bash", "cut", "shasum", "perl"):
        (tmp_path / tool).symlink_to(shutil.which(tool))
    assert subprocess.run(["bash", "-c", "command -v sha256sum"], capture_output=True, check=False,
                          env={"PATH": str(tmp_path)}).returncode != 0
    data = b"no sha256sum here\n"
    assert sha256_in_bash(data, str(tmp_path)) == hashlib.sha256(data).hexdigest()
