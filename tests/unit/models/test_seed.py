"""python3 -m models.seed: deterministic, realistic, scaled data on either engine."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from werkzeug.security import check_password_hash

import models
from models import seed
from models.amenity import Amenity
from models.city import City
from models.place import Place
from models.review import Review
from models.state import State
from models.user import User

REPO_ROOT = Path(__file__).resolve().parents[3]


def test_same_seed_same_data():
    assert seed.generate(60, seed=7) == seed.generate(60, seed=7)


def test_other_seed_other_data():
    one, two = seed.generate(60, seed=1), seed.generate(60, seed=2)
    assert {p["id"] for p in one["Place"]}.isdisjoint({p["id"] for p in two["Place"]})
    assert [p["name"] for p in one["Place"]] != [p["name"] for p in two["Place"]]


def test_scale_follows_the_number_of_places():
    data = seed.generate(400, seed=3)
    assert len(data["State"]) == 50
    assert len(data["City"]) == 20
    assert len(data["User"]) == 40
    assert len(data["Amenity"]) == 20
    assert len(data["Place"]) == 400
    assert 600 <= len(data["Review"]) <= 1000  # about two per place
    assert 400 <= len(data["place_amenity"]) <= 1600


def test_records_are_consistent_and_within_limits():
    data = seed.generate(200, seed=5)
    ids = {name: {r["id"] for r in data[name]} for name in seed.ORDER}
    assert all(c["state_id"] in ids["State"] for c in data["City"])
    assert all(p["city_id"] in ids["City"] and p["user_id"] in ids["User"]
               for p in data["Place"])
    assert all(r["place_id"] in ids["Place"] and r["user_id"] in ids["User"]
               for r in data["Review"])
    links = [(link["place_id"], link["amenity_id"]) for link in data["place_amenity"]]
    assert len(links) == len(set(links))
    cities = [(c["state_id"], c["name"]) for c in data["City"]]
    assert len(cities) == len(set(cities))  # no two same-named cities in a state
    for name in seed.ORDER:
        cls = models.classes[name]
        for record in data[name]:
            fields = dict(record)
            password = fields.pop("_password", None)
            obj = cls(**fields)
            if password:
                obj.set_password_hash(password)
            obj.validate()


def test_seed_password_is_a_werkzeug_hash_of_the_documented_password():
    user = seed.generate(20, seed=1)["User"][0]
    assert user["_password"].startswith("pbkdf2:sha256:")
    assert len(user["_password"]) <= 128
    assert check_password_hash(user["_password"], seed.SEED_PASSWORD)


def test_seed_writes_the_generated_data(storage):
    written = seed.seed(100, 4)
    data = seed.generate(100, 4)
    assert written["Place"] == 100
    assert storage.counts() == {name: len(data[name]) for name in models.classes}
    assert {p.id for p in storage.all(Place).values()} == {p["id"] for p in data["Place"]}
    place = data["Place"][0]
    stored = storage.get(Place, place["id"])
    assert stored.name == place["name"] and stored.latitude == place["latitude"]
    assert stored.created_at == place["created_at"]
    linked = {link["amenity_id"] for link in data["place_amenity"]
              if link["place_id"] == place["id"]}
    assert {a.id for a in storage.amenities_of(stored)} == linked
    user = storage.get(User, data["User"][0]["id"])
    assert user.check_password(seed.SEED_PASSWORD)
    texas = storage.find(State, name="Texas")[0]
    assert len(storage.search_places(states=[s.id for s in storage.all(State).values()])) == 100
    assert isinstance(texas.cities, list)


def test_seed_leaves_a_filled_storage_alone_unless_reset(storage):
    seed.seed(40, 1)
    before = storage.counts()
    assert seed.seed(40, 2) == {}
    storage.close()
    assert storage.counts() == before
    seed.seed(60, 2, reset=True)
    storage.close()
    assert storage.count(Place) == 60
    assert storage.count(City) == 3


def test_seeded_data_cascades(storage):
    seed.seed(80, 9)
    state = max(storage.all(State).values(), key=lambda s: len(s.cities))
    city_ids = {c.id for c in state.cities}
    assert city_ids
    storage.delete(state)
    storage.save()
    storage.close()
    assert not any(p.city_id in city_ids for p in storage.all(Place).values())
    assert storage.count(Review) == sum(
        1 for r in storage.all(Review).values() if storage.get(Place, r.place_id))
    assert storage.count(Amenity) == 20


def run_cli(*args, **env):
    return subprocess.run([sys.executable, "-m", "models.seed", *args], cwd=REPO_ROOT,
                          env={**os.environ, **env}, capture_output=True, text=True,
                          timeout=120)


def test_command_line_seeds_the_configured_storage(storage):
    storage.close()
    result = run_cli("--places", "40", "--seed", "3", "--reset")
    assert result.returncode == 0, result.stderr
    assert "40 places" in result.stdout and "50 states" in result.stdout
    assert f"to {models.storage_t} storage" in result.stdout
    storage.close()
    assert storage.counts() == {name: len(records)
                                for name, records in seed.generate(40, 3).items()
                                if name in models.classes}
    storage.close()  # a session holding the tables would block the drop below
    # HBNB_ENV=test would drop the tables at start: a second run as in production.
    again = run_cli("--places", "40", "--seed", "3", HBNB_ENV="production")
    assert again.returncode == 0, again.stderr
    assert "nothing written" in again.stdout


@pytest.mark.parametrize("args", [["--places", "-1"], ["--places", "ten"], []])
def test_command_line_rejects_bad_arguments(args):
    result = run_cli(*args)
    assert result.returncode == 2
    assert "usage" in result.stderr.lower()
