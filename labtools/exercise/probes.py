"""What a check can look at on a machine, each as an observation (a dict the
expectations and the causes read): an HTTP answer (curl on the machine), a
command's output, a port's listeners, a systemd unit, a file."""
from __future__ import annotations

import re
import shlex

from labtools.exercise.target import Target


def one_line(text: str, limit: int = 240) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def http(target: Target, url: str, method: str = "GET", headers: list[str] | tuple = (), timeout: int = 8) -> dict:
    """One request made by curl on the machine, no redirect followed. status 0:
    nothing answered (``error`` says why)."""
    args = ["curl", "-sS", "-i", "--max-time", str(timeout)]
    args += ["-I"] if method == "HEAD" else ["-X", method]
    for header in headers:
        args += ["-H", header]
    args.append(url)
    done = target.run(shlex.join(args), timeout=timeout + 10)
    observed = {"url": url, "path": re.sub(r"^[a-z]+://[^/]*", "", url) or "/", "status": 0, "headers": {},
                "body": "", "error": ""}
    if done.rc != 0:
        observed["error"] = one_line(done.err.strip() or f"curl exit {done.rc}", 160)
        return _summarised(observed)
    raw = done.out
    # Interim answers ("100 Continue") come before the real one.
    while re.match(r"HTTP/[\d.]+ 1\d\d", raw):
        raw = raw.split("\r\n\r\n", 1)[-1]
    head, _, body = raw.partition("\r\n\r\n")
    lines = head.split("\r\n")
    try:
        observed["status"] = int(lines[0].split()[1])
    except (IndexError, ValueError):
        observed["error"] = f"not HTTP: {lines[0][:80]!r}"
        return _summarised(observed)
    for line in lines[1:]:
        name, _, value = line.partition(":")
        observed["headers"][name.strip().lower()] = value.strip()
    observed["body"] = body
    return _summarised(observed)


def _summarised(observed: dict) -> dict:
    body = observed["body"]
    observed["header"] = observed["headers"]
    observed["body_start"] = one_line(body, 60)
    observed["body_end"] = one_line(body[-200:], 80) if len(body) > 80 else one_line(body, 80)
    return observed


def command(target: Target, run: str, user: str = "root", timeout: float = 60) -> dict:
    done = target.run(run, user, timeout)
    return {"rc": done.rc, "stdout": done.out.strip(), "stderr": one_line(done.err.strip(), 200)}


def port(target: Target, number: int) -> dict:
    """The processes listening on TCP port ``number``: their addresses, names, PIDs."""
    out = target.run(f"ss -Hltnp 'sport = :{int(number)}'", timeout=10).out
    addresses, processes, pids = [], [], []
    for line in out.splitlines():
        words = line.split()
        if len(words) >= 4:
            addresses.append(words[3].rsplit(":", 1)[0])
        processes += re.findall(r'\("([^"]+)",pid=\d+', line)
        pids += [int(pid) for pid in re.findall(r"pid=(\d+)", line)]
    return {"port": int(number), "listening": bool(addresses), "addresses": ", ".join(dict.fromkeys(addresses)) or "nothing",
            "address_list": addresses, "process_list": sorted(set(processes)),
            "processes": ", ".join(sorted(set(processes))) or "nothing", "pids": sorted(set(pids))}


UNIT_PROPERTIES = ("ActiveState", "SubState", "LoadState", "UnitFileState", "MainPID", "PrivateTmp",
                   "ExecMainStatus", "Result", "WantedBy", "FragmentPath")


def unit(target: Target, name: str) -> dict:
    out = target.run(f"systemctl show {shlex.quote(name)} --property {','.join(UNIT_PROPERTIES)}", timeout=10).out
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


def file(target: Target, path: str) -> dict:
    done = target.run(f"stat -c '%s %a %U' {shlex.quote(path)}", timeout=10)
    if done.rc != 0:
        return {"path": path, "exists": False, "size": 0}
    size, mode, owner = done.out.split()
    return {"path": path, "exists": True, "size": int(size), "mode": mode, "owner": owner}
