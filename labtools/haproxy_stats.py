"""HAProxy's statistics CSV (the runtime API's `show stat`, or the stats page's
`;csv`), read by its header's column names: one reader for the benchmarks and
the lab suite."""
from __future__ import annotations

# The runtime API on the load balancer (root), as haproxy.cfg's `stats socket` says.
SHOW_STAT = "echo 'show stat' | socat stdio /run/haproxy/admin.sock"


def rows(csv_text: str) -> dict[tuple[str, str], dict[str, str]]:
    """(proxy, server or FRONTEND or BACKEND) -> that row's columns by name."""
    lines = [line for line in csv_text.splitlines() if line.strip()]
    if not lines or not lines[0].startswith("# "):
        return {}
    names = lines[0][2:].split(",")
    parsed = (dict(zip(names, line.split(","))) for line in lines[1:])
    return {(row["pxname"], row["svname"]): row for row in parsed if row.get("svname") is not None}


def servers(csv_text: str) -> dict[tuple[str, str], dict[str, str]]:
    """(back end, server) -> that row's columns by name (status, check_status,
    qcur...), for every server row (not the FRONTEND and BACKEND totals)."""
    return {key: row for key, row in rows(csv_text).items() if key[1] not in ("FRONTEND", "BACKEND")}


def backends(csv_text: str) -> dict[str, dict[str, str]]:
    """Back end -> its BACKEND totals row. Its qcur is what waits for any server
    (round robin queues there, not on a server), its scur what is in flight."""
    return {proxy: row for (proxy, name), row in rows(csv_text).items() if name == "BACKEND"}
