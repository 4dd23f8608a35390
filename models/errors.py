"""Exceptions raised by the models and the storage engines.

The API catches ``StorageError`` (and its subclass ``ValidationError``) around
writes and answers 400 with the message: by the time one is raised the storage
has been rolled back, so nothing of the failed write remains.
"""


class StorageError(Exception):
    """A write the storage refused (constraint, type, length...); nothing was written."""


class ValidationError(StorageError, ValueError):
    """An object's values break the column rules (required, type, length, link)."""


class StorageUnavailable(Exception):
    """The storage cannot be reached now (database stopped, restarting, hung):
    not the caller's fault, so not a StorageError (400). The web apps answer 503
    with Retry-After (models/unavailable.py); nothing of the request was written."""
