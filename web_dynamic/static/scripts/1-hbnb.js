/* Version 1: the checked amenities are listed in the amenities filter. */
$(function () {
  hbnb.amenityFilter();
});
