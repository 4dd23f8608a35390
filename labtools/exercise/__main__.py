"""python -m labtools.exercise: the learner's commands (labtools/exercise/cli.py)."""
import sys

from labtools.exercise.cli import main

sys.exit(main())
