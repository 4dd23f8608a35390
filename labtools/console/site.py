"""The site as a visitor sees it: each machine's page, and which web server
answered the last requests through the load balancer (X-Served-By), asked from
the host after the route guard (forwarded-ports mode: its port on 127.0.0.1)."""
from __future__ import annotations

import http.client
from collections import Counter
from dataclasses import dataclass, field

from labtools import labdata
from labtools.console.lab import Lab

HEADER = "X-Served-By"


@dataclass
class Answer:
    status: int            # 0: no answer
    served_by: str         # the header's value, "" without it
    error: str = ""


@dataclass
class Sample:
    balancer: str
    url: str
    answers: list[Answer] = field(default_factory=list)
    error: str = ""        # why nothing was asked (the route guard)

    @property
    def counts(self) -> list[tuple[str, int]]:
        """(server, answers) in the order they first answered."""
        return list(Counter(a.served_by or (f"no {HEADER}" if a.status else "no answer")
                            for a in self.answers).items())


def links(lab: Lab) -> list[tuple[str, str]]:
    """(machine, its page's address) for each machine the host can open."""
    if lab.forwarded:
        balancers = [m["name"] for m in lab.machines if "lb" in m["roles"]]
        return [(name, f"http://127.0.0.1:{labdata.forwarded_port(name)}/") for name in balancers]
    return [(m["name"], f"http://{m['ip']}/") for m in lab.machines]


def ask(address: str, port: int) -> Answer:
    """One GET / on a connection of its own (each one balanced anew)."""
    connection = http.client.HTTPConnection(address, port, timeout=3)
    try:
        connection.request("GET", "/", headers={"Connection": "close", "User-Agent": "hbnb-lab console"})
        response = connection.getresponse()
        response.read(65536)
        return Answer(response.status, response.getheader(HEADER, ""))
    except OSError as error:
        return Answer(0, "", str(error) or type(error).__name__)
    finally:
        connection.close()


def sample(lab: Lab, count: int = 6) -> Sample:
    """``count`` requests through the lab's first load balancer (blocking: run in a thread)."""
    balancer = next((m["name"] for m in lab.machines if "lb" in m["roles"]), "")
    if not balancer:
        return Sample("", "", error=f"{lab.lab_file.name} has no load balancer")
    try:
        address, port = labdata.front_end(balancer, lab.forwarded)
    except labdata.LabNotUp as error:
        return Sample(balancer, "", error=str(error))
    url = f"http://{address}{'' if port == 80 else f':{port}'}/"
    return Sample(balancer, url, [ask(address, port) for _ in range(count)])
