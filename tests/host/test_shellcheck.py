"""Every shell script of the project is Shellcheck clean (the project's own rule,
and the exercise's), sourced files followed (-x), from the repository root as the
scripts' `source` lines expect."""
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def shell_scripts() -> list[str]:
    tracked = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                             capture_output=True, check=True).stdout.decode().split("\0")
    found = []
    for name in filter(None, tracked):
        path = ROOT / name
        if "/cases/" in name or not path.is_file():
            continue   # the packs' catalogue submissions make their mistakes on purpose
        head = path.read_bytes()[:64]
        if name.endswith(".sh") or head.startswith((b"#!/usr/bin/env bash", b"#!/bin/bash", b"#!/bin/sh")):
            found.append(name)
    return found


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="no shellcheck on this host (make deps installs it)")
def test_every_shell_script_is_shellcheck_clean():
    scripts = shell_scripts()
    assert len(scripts) > 25, scripts   # the parse found them
    done = subprocess.run(["shellcheck", "-x", "-f", "gcc", *scripts], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-500:]
