"""Map a student's files onto the practice server.

A submission was written for the student's own server: its user, home folder,
checkout, Gunicorn, database account, hostname and public address. Those
details are rewritten to the practice server's (lab.yml, ``practice:``), one
note per change, so that only what the student got wrong can fail. Nothing
that is a mistake on any server is mapped: ``~`` paths, a relative or
capitalised Gunicorn, placeholders (``/path/to/gunicorn``, ``/home/username``),
a missing setting. Everything a rule does not change stays byte for byte.
"""
from __future__ import annotations

import dataclasses
import ipaddress
import re
from dataclasses import dataclass
from typing import Callable

from labtools.grading.submission import kind

# Where a Gunicorn the practice server lacks is taken from: pip as root, the
# first a bare `gunicorn` finds on PATH.
GLOBAL_GUNICORN = "/usr/local/bin/gunicorn"
# Users and groups every Ubuntu server has: a unit naming them is not specific
# to the student's server.
SYSTEM_USERS = {"root", "ubuntu", "www-data", "nobody"}
# /bin/gunicorn is /usr/bin/gunicorn on a merged-/usr system (Ubuntu 20.04 on).
MERGED_USR_GUNICORN = "/bin/gunicorn"
LOCAL_DB_HOSTS = {"localhost", "127.0.0.1"}

# Text copied from a tutorial rather than from the student's server.
PLACEHOLDER = re.compile(r"(?i)path/to|\byour|^user(?:_?name)?$|/user(?:_?name)?/|[<>{}$*]|\.\.\.")
USER_NAME = r"[a-z_][a-z0-9_.-]*"
# A path starts a word: not inside another path or a URL, never after `~`.
PATH_START = r"(?<![\w.~/-])"


@dataclass(frozen=True)
class PracticeServer:
    """The student's server as practice mode builds it."""
    user: str
    checkout: str
    gunicorn_paths: tuple[str, ...]
    db_host: str
    db_user: str
    db_password: str
    db_name: str
    # The lab's own reference server (lab.yml's reference:), mapped like a student's.
    reference_app_dir: str = ""
    reference_db_env: str = ""
    # The lab's web servers' addresses, in the lab file's order (a load balancer's back ends).
    web_addresses: tuple[str, ...] = ()
    # The public addresses of the back ends a file names, in its order (set by map_file).
    backend_order: tuple[str, ...] = ()

    @property
    def home(self) -> str:
        return f"/home/{self.user}"

    @classmethod
    def from_lab(cls, lab: dict) -> PracticeServer:
        practice = lab["practice"]
        return cls(
            user=practice["user"],
            checkout=practice["checkout"],
            gunicorn_paths=tuple(practice["gunicorn_paths"]),
            db_host=practice["database"]["host"],
            db_user=practice["database"]["user"],
            db_password=practice["database"]["password"],
            db_name=lab["database"]["name"],
            reference_app_dir=lab.get("reference", {}).get("app_dir", ""),
            reference_db_env=lab.get("reference", {}).get("db_env", ""),
            web_addresses=tuple(m["ip"] for m in lab["machines"] if "web" in m["roles"]),
        )


@dataclass
class Mapped:
    text: str
    notes: list[str]     # "gunicorn.service:12: User=alx -> ubuntu", one per change


@dataclass(frozen=True)
class Rule:
    """Where the match's ``value`` group becomes ``replace(match, server)``
    (None: left alone). ``lines``: only lines matching it are looked at."""
    kinds: frozenset[str]
    pattern: re.Pattern
    replace: Callable[[re.Match, PracticeServer], str | None]
    lines: re.Pattern | None = None
    note: Callable[[re.Match, str], str] = lambda match, new: f"{match[0]} -> {new}"


def _is_global(address: str) -> bool:
    try:
        return ipaddress.IPv4Address(address).is_global
    except ValueError:
        return False


def _placeholder(text: str) -> bool:
    return bool(PLACEHOLDER.search(text))


def _user(match: re.Match, server: PracticeServer) -> str | None:
    name = match["value"]
    if name in SYSTEM_USERS or _placeholder(name):
        return None
    return server.user


def _home(match: re.Match, server: PracticeServer) -> str | None:
    return None if _placeholder(match["user"]) else server.home


def _checkout(match: re.Match, server: PracticeServer) -> str | None:
    if match["user"] and _placeholder(match["user"]):
        return None
    return server.checkout


def _home_mapped(path: str, server: PracticeServer) -> str:
    return HOME.sub(server.home, path, count=1) if not _placeholder(path) else path


