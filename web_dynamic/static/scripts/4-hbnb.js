/* Version 4: version 3, plus the Search button filtering by the checked amenities. */
$(function () {
  const amenities = hbnb.amenityFilter();
  hbnb.apiStatus();
  const search = hbnb.places();
  hbnb.searchButton(() => ({ amenities: amenities.ids('amenity') }), search);
});
