"""Fill the configured storage with deterministic, realistic-looking data.

    python3 -m models.seed --places N [--seed S] [--reset]

For N places: every US state, about N/20 cities (real ones first, then
plausible town names), about N/10 users, 20 amenities, N places spread over
the cities with 0-5 amenities each, and about 2 reviews per place. The same
N and seed give the same data, ids and timestamps included. Seeded users all
have the password SEED_PASSWORD (hashed once, pbkdf2:sha256, with a salt drawn
from the seed so the hash is deterministic too).

Storage that already holds objects is left alone (exit 0, so a provisioner can
run this again), unless --reset empties it first. On the db engine rows go in
with bulk INSERTs and one commit; on the file engine in one save().
"""
from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
import uuid
from datetime import datetime, timedelta
from typing import Any

SEED_PASSWORD = "hbnb-seed-password"

# (state, its capital and two other large cities)
STATES = [
    ("Alabama", "Montgomery", "Birmingham", "Huntsville"),
    ("Alaska", "Juneau", "Anchorage", "Fairbanks"),
    ("Arizona", "Phoenix", "Tucson", "Flagstaff"),
    ("Arkansas", "Little Rock", "Fayetteville", "Fort Smith"),
    ("California", "Sacramento", "San Francisco", "Los Angeles"),
    ("Colorado", "Denver", "Boulder", "Colorado Springs"),
    ("Connecticut", "Hartford", "New Haven", "Stamford"),
    ("Delaware", "Dover", "Wilmington", "Newark"),
    ("Florida", "Tallahassee", "Miami", "Orlando"),
    ("Georgia", "Atlanta", "Savannah", "Athens"),
    ("Hawaii", "Honolulu", "Hilo", "Kailua"),
    ("Idaho", "Boise", "Coeur d'Alene", "Idaho Falls"),
    ("Illinois", "Springfield", "Chicago", "Peoria"),
    ("Indiana", "Indianapolis", "Bloomington", "Fort Wayne"),
    ("Iowa", "Des Moines", "Iowa City", "Cedar Rapids"),
    ("Kansas", "Topeka", "Wichita", "Lawrence"),
    ("Kentucky", "Frankfort", "Louisville", "Lexington"),
    ("Louisiana", "Baton Rouge", "New Orleans", "Lafayette"),
    ("Maine", "Augusta", "Portland", "Bar Harbor"),
    ("Maryland", "Annapolis", "Baltimore", "Frederick"),
    ("Massachusetts", "Boston", "Cambridge", "Worcester"),
    ("Michigan", "Lansing", "Detroit", "Ann Arbor"),
    ("Minnesota", "Saint Paul", "Minneapolis", "Duluth"),
    ("Mississippi", "Jackson", "Biloxi", "Oxford"),
    ("Missouri", "Jefferson City", "Kansas City", "St. Louis"),
    ("Montana", "Helena", "Missoula", "Bozeman"),
    ("Nebraska", "Lincoln", "Omaha", "Kearney"),
    ("Nevada", "Carson City", "Las Vegas", "Reno"),
    ("New Hampshire", "Concord", "Manchester", "Portsmouth"),
    ("New Jersey", "Trenton", "Newark", "Princeton"),
    ("New Mexico", "Santa Fe", "Albuquerque", "Taos"),
    ("New York", "Albany", "New York", "Buffalo"),
    ("North Carolina", "Raleigh", "Charlotte", "Asheville"),
    ("North Dakota", "Bismarck", "Fargo", "Grand Forks"),
    ("Ohio", "Columbus", "Cleveland", "Cincinnati"),
    ("Oklahoma", "Oklahoma City", "Tulsa", "Norman"),
    ("Oregon", "Salem", "Portland", "Bend"),
    ("Pennsylvania", "Harrisburg", "Philadelphia", "Pittsburgh"),
    ("Rhode Island", "Providence", "Newport", "Warwick"),
    ("South Carolina", "Columbia", "Charleston", "Greenville"),
    ("South Dakota", "Pierre", "Sioux Falls", "Rapid City"),
    ("Tennessee", "Nashville", "Memphis", "Knoxville"),
    ("Texas", "Austin", "Houston", "San Antonio"),
    ("Utah", "Salt Lake City", "Provo", "Moab"),
    ("Vermont", "Montpelier", "Burlington", "Stowe"),
    ("Virginia", "Richmond", "Norfolk", "Charlottesville"),
    ("Washington", "Olympia", "Seattle", "Spokane"),
    ("West Virginia", "Charleston", "Morgantown", "Huntington"),
    ("Wisconsin", "Madison", "Milwaukee", "Green Bay"),
    ("Wyoming", "Cheyenne", "Jackson", "Laramie"),
]

