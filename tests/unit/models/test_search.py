"""search_places: the places_search semantics of the spec."""
import pytest

from models.errors import ValidationError
from models.place import Place


def found(storage, **filters):
    return [place.name for place in storage.search_places(**filters)]


ALL = ["Place 1", "Place 2", "Place 3", "Place 4"]


@pytest.mark.parametrize("filters", [
    {}, {"states": [], "cities": [], "amenities": []},
    {"states": None, "cities": None, "amenities": None}])
def test_no_filter_gives_every_place(storage, world, filters):
    assert found(storage, **filters) == ALL


def test_states_give_the_places_of_all_their_cities(storage, world):
    assert found(storage, states=[world.s1.id]) == ["Place 1", "Place 2"]
    assert found(storage, states=[world.s2.id]) == ["Place 3", "Place 4"]
    assert found(storage, states=[world.s1.id, world.s2.id]) == ALL


def test_cities_give_their_places(storage, world):
    assert found(storage, cities=[world.c1.id]) == ["Place 1"]
    assert found(storage, cities=[world.c3.id, world.c2.id]) == ["Place 2", "Place 3", "Place 4"]


def test_cities_add_to_states_without_duplicates(storage, world):
    assert found(storage, states=[world.s1.id], cities=[world.c1.id]) == ["Place 1", "Place 2"]
    assert found(storage, states=[world.s2.id], cities=[world.c1.id]) == [
        "Place 1", "Place 3", "Place 4"]
    assert found(storage, states=[world.s1.id, world.s1.id]) == ["Place 1", "Place 2"]


def test_amenities_keep_places_having_all_of_them(storage, world):
    assert found(storage, amenities=[world.wifi.id]) == ["Place 1", "Place 2"]
    assert found(storage, amenities=[world.pool.id]) == ["Place 1", "Place 3"]
    assert found(storage, amenities=[world.wifi.id, world.pool.id]) == ["Place 1"]
    assert found(storage, amenities=[world.wifi.id, world.pool.id, world.wifi.id]) == ["Place 1"]
    assert found(storage, amenities=[world.tv.id]) == []


def test_amenities_filter_the_state_and_city_selection(storage, world):
    assert found(storage, states=[world.s2.id], amenities=[world.pool.id]) == ["Place 3"]
    assert found(storage, cities=[world.c2.id], amenities=[world.pool.id]) == []
    assert found(storage, states=[world.s1.id], cities=[world.c3.id],
                 amenities=[world.pool.id]) == ["Place 1", "Place 3"]


def test_unknown_ids_match_nothing(storage, world):
    assert found(storage, states=["nope"]) == []
    assert found(storage, cities=["nope"], states=[world.s2.id]) == ["Place 3", "Place 4"]
    assert found(storage, amenities=[world.wifi.id, "nope"]) == []


@pytest.mark.parametrize("filters", [
    {"states": "abc"}, {"cities": [1, 2]}, {"amenities": {"a": 1}}, {"states": [None]}])
def test_malformed_filters_are_validation_errors(storage, world, filters):
    with pytest.raises(ValidationError):
        storage.search_places(**filters)


def test_results_are_places_with_their_amenities(storage, world):
    storage.close()
    places = storage.search_places(amenities=[world.wifi.id], with_amenities=True)
    assert all(isinstance(place, Place) for place in places)
    assert sorted(a.name for a in places[0].amenities) == ["Pool", "Wifi"]
    assert places[0].to_dict()["city_id"] == world.c1.id


def test_results_are_sorted_by_name(storage, world):
    world.p1.name = "Zed"
    world.p1.save()
    assert found(storage) == ["Place 2", "Place 3", "Place 4", "Zed"]


def test_search_sees_new_links(storage, world):
    storage.link_amenity(world.p4, world.pool)
    assert found(storage, amenities=[world.pool.id]) == ["Place 1", "Place 3", "Place 4"]
    storage.unlink_amenity(world.p1, world.pool)
    assert found(storage, amenities=[world.pool.id]) == ["Place 3", "Place 4"]


def test_sort_order_is_the_same_on_both_engines(storage, world):
    """By code point, as Python sorts: capitals before small letters."""
    for place, name in ((world.p1, "apple"), (world.p2, "Zebra"), (world.p3, "Éclair"),
                        (world.p4, "Apple")):
        place.name = name
        place.save()
    assert found(storage) == sorted(["apple", "Zebra", "Éclair", "Apple"])
    assert found(storage) == ["Apple", "Zebra", "apple", "Éclair"]
