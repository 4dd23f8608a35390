"""The HBNB page's speed against the number of places, before and after the
page was bounded and cached: prints figures, asserts nothing.

    .venv/bin/python bench/page_scale.py [--duration 5] [--rounds 3] [--connections 8]
                                         [--before REV] [--small 200] [--large 10000]

What it serves: `/` of web_dynamic.2-hbnb by a real Gunicorn with 3 workers
(`gunicorn --workers 3 web_dynamic.2-hbnb:app`, as the lab runs it), on
127.0.0.1 only, for two versions of the code:
  before  a `git worktree add` of REV (default: the parent of the commit that
          brought models/engine/db_timeouts.py, i.e. the code before the
          change) in a temporary directory, removed at the end;
  after   this working tree.
Two databases of its own on the local MariaDB (tests/mysql-server.sh starts
it), made with the server's root account over its Unix socket and dropped at
the end, with a user whose password is drawn at each run:
  hbnb_page_bench_small_db  `python3 -m models.seed --places 200`
  hbnb_page_bench_large_db  `python3 -m models.seed --places 10000`
The test and dev databases are never touched.

Four Gunicorns (before/after x small/large) run side by side; `wrk` loads one
at a time (--connections, --duration seconds each, 2 threads), in rounds
whose order alternates (before, after, then after, before) so that a change
of load on the shared host weighs on both; after each run it waits until that
Gunicorn is idle again (sync workers finish the requests wrk left). Figures per server (median of the
rounds): requests/s, median latency, page size in bytes, non-2xx answers;
then the two ratios: after/before throughput at 200 places (target: >= 5) and
after's median latency at 10,000 places / at 200 (target: <= 2).
"""
from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = REPO / ".venv" / "bin"
USER = "hbnb_page_bench"
DATABASES = {"small": "hbnb_page_bench_small_db", "large": "hbnb_page_bench_large_db"}
# The first file the change added: its first commit's parent is the code before.
CHANGE_MARKER = "models/engine/db_timeouts.py"


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    kwargs.setdefault("check", True)
    kwargs.setdefault("timeout", 600)
    return subprocess.run(command, **kwargs)


def as_root(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """An admin command as root (root's MariaDB account uses the Unix socket)."""
    return run(command if os.geteuid() == 0 else ["sudo", *command], **kwargs)


def mariadb(sql: str) -> None:
    as_root(["mariadb"], input=sql, text=True)


def commit_before(rev: str | None) -> str:
    if rev is None:
        added = run(["git", "-C", str(REPO), "log", "--diff-filter=A", "--format=%H", "--",
                     CHANGE_MARKER], capture_output=True, text=True).stdout.split()
        if not added:
            sys.exit(f"page_scale: no commit adds {CHANGE_MARKER}: give --before REV")
        rev = added[-1] + "^"
    return run(["git", "-C", str(REPO), "rev-parse", "--verify", rev + "^{commit}"],
               capture_output=True, text=True).stdout.strip()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def db_env(database: str, password: str, code: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("HBNB_")}  # never HBNB_ENV=test (drops tables)
    env.update(HBNB_TYPE_STORAGE="db", HBNB_MYSQL_USER=USER, HBNB_MYSQL_PWD=password,
               HBNB_MYSQL_HOST="127.0.0.1", HBNB_MYSQL_DB=database, PYTHONPATH=str(code))
    return env


def prepare_databases(password: str, sizes: dict[str, int]) -> None:
    run([str(REPO / "tests" / "mysql-server.sh")], stdout=subprocess.DEVNULL)
    sql = [f"CREATE USER IF NOT EXISTS '{USER}'@'localhost';",
           f"ALTER USER '{USER}'@'localhost' IDENTIFIED BY '{password}';"]
    for database in DATABASES.values():
        sql += [f"DROP DATABASE IF EXISTS {database};",
                f"CREATE DATABASE {database} CHARACTER SET utf8mb4 "
                "COLLATE utf8mb4_unicode_ci;",
                f"GRANT ALL PRIVILEGES ON {database}.* TO '{USER}'@'localhost';"]
    mariadb("\n".join(sql))
    for size, database in DATABASES.items():
        started = time.monotonic()
        print(f"seeding {database} with {sizes[size]} places ...", flush=True)
        run([str(VENV_BIN / "python"), "-m", "models.seed", "--places", str(sizes[size])],
            env=db_env(database, password, REPO), cwd=REPO, stdout=subprocess.DEVNULL)
        print(f"  seeded in {time.monotonic() - started:.1f} s", flush=True)


def drop_databases() -> None:
    mariadb("\n".join([f"DROP DATABASE IF EXISTS {db};" for db in DATABASES.values()]
                      + [f"DROP USER IF EXISTS '{USER}'@'localhost';"]))


class Server:
    """A Gunicorn (3 workers) serving web_dynamic.2-hbnb from one copy of the code."""

    def __init__(self, name: str, code: Path, env: dict[str, str], log: Path) -> None:
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = open(log, "w")
        self.process = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "--workers", "3", "--bind", f"127.0.0.1:{self.port}",
             "--timeout", "120", "web_dynamic.2-hbnb:app"],
            cwd=code, env=env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name}: gunicorn exited (see {self.log.name})")
            try:
                with urllib.request.urlopen(self.url, timeout=30) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"{self.name}: no answer within {timeout} s")

    def page_size(self) -> int:
        with urllib.request.urlopen(self.url, timeout=60) as answer:
            return len(answer.read())

    def cpu_seconds(self) -> float:
        """CPU time used so far by the master and its workers (its own session)."""
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == self.process.pid:  # process group = the master's pid
                total += int(fields[11]) + int(fields[12])  # utime + stime
        return total / os.sysconf("SC_CLK_TCK")

    def settle(self, timeout: float = 180) -> None:
        """Wait until the server is idle: wrk stops at its deadline, but sync
        workers finish the requests they hold (seconds each for the old page
        at 10,000 places), which would load the next measurement."""
        deadline = time.monotonic() + timeout
        used = self.cpu_seconds()
        while time.monotonic() < deadline:
            time.sleep(0.5)
            now = self.cpu_seconds()
            if now - used < 0.02:
                return
            used = now

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # its own session: the workers too
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()