# Common American town names, for cities beyond the real ones above.
TOWNS = [
    "Fairview", "Franklin", "Greenville", "Clinton", "Arlington", "Georgetown",
    "Ashland", "Oakland", "Riverside", "Centerville", "Milton", "Marion",
    "Salem", "Bristol", "Kingston", "Winchester", "Auburn", "Hudson", "Dayton",
    "Clayton", "Milford", "Newport", "Mount Vernon", "Lakewood", "Cedar Grove",
    "Pleasant Hill", "Maple Valley", "Pine Bluff", "Rock Springs", "Elmwood",
    "Highland", "Glendale", "Brookfield", "Fairfield", "Harrison", "Lebanon",
]
TOWN_PREFIXES = ["", "North ", "South ", "East ", "West ", "New ", "Lake ", "Port "]

FIRST_NAMES = [
    "Olivia", "Liam", "Emma", "Noah", "Amelia", "Oliver", "Ava", "Elijah",
    "Sophia", "Mateo", "Isabella", "Lucas", "Mia", "Levi", "Evelyn", "Asher",
    "Harper", "James", "Luna", "Leo", "Camila", "Grayson", "Gianna", "Ezra",
    "Elizabeth", "Luca", "Eleanor", "Ethan", "Ella", "Aiden", "Abigail", "Wyatt",
]
LAST_NAMES = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller",
    "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson",
    "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez",
    "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
]

AMENITIES = [
    "Wifi", "Pool", "Air conditioning", "Kitchen", "Free parking", "Washer",
    "Dryer", "Heating", "TV", "Hot tub", "Gym", "Breakfast", "Fireplace",
    "Pets allowed", "Dedicated workspace", "Hair dryer", "Iron", "Smoke alarm",
    "Elevator", "EV charger",
]

PLACE_KINDS = ["Loft", "Cottage", "Apartment", "Studio", "Cabin", "Bungalow",
               "Townhouse", "Guest suite", "Farmhouse", "Villa", "Condo", "Tiny house"]
PLACE_ADJECTIVES = ["Cozy", "Sunny", "Quiet", "Charming", "Modern", "Rustic", "Bright",
                    "Spacious", "Historic", "Lakeside", "Garden", "Downtown", "Hilltop"]
DESCRIPTION_BITS = [
    "Walking distance to cafes and the farmers market.",
    "Fully equipped kitchen and a large dining table.",
    "Private entrance and free street parking.",
    "Fast internet, perfect for remote work.",
    "A short drive from hiking trails and the lake.",
    "Fresh linens, towels and coffee provided.",
    "Quiet neighborhood; no parties please.",
    "The patio gets the morning sun.",
    "Kids and pets are welcome.",
    "Self check-in with a keypad.",
]
REVIEW_BITS = [
    "Great location and a very responsive host.",
    "Spotless, exactly as pictured.",
    "The bed was comfortable and the street was quiet.",
    "Check-in was easy; we would stay again.",
    "A bit noisy at night but great value.",
    "Loved the kitchen and the view from the porch.",
    "The host left great local tips.",
    "Smaller than expected, but clean and cozy.",
]

EPOCH = datetime(2024, 1, 1)


