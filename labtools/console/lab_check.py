"""`python -m labtools.exercise` on a lab other than this checkout's own:

    python -m labtools.console.lab_check SSH_CONFIG check --task 0

The learner's commands take this checkout's .vagrant/ssh-config; the console may
show another lab (--ssh-config, with LAB_FILE naming its lab file): the same
commands, given that lab's configuration, and their pytest log kept in that
lab's state folder (not this checkout's .cache/check/, which its own lab uses)."""
from __future__ import annotations

import sys
from pathlib import Path

from labtools.exercise import cli, state


def main(argv: list[str]) -> int:
    ssh_config = Path(argv[0]).resolve()
    cli.SSH_CONFIG = ssh_config
    cli.LOG = state.lab_state_dir(ssh_config) / "check.log"
    return cli.main(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
