"""`python -m labtools.console`: the command line (serve.py does the work).

The lab file is chosen before anything reads it: labdata takes LAB_FILE when it
is first imported, as every command of the project does."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="labtools.console", description="The lab console: one local page for the running lab.")
    parser.add_argument("--lab-file", default=os.environ.get("LAB_FILE") or "lab.yml",
                        help="the lab's lab file (default: LAB_FILE, else lab.yml; relative to the checkout)")
    parser.add_argument("--ssh-config", default=str(ROOT / ".vagrant" / "ssh-config"),
                        help="the lab's SSH configuration (default: this checkout's .vagrant/ssh-config)")
    parser.add_argument("--port", type=int, default=0, help="the port on 127.0.0.1 (default: any free one)")
    parser.add_argument("--no-browser", action="store_true", help="print the address only")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    args.lab_file = (ROOT / args.lab_file).resolve()
    args.ssh_config = Path(args.ssh_config).resolve()
    if not args.lab_file.is_file():
        print(f"console: no lab file {args.lab_file}", file=sys.stderr)
        return 2
    os.environ["LAB_FILE"] = str(args.lab_file)
    from labtools.console import serve
    return serve.run(args)


if __name__ == "__main__":
    sys.exit(main())
