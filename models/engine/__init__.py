"""Storage engines: FileStorage (file.json) and DBStorage (MySQL/MariaDB).

Both implement the same interface (see models/__init__.py); helpers shared by
the two live in engine/common.py.
"""