def seconds(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]


def load(server: Server, duration: int, connections: int) -> dict[str, float]:
    """wrk against the server: requests/s, median latency (s), non-2xx answers."""
    out = run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "60s",
               "--latency", server.url], capture_output=True, text=True,
              timeout=duration + 120).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    median = seconds(re.search(r"^\s+50%\s+(\S+)", out, re.M)[1])
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       out)
    return {"rate": rate, "median": median, "non_2xx": int(bad[1]) if bad else 0,
            "socket_errors": sum(map(int, errors.groups())) if errors else 0}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds of wrk per run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--before", help="the code before (default: see the docstring)")
    parser.add_argument("--small", type=int, default=200)
    parser.add_argument("--large", type=int, default=10000)
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("page_scale: wrk missing (apt-get install wrk)")

    before = commit_before(args.before)
    after = run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True,
                text=True).stdout.strip()
    print(f"before: {before[:10]} (worktree)   after: working tree at {after[:10]}")
    sizes = {"small": args.small, "large": args.large}
    password = secrets.token_hex(16)
    scratch = Path(tempfile.mkdtemp(prefix="hbnb-page-scale-"))
    worktree = scratch / "before"
    servers: dict[tuple[str, str], Server] = {}
    try:
        run(["git", "-C", str(REPO), "worktree", "add", "--detach", "--quiet",
             str(worktree), before])
        prepare_databases(password, sizes)
        for version, code in (("before", worktree), ("after", REPO)):
            for size, database in DATABASES.items():
                servers[version, size] = Server(
                    f"{version}/{sizes[size]}", code, db_env(database, password, code),
                    scratch / f"gunicorn-{version}-{size}.log")
        for server in servers.values():
            server.wait_ready()
            server.settle()
        pages = {key: server.page_size() for key, server in servers.items()}
        results: dict[tuple[str, str], list[dict]] = {key: [] for key in servers}
        for round_number in range(args.rounds):
            order = ("before", "after") if round_number % 2 == 0 else ("after", "before")
            for size in ("small", "large"):
                for version in order:
                    figures = load(servers[version, size], args.duration, args.connections)
                    servers[version, size].settle()
                    results[version, size].append(figures)
                    print(f"round {round_number + 1}: {version:6} {sizes[size]:6} places: "
                          f"{figures['rate']:8.1f} req/s, median "
                          f"{figures['median'] * 1000:8.1f} ms", flush=True)
    finally:
        for server in servers.values():
            server.stop()
        run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(worktree)],
            check=False)
        shutil.rmtree(scratch, ignore_errors=True)
        drop_databases()

    def median(key: tuple[str, str], name: str) -> float:
        return statistics.median(figures[name] for figures in results[key])

    print()
    print(f"wrk -t2 -c{args.connections} -d{args.duration}s, {args.rounds} rounds "
          "(medians), gunicorn --workers 3 web_dynamic.2-hbnb:app on 127.0.0.1")
    print(f"{'code':8}{'places':>8}{'req/s':>10}{'median ms':>12}{'page bytes':>12}"
          f"{'non-2xx':>9}{'errors':>8}")
    for version in ("before", "after"):
        for size in ("small", "large"):
            key = (version, size)
            print(f"{version:8}{sizes[size]:>8}{median(key, 'rate'):>10.1f}"
                  f"{median(key, 'median') * 1000:>12.1f}{pages[key]:>12}"
                  f"{sum(f['non_2xx'] for f in results[key]):>9}"
                  f"{sum(f['socket_errors'] for f in results[key]):>8}")
    speedup = median(("after", "small"), "rate") / median(("before", "small"), "rate")
    growth = median(("after", "large"), "median") / median(("after", "small"), "median")
    print(f"throughput after/before at {sizes['small']} places: {speedup:.1f}x (target >= 5)")
    print(f"after: median time at {sizes['large']} / at {sizes['small']} places: "
          f"{growth:.2f} (target <= 2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
