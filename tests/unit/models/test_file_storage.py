"""FileStorage itself, on a file of its own (runs in both engine runs)."""
import json
import os
import stat

import pytest

import models
from models.amenity import Amenity
from models.city import City
from models.engine.file_storage import FileStorage
from models.errors import StorageError
from models.place import Place
from models.state import State
from models.user import User


@pytest.fixture
def path(tmp_path):
    return tmp_path / "file.json"


@pytest.fixture
def fs(path):
    store = FileStorage(str(path))
    store.reload()
    return store


def fill(fs, password_hash):
    state = State(name="Texas")
    city = City(name="Austin", state_id=state.id)
    user = User(email="u@example.com")
    user.set_password_hash(password_hash)
    place = Place(name="Loft", city_id=city.id, user_id=user.id, latitude=30.25)
    wifi = Amenity(name="Wifi")
    for obj in (state, city, user, place, wifi):
        fs.new(obj)
    fs.save()
    fs.link_amenity(place, wifi)
    return state, city, user, place, wifi


def test_path_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("HBNB_FILE_STORAGE_PATH", str(tmp_path / "x.json"))
    assert FileStorage().path == str(tmp_path / "x.json")
    monkeypatch.delenv("HBNB_FILE_STORAGE_PATH")
    assert FileStorage().path == "file.json"


def test_missing_file_is_empty_storage(fs, path):
    assert not path.exists()
    assert fs.all() == {} and fs.count() == 0


def test_file_holds_class_dot_id_records(fs, path, password_hash):
    state, city, user, place, wifi = fill(fs, password_hash)
    data = json.loads(path.read_text())
    assert set(data) == {f"State.{state.id}", f"City.{city.id}", f"User.{user.id}",
                         f"Place.{place.id}", f"Amenity.{wifi.id}"}
    assert data[f"State.{state.id}"] == {**state.to_dict()}
    assert data[f"User.{user.id}"]["password"] == password_hash  # the hash, never plain
    assert data[f"Place.{place.id}"]["amenity_ids"] == [wifi.id]
    assert data[f"City.{city.id}"]["__class__"] == "City"


def test_reload_rebuilds_objects_and_links(fs, path, password_hash):
    state, city, user, place, wifi = fill(fs, password_hash)
    other = FileStorage(str(path))
    other.reload()
    assert {k: o.to_dict() for k, o in other.all().items()} == {
        k: o.to_dict() for k, o in fs.all().items()}
    again = other.get(State, state.id)
    assert again is not state
    assert [c.name for c in again.cities] == ["Austin"]
    assert again.cities[0].places[0].user.email == "u@example.com"
    assert [a.name for a in other.amenities_of(place)] == ["Wifi"]
    assert other.get(User, user.id).password == password_hash  # not hashed again
    assert other.get(User, user.id).check_password("secret")


def test_close_picks_up_another_writer(fs, path, password_hash):
    fill(fs, password_hash)
    reader = FileStorage(str(path))
    reader.reload()
    assert reader.count(State) == 1
    State(name="Utah")  # not stored: no effect
    fs.new(State(name="Utah"))
    fs.save()
    assert reader.count(State) == 1
    reader.close()
    assert reader.count(State) == 2


def test_close_without_change_keeps_the_same_objects(fs, password_hash):
    state = fill(fs, password_hash)[0]
    fs.close()
    assert fs.get(State, state.id) is state


def test_write_is_atomic_and_leaves_no_temporary_file(fs, path, monkeypatch, password_hash):
    fill(fs, password_hash)
    before = path.read_bytes()

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    fs.new(State(name="Lost"))
    with pytest.raises(StorageError, match="No space left"):
        fs.save()
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert os.listdir(path.parent) == ["file.json"]
    assert fs.count(State) == 1  # memory went back to the file


def test_permissions_of_the_file_are_kept(fs, path, password_hash):
    fill(fs, password_hash)
    os.chmod(path, 0o640)
    fs.new(State(name="Utah"))
    fs.save()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640


@pytest.mark.parametrize("content, message", [
    ("{not json", "cannot read"),
    ("[1, 2]", "not a JSON object"),
    ('{"Spaceship.1": {"id": "1", "__class__": "Spaceship"}}', "unknown class"),
    ('{"State.1": {"id": "1", "name": "x", "created_at": "soon", "__class__": "State"}}',
     "invalid timestamp"),
])
def test_corrupt_file_is_a_storage_error_naming_it(path, content, message):
    path.write_text(content)
    with pytest.raises(StorageError, match=message) as error:
        FileStorage(str(path)).reload()
    assert str(path) in str(error.value)


def test_unknown_parent_refused_and_file_untouched(fs, path, password_hash):
    fill(fs, password_hash)
    before = path.read_bytes()
    fs.new(City(name="Nowhere", state_id="missing"))
    with pytest.raises(StorageError, match="no such State"):
        fs.save()
    assert path.read_bytes() == before
    assert fs.count(City) == 1


def test_delete_cascades_in_memory_and_on_disk(fs, path, password_hash):
    state, city, user, place, wifi = fill(fs, password_hash)
    fs.delete(state)
    fs.save()
    data = json.loads(path.read_text())
    assert sorted(key.split(".")[0] for key in data) == ["Amenity", "User"]
    assert wifi.places == []


def test_truncate_writes_an_empty_file(fs, path, password_hash):
    fill(fs, password_hash)
    fs.truncate()
    assert json.loads(path.read_text()) == {}
    assert fs.count() == 0


def test_the_configured_file_engine_uses_the_test_path():
    if models.storage_t != "file":
        pytest.skip("file engine only")
    assert models.storage.path == os.environ["HBNB_FILE_STORAGE_PATH"]
    assert not os.path.samefile(os.path.dirname(os.path.abspath(models.storage.path)),
                                os.getcwd())
