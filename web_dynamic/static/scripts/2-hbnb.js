/* Version 2: version 1, plus the API status badge. */
$(function () {
  hbnb.amenityFilter();
  hbnb.apiStatus();
});
