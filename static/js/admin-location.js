// The location map on the admin's entry form (EntryAdmin). A marker stands at the latitude
// and longitude in the form; clicking the map or dragging the marker moves it and writes the
// new numbers back, and typing new numbers moves the marker. The tile server and labels come
// from the page's "admin-map-config" (settings.LEAFLET_CONFIG), so this file names none.
(function () {
  "use strict";

  const DECIMALS = 6;

  function readPoint(latitudeInput, longitudeInput) {
    const latitude = Number.parseFloat(latitudeInput.value);
    const longitude = Number.parseFloat(longitudeInput.value);
    const valid =
      Number.isFinite(latitude) &&
      Number.isFinite(longitude) &&
      Math.abs(latitude) <= 90 &&
      Math.abs(longitude) <= 180;
    return valid ? L.latLng(latitude, longitude) : null;
  }

  function rounded(value) {
    return String(Number(value.toFixed(DECIMALS)));
  }

  function start() {
    const configElement = document.getElementById("admin-map-config");
    const latitudeInput = document.getElementById("id_latitude");
    const longitudeInput = document.getElementById("id_longitude");
    // The history pages share this admin's scripts but have no map settings: no map there.
    if (!configElement || !latitudeInput || !longitudeInput || !window.L) {
      return;
    }
    const config = JSON.parse(configElement.textContent);

    const container = document.createElement("div");
    container.className = "admin-location-map";
    container.setAttribute("role", "region");
    container.setAttribute("aria-label", config.mapLabel);
    const row = latitudeInput.closest(".form-row") || latitudeInput.parentElement;
    row.after(container);

    // The page scrolls over the map; zooming is for the buttons and the keyboard.
    const map = L.map(container, { scrollWheelZoom: false });
    L.tileLayer(config.tileUrl, {
      attribution: config.attribution,
      maxZoom: config.maxZoom,
    }).addTo(map);

    let marker = null;

    function placeMarker(point) {
      if (marker) {
        marker.setLatLng(point);
        return;
      }
      marker = L.marker(point, {
        draggable: true,
        title: config.markerLabel,
        alt: config.markerLabel,
      }).addTo(map);
      marker.on("dragend", function () {
        moveTo(marker.getLatLng());
      });
    }

    function moveTo(latlng) {
      const point = latlng.wrap(); // a click on a repeated world still means -180..180
      latitudeInput.value = rounded(point.lat);
      longitudeInput.value = rounded(point.lng);
      placeMarker(L.latLng(Number(latitudeInput.value), Number(longitudeInput.value)));
    }

    map.on("click", function (event) {
      moveTo(event.latlng);
    });

    for (const input of [latitudeInput, longitudeInput]) {
      input.addEventListener("change", function () {
        const point = readPoint(latitudeInput, longitudeInput);
        if (point) {
          placeMarker(point);
          map.panTo(point);
        }
      });
    }

    const point = readPoint(latitudeInput, longitudeInput);
    if (point) {
      placeMarker(point);
      map.setView(point, config.focusedZoom);
    } else {
      map.setView(config.center, config.zoom);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
