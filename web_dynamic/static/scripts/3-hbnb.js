/* Version 3: version 2, plus the places loaded from POST /api/v1/places_search/. */
$(function () {
  hbnb.amenityFilter();
  hbnb.apiStatus();
  hbnb.places();
});
