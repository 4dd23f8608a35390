"""Requests run in threads (Flask's server, gunicorn threads): each has its own
session on the db engine, the file engine serializes writes; nothing is lost."""
import threading

from models.state import State


def test_concurrent_writers_lose_nothing(storage):
    errors = []

    def writer(number):
        try:
            for item in range(10):
                State(name=f"T{number}-{item}").save()
            storage.close()  # as a request's teardown does
        except Exception as exc:  # reported below, not swallowed
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    storage.close()
    names = sorted(s.name for s in storage.all(State).values())
    assert names == sorted(f"T{n}-{i}" for n in range(4) for i in range(10))
