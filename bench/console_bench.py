"""The lab console's speed (issue 24): prints figures, asserts nothing.

    .venv/bin/python bench/console_bench.py [--lab-file lab.yml] [--ssh-config .vagrant/ssh-config]
                                            [--starts 5] [--pages 10]

- startup: from the console's process start (`python -m labtools.console
  --no-browser`) to the first 200 on /health (the token taken from the line it
  prints), median of --starts starts; target at most 2 s;
- page: GET / of the running lab with the run's token (its cookie), median of
  --pages loads, the page's own request (its scripts and styles are cached by
  the browser after the first load); target at most 1 s; then the parts the page
  asks for next, for the record: /parts/results (the tasks' verdicts) and
  /parts/machines (one SSH command per machine, side by side).

Every request goes to 127.0.0.1 only; the machines are asked by the console
(after its route guard), as the page would have them asked."""
from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGETS = {"startup": 2.0, "page": 1.0}


def get(url: str, cookie: str) -> float:
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    began = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as answer:
        answer.read()
        assert answer.status == 200, answer.status
    return time.perf_counter() - began


def health_with_cookie(base: str, cookie: str, began: float) -> float:
    with urllib.request.urlopen(urllib.request.Request(f"{base}/health", headers={"Cookie": cookie}), timeout=30):
        return time.perf_counter() - began


def start_console(lab_file: Path, ssh_config: Path) -> tuple[subprocess.Popen, str, str]:
    """The console started as `make console` starts it: its process, its base
    address and the cookie its token makes (from the line it prints first)."""
    process = subprocess.Popen([sys.executable, "-m", "labtools.console", "--lab-file", str(lab_file),
                                "--ssh-config", str(ssh_config), "--no-browser"], cwd=REPO,
                               env=dict(os.environ, LAB_FILE=str(lab_file)), stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    try:
        url = process.stdout.readline().split()[1]
        base, token = url.split("/?token=")
    except (IndexError, ValueError):
        process.terminate()
        raise SystemExit("console_bench: the console did not print its address (is the lab up?)")
    return process, base, f"hbnb_console_{base.rsplit(':', 1)[1]}={token}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lab-file", default=os.environ.get("LAB_FILE") or "lab.yml")
    parser.add_argument("--ssh-config", default=str(REPO / ".vagrant" / "ssh-config"))
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--pages", type=int, default=10)
    args = parser.parse_args()
    lab_file, ssh_config = (REPO / args.lab_file).resolve(), Path(args.ssh_config).resolve()
    command = shlex.join([os.path.relpath(sys.executable), *sys.argv])
    print(f"command: {command}")
    print(f"lab: {lab_file} with {ssh_config}; python {sys.version.split()[0]}; {os.cpu_count()} cores")

    startups = []
    for _ in range(args.starts):
        began = time.perf_counter()
        process, base, cookie = start_console(lab_file, ssh_config)
        try:
            startups.append(health_with_cookie(base, cookie, began))
        finally:
            process.terminate()
            process.wait(timeout=15)

    process, base, cookie = start_console(lab_file, ssh_config)
    try:
        first = get(f"{base}/", cookie)
        pages = [get(f"{base}/", cookie) for _ in range(args.pages)]
        results = [get(f"{base}/parts/results", cookie) for _ in range(args.pages)]
        machines = []
        for _ in range(3):
            time.sleep(2.1)                  # past the console's 2-s reuse of a look at the machines
            machines.append(get(f"{base}/parts/machines", cookie))
    finally:
        process.terminate()
        process.wait(timeout=15)

    def line(name: str, values: list[float], target: float | None = None) -> str:
        median = statistics.median(values)
        verdict = "" if target is None else f"  target <= {target:.1f} s: {'met' if median <= target else 'MISSED'}"
        return (f"{name:34} median {median:6.3f} s  min {min(values):6.3f}  max {max(values):6.3f}  "
                f"(n={len(values)}){verdict}")
    print(line("startup (process to /health 200)", startups, TARGETS["startup"]))
    print(line("page GET / (the first load)", [first]))
    print(line("page GET / (with the token)", pages, TARGETS["page"]))
    print(line("part /parts/results", results))
    print(line("part /parts/machines (SSH x3)", machines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
