/* The join form's place picker: type a town or postcode and choose from the candidates, or
 * click the map or drag the pin. Without JavaScript the typed place alone is enough: the
 * server looks it up. The map is made by static/js/leaflet-map.js. */
(function () {
  "use strict";

  var picker, map, marker, placeInput, latitudeInput, longitudeInput, candidates;

  function text(name) {
    return picker.dataset[name] || "";
  }

  function setPoint(latitude, longitude) {
    latitudeInput.value = latitude.toFixed(6);
    longitudeInput.value = longitude.toFixed(6);
    var point = [latitude, longitude];
    if (marker) {
      marker.setLatLng(point);
    } else {
      marker = L.marker(point, { draggable: true, keyboard: false, title: text("pinTitle") });
      marker.on("dragend", function () {
        var moved = marker.getLatLng();
        setPoint(moved.lat, moved.lng);
        nameNearest(moved.lat, moved.lng);
      });
      marker.addTo(map);
    }
    map.setView(point, Math.max(map.getZoom(), 12));
  }

  function clearPoint() {
    latitudeInput.value = "";
    longitudeInput.value = "";
  }

  function fetchPlaces(params) {
    return fetch(picker.dataset.placesUrl + "?" + new URLSearchParams(params).toString())
      .then(function (response) {
        if (!response.ok) throw new Error("places: " + response.status);
        return response.json();
      });
  }

  /* A click or a drag names the place after the nearest town, if there is one. */
  function nameNearest(latitude, longitude) {
    fetchPlaces({ lat: latitude.toFixed(6), lng: longitude.toFixed(6) }).then(function (answer) {
      placeInput.value = answer.places.length ? answer.places[0].name : text("msgPoint");
      say(answer.places.length ? text("msgPicked") + " " + answer.places[0].label : text("msgPoint"));
    });
  }

  function say(message) {
    candidates.textContent = "";
    var line = document.createElement("p");
    line.textContent = message;
    candidates.appendChild(line);
  }

  function showCandidates(places, help) {
    candidates.textContent = "";
    if (!places.length) {
      say(help);
      return;
    }
    var intro = document.createElement("p");
    // A postcode cut short is looked up as its district, and the note says so.
    intro.textContent = (places[0].note ? places[0].note + " " : "") + text("msgChoose");
    var list = document.createElement("ul");
    list.className = "place-picker__list";
    places.forEach(function (place) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button--secondary button--small";
      button.textContent = place.label;
      button.addEventListener("click", function () {
        placeInput.value = place.name;
        setPoint(place.latitude, place.longitude);
        say(text("msgPicked") + " " + place.label);
        placeInput.focus();
      });
      item.appendChild(button);
      list.appendChild(item);
    });
    candidates.append(intro, list);
    list.querySelector("button").focus();
  }

  function find() {
    var query = placeInput.value.trim();
    if (!query) {
      say(text("msgEmpty"));
      return;
    }
    fetchPlaces({ q: query }).then(function (answer) {
      showCandidates(answer.places, answer.help);
    });
  }

  function init(leafletMap) {
    map = leafletMap;
    picker = document.querySelector(".place-picker");
    placeInput = document.getElementById("id_place_name");
    latitudeInput = document.getElementById("id_latitude");
    longitudeInput = document.getElementById("id_longitude");
    candidates = picker.querySelector(".place-picker__candidates");
    picker.querySelector(".place-picker__js").hidden = false;
    map.invalidateSize();

    if (latitudeInput.value && longitudeInput.value) {
      setPoint(parseFloat(latitudeInput.value), parseFloat(longitudeInput.value));
    } else {
      map.setView([54.5, -3.0], 5);
    }
    map.on("click", function (event) {
      setPoint(event.latlng.lat, event.latlng.lng);
      nameNearest(event.latlng.lat, event.latlng.lng);
    });
    picker.querySelector(".place-picker__find").addEventListener("click", find);
    placeInput.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();  // look the place up rather than send the form
        find();
      }
    });
    // Typing a new place forgets the old point, so the server looks up what was typed.
    placeInput.addEventListener("input", clearPoint);
    window.relmapPlacePicker.map = map;
  }

  window.relmapPlacePicker = {};
  init(window.relmapLeafletMap(document.getElementById("place-map")));
})();