class Generator:
    """Deterministic records (dicts of attribute -> value) for N places."""

    def __init__(self, places: int, seed: int) -> None:
        self.places = places
        self.rng = random.Random(f"hbnb-seed:{seed}")

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def stamps(self) -> dict[str, datetime]:
        created = EPOCH + timedelta(seconds=self.rng.randrange(365 * 86400),
                                    microseconds=self.rng.randrange(1_000_000))
        updated = created + timedelta(seconds=self.rng.randrange(30 * 86400))
        return {"created_at": created, "updated_at": updated}

    def password_hash(self) -> str:
        """werkzeug's pbkdf2:sha256 format, with a salt drawn from the seed."""
        from werkzeug.security import DEFAULT_PBKDF2_ITERATIONS

        alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        salt = "".join(self.rng.choice(alphabet) for _ in range(16))
        digest = hashlib.pbkdf2_hmac("sha256", SEED_PASSWORD.encode(), salt.encode(),
                                     DEFAULT_PBKDF2_ITERATIONS).hex()
        return f"pbkdf2:sha256:{DEFAULT_PBKDF2_ITERATIONS}${salt}${digest}"

    def generate(self) -> dict[str, list[dict[str, Any]]]:
        rng = self.rng
        data: dict[str, list[dict[str, Any]]] = {
            "State": [], "City": [], "User": [], "Amenity": [], "Place": [],
            "Review": [], "place_amenity": []}
        states = []
        for name, *_cities in STATES:
            record = {"id": self.new_id(), "name": name, **self.stamps()}
            data["State"].append(record)
            states.append((record, list(_cities), set()))

        for _ in range(max(1, self.places // 20)):
            state, real, used = rng.choice(states)
            name = real.pop(0) if real else self._town(used)
            used.add(name)
            data["City"].append({"id": self.new_id(), "state_id": state["id"],
                                 "name": name, **self.stamps()})

        password = self.password_hash()
        for number in range(max(1, self.places // 10)):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            data["User"].append({
                "id": self.new_id(), "first_name": first, "last_name": last,
                "email": f"{first}.{last}{number}@example.com".lower(),
                "_password": password, **self.stamps()})

        for name in AMENITIES:
            data["Amenity"].append({"id": self.new_id(), "name": name, **self.stamps()})

        for _ in range(self.places):
            city = rng.choice(data["City"])
            rooms = rng.randint(1, 6)
            place = {
                "id": self.new_id(), "city_id": city["id"],
                "user_id": rng.choice(data["User"])["id"],
                "name": f"{rng.choice(PLACE_ADJECTIVES)} {rng.choice(PLACE_KINDS)}"
                        f" in {city['name']}",
                "description": " ".join(rng.sample(DESCRIPTION_BITS, rng.randint(1, 4))),
                "number_rooms": rooms,
                "number_bathrooms": rng.randint(1, max(1, rooms - 1)),
                "max_guest": rooms * 2 + rng.randint(0, 2),
                "price_by_night": rng.randrange(40, 600, 5),
                "latitude": round(rng.uniform(25.0, 49.0), 6),
                "longitude": round(rng.uniform(-124.0, -67.0), 6),
                **self.stamps()}
            data["Place"].append(place)
            for amenity in rng.sample(data["Amenity"], rng.randint(0, 5)):
                data["place_amenity"].append(
                    {"place_id": place["id"], "amenity_id": amenity["id"]})
            for _ in range(rng.randint(0, 4)):
                data["Review"].append({
                    "id": self.new_id(), "place_id": place["id"],
                    "user_id": rng.choice(data["User"])["id"],
                    "text": " ".join(rng.sample(REVIEW_BITS, rng.randint(1, 3))),
                    **self.stamps()})
        return data

    def _town(self, used: set[str]) -> str:
        for _ in range(50):
            name = self.rng.choice(TOWN_PREFIXES) + self.rng.choice(TOWNS)
            if name not in used:
                return name
        return f"{self.rng.choice(TOWNS)} {len(used)}"


def generate(places: int, seed: int = 1) -> dict[str, list[dict[str, Any]]]:
    """The records seed() writes: {"State": [...], ..., "place_amenity": [...]}."""
    if places < 0:
        raise ValueError("places must be >= 0")
    return Generator(places, seed).generate()


# Parents before children, as the foreign keys require.
ORDER = ("State", "City", "User", "Amenity", "Place", "Review")


def write(storage: Any, data: dict[str, list[dict[str, Any]]]) -> None:
    """Store generated records in one transaction (db) or one save() (file)."""
    import models

    if models.storage_t == "db" and storage is models.storage:
        from sqlalchemy import insert

        session = storage.session
        try:
            for name in ORDER:
                if data[name]:
                    session.execute(insert(models.classes[name]), data[name])
            if data["place_amenity"]:
                session.execute(insert(models.place_amenity), data["place_amenity"])
            session.commit()
        except BaseException:
            session.rollback()
            raise
        return
    objects: dict[str, Any] = {}
    for name in ORDER:
        cls = models.classes[name]
        for record in data[name]:
            fields = dict(record)
            password = fields.pop("_password", None)
            obj = cls(**fields)
            if password is not None:
                obj.set_password_hash(password)
            objects[obj.id] = obj
            storage.new(obj)
    for link in data["place_amenity"]:
        objects[link["place_id"]].amenities.append(objects[link["amenity_id"]])
    storage.save()


def seed(places: int, seed_value: int = 1, reset: bool = False, storage: Any = None) -> dict:
    """Seed storage (models.storage by default); returns the counts written,
    or {} when the storage was not empty and reset was not asked."""
    import models

    storage = storage or models.storage
    if reset:
        storage.truncate()
    elif storage.count() > 0:
        return {}
    data = generate(places, seed_value)
    write(storage, data)
    storage.close()
    return {name: len(records) for name, records in data.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 -m models.seed", description=__doc__.split("\n\n")[0])
    parser.add_argument("--places", type=int, required=True, help="number of places")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--reset", action="store_true",
                        help="empty the storage first (otherwise a non-empty one is kept)")
    args = parser.parse_args(argv)
    if args.places < 0:
        parser.error("--places must be >= 0")

    import models

    started = time.monotonic()
    written = seed(args.places, args.seed, args.reset)
    if not written:
        print(f"seed: {models.storage_t} storage already holds "
              f"{models.storage.count()} objects; nothing written (--reset replaces them)")
        return 0
    print(f"seed: wrote to {models.storage_t} storage (seed {args.seed}) in "
          f"{time.monotonic() - started:.1f}s: "
          f"{written['State']} states, {written['City']} cities, {written['User']} users, "
          f"{written['Amenity']} amenities, {written['Place']} places "
          f"({written['place_amenity']} amenity links), {written['Review']} reviews; "
          f"user password: {SEED_PASSWORD}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