def _gunicorn(match: re.Match, server: PracticeServer) -> str | None:
    path = match["value"]
    if path == MERGED_USR_GUNICORN or _placeholder(path):
        return None
    # Another user's pip --user Gunicorn: the home rule maps it, not this one.
    if _home_mapped(path, server) in server.gunicorn_paths:
        return None
    return GLOBAL_GUNICORN


def _unquoted(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _database(match: re.Match, server: PracticeServer) -> str | None:
    old = _unquoted(match["value"])
    setting = match["name"].removeprefix("HBNB_MYSQL_")
    if setting == "HOST":
        new = old if old in LOCAL_DB_HOSTS else server.db_host
    else:
        new = {"USER": server.db_user, "PWD": server.db_password, "DB": server.db_name}[setting]
    if new == old:
        return None
    value = match["value"]
    # VAR="value" keeps its quotes.
    return value[0] + new + value[-1] if value != old else new


def _database_note(match: re.Match, new: str) -> str:
    if match["name"] == "HBNB_MYSQL_PWD":   # neither password goes into a report
        return "HBNB_MYSQL_PWD=*** -> the practice server's password"
    return f"{match['name']}={match['value']} -> {new}"


def _reference_app_dir(match: re.Match, server: PracticeServer) -> str | None:
    path, base = match["value"], server.reference_app_dir
    if not base or not (path == base or path.startswith(base + "/")):
        return None
    return server.checkout + path[len(base):]


def _reference_db_env(match: re.Match, server: PracticeServer) -> str | None:
    """The reference server's settings file holds its database account: the
    practice account's settings in its place."""
    if not server.reference_db_env or match["path"] != server.reference_db_env:
        return None
    return (f"Environment=HBNB_TYPE_STORAGE=db HBNB_MYSQL_HOST={server.db_host} HBNB_MYSQL_DB={server.db_name} "
            f"HBNB_MYSQL_USER={server.db_user} HBNB_MYSQL_PWD={server.db_password}")


def _public_address(match: re.Match, server: PracticeServer) -> str | None:
    try:
        address = ipaddress.IPv4Address(match["value"])
    except ValueError:
        return None
    # The student's server's own public address; a private or loopback one
    # would name another machine, or already this one.
    return "127.0.0.1" if address.is_global else None


def _backend_address(match: re.Match, server: PracticeServer) -> str | None:
    """A load balancer's back end at the student's web server's public address: the
    lab's web server it stands for, by its name (...web-01, ...02), else by the
    order the file names them in."""
    try:
        if not ipaddress.IPv4Address(match["value"]).is_global or not server.web_addresses:
            return None
    except ValueError:
        return None
    number = re.search(r"(\d+)$", match["name"])
    if number and 1 <= int(number.group(1)) <= len(server.web_addresses):
        return server.web_addresses[int(number.group(1)) - 1]
    if match["value"] in server.backend_order:
        index = server.backend_order.index(match["value"])
        return server.web_addresses[index] if index < len(server.web_addresses) else None
    return None


# A back end of HAProxy (in a config file, or in the script that writes one).
# A line a script writes with `\t` (sed's a command, printf) starts with that escape.
BACKEND = re.compile(r"(?:(?<![\w-])|(?<=\\t))server\s+(?P<name>[\w.-]+)\s+(?P<value>\d{1,3}(?:\.\d{1,3}){3})(?=[:\s'\"]|$)")
# Where an address nothing in the lab stands for goes: loopback, where nothing
# answers on the web's ports. Nothing of a submission is sent outside the lab.
NOWHERE = "127.0.0.2"


def _unplaced_address(match: re.Match, server: PracticeServer) -> str | None:
    return NOWHERE if _is_global(match["value"]) else None

HOME = re.compile(PATH_START + rf"/home/(?P<user>{USER_NAME})(?![\w.-])")
# The kinds of file a rule applies to (submission.kind).
IN_UNIT, IN_SITE, IN_SCRIPT = frozenset({"unit"}), frozenset({"site"}), frozenset({"script"})
IN_BALANCER = frozenset({"script", "haproxy"})

# In order: the Gunicorn rule looks at a path before the home rule changes it,
# the checkout rule before the home rule (one note for /home/alx/AirBnB_clone_v3).
RULES = (
    Rule(IN_UNIT, re.compile(r"^\s*(?:User|Group)\s*=\s*(?P<value>\S+?)\s*$"), _user),
    Rule(IN_UNIT, re.compile(r"^\s*ExecStart\s*=\s*[-@+!:|]*(?P<value>/\S*/gunicorn)(?=\s|$)"), _gunicorn),
    Rule(IN_UNIT | IN_SITE,
         re.compile(PATH_START + rf"(?P<value>(?:/home/(?P<user>{USER_NAME})|/root)"
                    r"(?:/[\w.-]+)*?/[\w.-]*?(?i:airbnb)[\w.-]*)(?![\w.-])"),
         _checkout),
    Rule(IN_UNIT | IN_SITE | IN_SCRIPT,
         re.compile(PATH_START + rf"(?P<value>/home/(?P<user>{USER_NAME}))(?![\w.-])"), _home),
    # Both `Environment=VAR=x VAR2=y` and `Environment="VAR=x" "VAR2=y"`: a
    # quoted assignment ends at its closing quote.
    Rule(IN_UNIT,
         re.compile(r"(?<=[=\s])(?P<quote>[\"'])?(?P<name>HBNB_MYSQL_(?:USER|PWD|DB|HOST))="
                    r"(?P<value>(?(quote)[^\"'\n]*|(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s\"'])*))"),
         _database, lines=re.compile(r"^\s*(?:Environment\s*=|ExecStart\s*=.*\benv\s)"), note=_database_note),
    # The lab's reference server: its checkout and its root-only settings file.
    Rule(IN_UNIT | IN_SITE, re.compile(PATH_START + r"(?P<value>/opt(?:/[\w.-]+)+/?)"), _reference_app_dir,
         note=lambda match, new: f"{match['value']} -> {new}"),
    Rule(IN_UNIT, re.compile(r"^\s*(?P<value>EnvironmentFile\s*=\s*-?(?P<path>\S+))\s*$"), _reference_db_env,
         note=lambda match, new: f"EnvironmentFile={match['path']} -> the practice account's Environment= settings"),
    # A literal server name (123456-web-01); a $variable is the student's choice.
    Rule(IN_SITE,
         re.compile(r"\badd_header\s+(?i:X-Served-By)\s+"
                    r"(?P<value>\"[^\"$\n]+\"|'[^'$\n]+'|[^\s;\"'$]+(?=[\s;]|$))"),
         lambda match, server: "$hostname"),
    Rule(IN_SITE,
         re.compile(r"\bproxy_pass\s+https?://(?P<value>\d{1,3}(?:\.\d{1,3}){3})(?=:500\d(?!\d))"),
         _public_address),
    # The student's web servers behind their load balancer: the lab's.
    Rule(IN_BALANCER, BACKEND, _backend_address,
         note=lambda match, new: f"server {match['name']} {match['value']} -> {new}"),
    # Last: a public address still there names no machine of the lab.
    Rule(IN_BALANCER, re.compile(r"(?<![\w.])(?P<value>\d{1,3}(?:\.\d{1,3}){3})(?![\w.])"), _unplaced_address,
         note=lambda match, new: f"{match['value']} -> {new}: no machine of the lab stands for it (nothing is sent outside the lab)"),
)


def _comment_start(line: str, file_kind: str) -> int:
    """Where a line's comment starts (len(line) if none): comments stay as written.
    A unit's comments are whole lines; Nginx and Bash start one with a `#` that
    begins a word, outside quotes (`${#list[@]}`, `$#` are not comments)."""
    if file_kind == "unit":
        return 0 if line.lstrip().startswith(("#", ";")) else len(line)
    before = " \t;{}" if file_kind == "site" else " \t;"
    quote = None
    for index, char in enumerate(line):
        if quote:
            if char == quote and line[index - 1] != "\\":
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1] in before):
            return index
    return len(line)


