/* Version 100: version 4, plus the checked states and cities in the search. */
$(function () {
  const amenities = hbnb.amenityFilter();
  const locations = hbnb.locationFilter();
  hbnb.apiStatus();
  const search = hbnb.places();
  hbnb.searchButton(() => ({
    amenities: amenities.ids('amenity'),
    states: locations.ids('state'),
    cities: locations.ids('city')
  }), search);
});
