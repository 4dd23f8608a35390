"""HAProxy's statistics CSV (the runtime API's `show stat`, or the stats page's
`;csv`), read by its header's column names: one reader for the benchmarks and
the lab suite."""
from __future__ import annotations

# The runtime API on the load balancer (root), as haproxy.cfg's `stats socket` says.
SHOW_STAT = "echo 'show stat' | socat stdio /run/haproxy/admin.sock"


def servers(csv_text: str) -> dict[tuple[str, str], dict[str, str]]:
    """(back end, server) -> that row's columns by name (status, check_status,
    qcur...), for every server row (not the FRONTEND and BACKEND totals)."""
    lines = [line for line in csv_text.splitlines() if line.strip()]
    if not lines or not lines[0].startswith("# "):
        return {}
    names = lines[0][2:].split(",")
    rows = (dict(zip(names, line.split(","))) for line in lines[1:])
    return {(row["pxname"], row["svname"]): row for row in rows
            if row.get("svname") not in (None, "FRONTEND", "BACKEND")}
