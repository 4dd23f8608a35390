"""`python -m labtools.exercise` on a lab other than this checkout's own:

    python -m labtools.console.lab_check SSH_CONFIG check --task 0

The console may show another lab (--ssh-config, with LAB_FILE naming its lab
file): the learner's commands, given that lab (their --ssh-config), keep their
pytest log in that lab's state folder."""
from __future__ import annotations

import sys

from labtools.exercise import cli


def main(argv: list[str]) -> int:
    command, *rest = argv[1:]
    return cli.main([command, "--ssh-config", argv[0], *rest])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
