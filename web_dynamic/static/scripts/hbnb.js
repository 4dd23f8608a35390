/* The HBNB page's features, shared by every version's script (N-hbnb.js picks
 * the ones its version has). The API is called by a URL relative to the page's
 * origin (API below): the page works through Nginx and the load balancer on any
 * address, never at a fixed host and port. Text from the API is inserted with
 * jQuery's .text(), never as HTML. */
window.hbnb = (function ($) {
  'use strict';

  const API = '/api/v1';
  const NBSP = '\u00a0';

  /* Tracks the checkboxes of the given kinds (data-kind="amenity", "state",
   * "city") and shows the checked names in $heading, in the order checked.
   * Returns ids(kind): the checked ids of one kind. */
  function checkedFilter (kinds, $heading) {
    const checked = new Map(); // id -> {kind, name}
    const selector = kinds.map(kind => 'input[type="checkbox"][data-kind="' + kind + '"]');
    $(selector.join(', ')).on('change', function () {
      const $box = $(this);
      if (this.checked) {
        checked.set($box.attr('data-id'), { kind: $box.attr('data-kind'), name: $box.attr('data-name') });
      } else {
        checked.delete($box.attr('data-id'));
      }
      const names = Array.from(checked.values(), item => item.name);
      $heading.text(names.join(', ') || NBSP);
    });
    return {
      ids: kind => Array.from(checked).filter(([, item]) => item.kind === kind).map(([id]) => id)
    };
  }

  /* Version 1: amenity checkboxes, listed under "Amenities". */
  function amenityFilter () {
    return checkedFilter(['amenity'], $('.filters .amenities > h4'));
  }

  /* Version 100: state and city checkboxes, listed under "States". */
  function locationFilter () {
    return checkedFilter(['state', 'city'], $('.filters .locations > h4'));
  }

  /* Version 2: the badge gets the "available" class while the API answers OK. */
  function apiStatus () {
    const $badge = $('#api_status');
    $.getJSON(API + '/status/')
      .done(data => $badge.toggleClass('available', Boolean(data) && data.status === 'OK'))
      .fail(() => $badge.removeClass('available'));
  }

  function plural (n, word) {
    return n + ' ' + word + (n === 1 ? '' : 's');
  }

  const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July',
    'August', 'September', 'October', 'November', 'December'];

  /* "6th September 2017" from an ISO-8601 timestamp. */
  function longDate (iso) {
    const date = new Date(iso);
    const day = date.getDate();
    const suffix = (day % 100 >= 11 && day % 100 <= 13) ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' }[day % 10] || 'th');
    return day + suffix + ' ' + MONTHS[date.getMonth()] + ' ' + date.getFullYear();
  }

  /* Users' names, asked once per user id. */
  const users = new Map();
  function userName (userId) {
    if (!users.has(userId)) {
      users.set(userId, $.getJSON(API + '/users/' + encodeURIComponent(userId))
        .then(user => (user.first_name || '') + ' ' + (user.last_name || ''),
          () => 'an unknown user'));
    }
    return users.get(userId);
  }

  /* Version 101: a "Reviews" block whose toggle shows or hides the reviews. */
  function reviewsBlock (place) {
    const $list = $('<ul>');
    const $toggle = $('<span class="toggle" role="button" tabindex="0">').text('show');
    $toggle.on('click', function () {
      if ($toggle.text() === 'hide') {
        $list.empty();
        $toggle.text('show');
        return;
      }
      $.getJSON(API + '/places/' + encodeURIComponent(place.id) + '/reviews')
        .done(function (reviews) {
          reviews.sort((a, b) => a.created_at.localeCompare(b.created_at));
          $list.empty().append(reviews.map(function (review) {
            const $heading = $('<h3>');
            userName(review.user_id).then(name =>
              $heading.text('From ' + name.trim() + ' the ' + longDate(review.created_at)));
            return $('<li>').append($heading, $('<p>').text(review.text));
          }));
          if (!reviews.length) $list.append($('<li>').text('No review yet.'));
          $toggle.text('hide');
        })
        .fail(() => $list.empty().append($('<li class="error">').text('Could not load the reviews.')));
    });
    $toggle.on('keydown', function (event) { // a keyboard user's Enter or Space
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        $toggle.trigger('click');
      }
    });
    return $('<div class="reviews">').append($('<h2>').text('Reviews ').append($toggle), $list);
  }

  function placeArticle (place, withReviews) {
    const $article = $('<article>').attr('data-id', place.id).append(
      $('<h2>').text(place.name),
      $('<div class="price_by_night">').text('$' + place.price_by_night),
      $('<div class="information">').append(
        $('<div class="max_guest">').text(plural(place.max_guest, 'Guest')),
        $('<div class="number_rooms">').text(plural(place.number_rooms, 'Bedroom')),
        $('<div class="number_bathrooms">').text(plural(place.number_bathrooms, 'Bathroom'))),
      $('<div class="description">').text(place.description || ''));
    if (withReviews) $article.append(reviewsBlock(place));
    return $article;
  }

  /* Version 3: the places come from POST /api/v1/places_search/. Loads them all
   * now and returns search(filters), which shows the places matching filters
   * ({states, cities, amenities}: lists of ids). Only the latest search's answer
   * is shown; the list is aria-busy while a search runs. */
  function places (options) {
    const withReviews = Boolean(options && options.reviews);
    const $list = $('section.places .list');
    let latest = 0;
    function search (filters) {
      const ticket = ++latest;
      $list.attr('aria-busy', 'true');
      return $.ajax({
        url: API + '/places_search/',
        type: 'POST',
        contentType: 'application/json',
        data: JSON.stringify(filters || {}),
        dataType: 'json'
      }).done(function (found) {
        if (ticket !== latest) return;
        found.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
        $list.empty().append(found.map(place => placeArticle(place, withReviews)));
      }).fail(function (xhr) {
        if (ticket !== latest) return;
        $list.empty().append($('<p class="error">').text('Could not load the places (HTTP ' + xhr.status + ').'));
      }).always(function () {
        if (ticket === latest) $list.attr('aria-busy', 'false');
      });
    }
    search({});
    return search;
  }

  /* Version 4: the Search button runs search(filters()). */
  function searchButton (filters, search) {
    $('section.filters > button').on('click', () => search(filters()));
  }

  return { amenityFilter, locationFilter, apiStatus, places, searchButton };
})(jQuery);