def map_file(name: str, text: str, server: PracticeServer, file_kind: str | None = None) -> Mapped:
    """``text`` of the handed-in file ``name`` (of ``file_kind``: site, unit,
    script, manifest, haproxy; the reference exercise's kind of ``name`` when not
    given) with its server-specific details replaced by the practice server's,
    and what was replaced."""
    file_kind = file_kind or kind(name)
    rules = [rule for rule in RULES if file_kind in rule.kinds]
    if file_kind in IN_BALANCER:
        server = dataclasses.replace(server, backend_order=tuple(dict.fromkeys(
            m["value"] for m in BACKEND.finditer(text) if _is_global(m["value"]))))
    notes = []
    lines = text.split("\n")    # a CRLF line keeps its \r
    for number, line in enumerate(lines, start=1):
        end = _comment_start(line, file_kind)
        code = line[:end]
        for rule in rules:
            if rule.lines and not rule.lines.search(code):
                continue

            def apply(match: re.Match, rule: Rule = rule) -> str:
                new = rule.replace(match, server)
                if new is None or new == match["value"]:
                    return match[0]
                notes.append(f"{name}:{number}: {rule.note(match, new)}")
                start, stop = match.span("value")
                return match[0][:start - match.start()] + new + match[0][stop - match.start():]
            code = rule.pattern.sub(apply, code)
        lines[number - 1] = code + line[end:]
    return Mapped("\n".join(lines), notes)
