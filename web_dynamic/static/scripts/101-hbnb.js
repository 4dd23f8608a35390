/* Version 101: version 100, plus each place's reviews, shown on demand. */
$(function () {
  const amenities = hbnb.amenityFilter();
  const locations = hbnb.locationFilter();
  hbnb.apiStatus();
  const search = hbnb.places({ reviews: true });
  hbnb.searchButton(() => ({
    amenities: amenities.ids('amenity'),
    states: locations.ids('state'),
    cities: locations.ids('city')
  }), search);
});
