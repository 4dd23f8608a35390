"""Whether an observation is what a check expects (`expect:`), or what a known
wrong answer looks like (a cause's `if:`): the same few words for both. Each key
of the mapping must hold; a key the list below does not name compares the
observation's field of that name for equality."""
from __future__ import annotations

import json
import re
from typing import Any


def _text_holds(value: str | None, wanted: Any) -> bool:
    """A header or output against a string (equal) or {startswith, not_startswith,
    contains, not, matches, absent}."""
    if not isinstance(wanted, dict):
        return value == str(wanted)
    if "absent" in wanted and bool(wanted["absent"]) != (value is None):
        return False
    value = value or ""
    for op, arg in wanted.items():
        arg = str(arg)
        if op == "startswith" and not value.startswith(arg):
            return False
        if op == "not_startswith" and value.startswith(arg):
            return False
        if op == "contains" and arg not in value:
            return False
        if op == "not" and value == arg:
            return False
        if op == "matches" and not re.search(arg, value):
            return False
    return True


def _json_holds(observed: dict, wanted: dict) -> bool:
    try:
        value = json.loads(observed.get("body", ""))
    except ValueError:
        return False
    kinds = {"list": list, "dict": dict}
    if "type" in wanted and not isinstance(value, kinds[wanted["type"]]):
        return False
    if wanted.get("nonempty") and not value:
        return False
    if "class" in wanted and not (isinstance(value, list) and all(
            isinstance(item, dict) and item.get("__class__") == wanted["class"] for item in value)):
        return False
    if "equals" in wanted and value != wanted["equals"]:
        return False
    return True


def holds(observed: dict, wanted: dict) -> bool:
    """Whether every key of ``wanted`` holds of ``observed``. Sets observed["matched"]
    when a body_not_matches pattern is found (for the cause to quote it)."""
    body = observed.get("body", "")
    for key, want in wanted.items():
        if key == "status":
            allowed = want if isinstance(want, list) else [want]
            if observed.get("status") not in [int(a) for a in allowed]:
                return False
        elif key == "body":
            if body != str(want):
                return False
        elif key == "body_contains":
            if str(want) not in body:
                return False
        elif key == "body_tail_contains":        # the page's footer: in its last lines
            if str(want) not in body[-400:]:
                return False
        elif key == "body_ends_with_html":
            if bool(want) != ("</html>" in body[-50:]):
                return False
        elif key == "body_not_matches":
            found = re.search(str(want), body)
            if found:
                observed["matched"] = found.group(0)
                return False
        elif key == "header":
            headers = observed.get("headers", {})
            if not all(_text_holds(headers.get(name.lower()), spec) for name, spec in want.items()):
                return False
        elif key == "json":
            if not _json_holds(observed, want):
                return False
        elif key == "address":       # a listener on this address (0.0.0.0 also as *)
            if not any(a in (str(want), "*" if want == "0.0.0.0" else None) for a in observed.get("address_list", [])):
                return False
        elif key == "process":       # a listener whose process name contains this
            if not any(str(want) in name for name in observed.get("process_list", [])):
                return False
        elif key == "stdout_contains":
            if str(want) not in observed.get("stdout", ""):
                return False
        elif key == "stdout_matches":
            if not re.search(str(want), observed.get("stdout", ""), re.M):
                return False
        elif observed.get(key) != want and not (isinstance(want, (int, float)) and str(observed.get(key)) == str(want)):
            return False
    return True
