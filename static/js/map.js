/* Relationships Map: the directory map, its live list and filters, the home page teaser,
 * the embeddable map and the small map on a profile or story. Each map is an element with
 * data-map naming its kind; static/js/leaflet-map.js makes it from LEAFLET_CONFIG and one of
 * the functions below fills it. Settings come from json_script. */
(function () {
  "use strict";

  // Styles hide the map panel until a script can run it (the list works without).
  document.documentElement.classList.add("js");

  function readConfig(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : {};
  }

  var KINDS = { p: "practitioner", o: "organisation", m: "mixed" };
  var renders = 0;

  /* The packed marker data from /map/data.json (see directory/mapdata/wire.py) as points for
   * Supercluster: each coordinate is the difference from the previous point's. */
  function unpack(payload) {
    var points = new Array(payload.counts.length);
    var lat = 0;
    var lng = 0;
    for (var i = 0; i < points.length; i++) {
      lat += payload.lat[i];
      lng += payload.lng[i];
      points[i] = {
        type: "Feature",
        properties: { kind: KINDS[payload.kinds[i]], count: payload.counts[i] },
        geometry: { type: "Point", coordinates: [lng / payload.scale, lat / payload.scale] },
      };
    }
    return points;
  }

  function clusterIcon(count) {
    var size = count < 10 ? "small" : count < 100 ? "medium" : count < 1000 ? "large" : "huge";
    var label = count >= 10000 ? Math.round(count / 1000) + "k" : String(count);
    return L.divIcon({
      html: "<span>" + label + "</span>",
      className: "map-cluster map-cluster--" + size,
      iconSize: null,
    });
  }

  // Shape, not only colour, tells the kinds apart: a round pin for a person, a square for
  // an organisation (the legend on the page says so).
  function entryIcon(kind, count) {
    return L.divIcon({
      html: count > 1 ? "<span>" + count + "</span>" : "<span></span>",
      className: "map-marker map-marker--" + kind,
      iconSize: [22, 22],
      iconAnchor: [11, 11],
      popupAnchor: [0, -12],
    });
  }

  function popupContent(answer, options) {
    var box = document.createElement("div");
    box.className = "map-popup";
    answer.entries.forEach(function (entry) {
      box.appendChild(entryContent(entry, options));
    });
    if (answer.total > answer.entries.length) {
      var more = document.createElement("p");
      more.textContent = options.messages.more.replace(
        "%(count)s", String(answer.total - answer.entries.length)
      );
      box.appendChild(more);
    }
    return box;
  }

  function entryContent(entry, options) {
    var box = document.createElement("div");
    box.className = "map-popup__entry";
    var kind = document.createElement("p");
    kind.className = "map-popup__kind";
    kind.textContent = entry.kind_label + (entry.place ? " · " + entry.place : "");
    var title = document.createElement("h3");
    var link = document.createElement("a");
    link.href = entry.url;
    link.textContent = entry.name;
    if (options.linkTarget) {
      link.target = options.linkTarget;
      link.rel = "noopener";
    }
    title.appendChild(link);
    var summary = document.createElement("p");
    summary.textContent = entry.summary;
    box.append(title, kind, summary);
    return box;
  }

  /* Clustered markers for all the points, redrawn for the view on every move. */
  function ClusterLayer(map, options) {
    this.map = map;
    this.options = options;
    this.layer = L.layerGroup().addTo(map);
    this.index = null;
    map.on("moveend", this.redraw, this);
  }

  ClusterLayer.prototype.setPoints = function (points, query) {
    this.query = query;
    this.index = new Supercluster({
      radius: 60,
      maxZoom: 16,
      map: function (props) { return { count: props.count }; },
      reduce: function (sum, props) { sum.count += props.count; },
    }).load(points);
    this.points = points;
    this.redraw();
  };

  ClusterLayer.prototype.redraw = function () {
    if (!this.index) return;
    var bounds = this.map.getBounds();
    var zoom = this.map.getZoom();
    var clusters = this.index.getClusters(
      [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()],
      Math.round(zoom)
    );
    var self = this;
    this.layer.clearLayers();
    clusters.forEach(function (feature) {
      var lng = feature.geometry.coordinates[0];
      var lat = feature.geometry.coordinates[1];
      var marker;
      if (feature.properties.cluster) {
        marker = L.marker([lat, lng], {
          icon: clusterIcon(feature.properties.count),
          keyboard: false,
        });
        marker.on("click", function () {
          var expansionZoom = self.index.getClusterExpansionZoom(feature.properties.cluster_id);
          self.map.setView([lat, lng], Math.min(expansionZoom, 18));
        });
      } else {
        marker = L.marker([lat, lng], {
          icon: entryIcon(feature.properties.kind, feature.properties.count),
          keyboard: false,
        });
        marker.on("click", function () {
          self.openPopup(marker, lat, lng);
        });
      }
      self.layer.addLayer(marker);
    });
    // Tests and benchmarks watch this to know a redraw has happened.
    renders += 1;
    document.documentElement.dataset.mapRenders = String(renders);
  };

  ClusterLayer.prototype.openPopup = function (marker, lat, lng) {
    var options = this.options;
    var map = this.map;
    var params = new URLSearchParams(this.query || "");
    params.set("point_lat", lat);
    params.set("point_lng", lng);
    fetch(options.pointUrl + "?" + params.toString())
      .then(function (response) {
        if (!response.ok) throw new Error("point: " + response.status);
        return response.json();
      })
      .then(function (answer) {
        if (!answer.entries.length) throw new Error("nothing public here");
        // On the map, not the marker: a redraw after the popup pans the map would
        // remove the marker and close a popup bound to it.
        L.popup({ maxHeight: 320, offset: [0, -10] })
          .setLatLng(marker.getLatLng())
          .setContent(popupContent(answer, options))
          .openOn(map);
      })
      .catch(function () {
        L.popup().setLatLng(marker.getLatLng()).setContent(options.messages.unavailable).openOn(map);
      });
  };

  /* Other apps' layers (settings.MAP_OVERLAYS), e.g. the stories: GeoJSON points whose
   * properties have a title, a summary and a url, shown with their own marker and listed
   * in a control that switches each on and off. */
  function addOverlays(map, options) {
    if (!options.overlays || !options.overlays.length) return;
    var control = L.control.layers(null, {}, { collapsed: false, position: "topright" }).addTo(map);
    options.overlays.forEach(function (overlay) {
      fetch(overlay.url, { headers: { Accept: "application/geo+json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(overlay.url + ": " + response.status);
          return response.json();
        })
        .then(function (geojson) {
          var layer = L.geoJSON(geojson, {
            pointToLayer: function (feature, latlng) {
              return L.marker(latlng, {
                icon: L.divIcon({
                  html: "<span></span>",
                  className: "map-marker map-marker--" + overlay.kind,
                  iconSize: [26, 26],
                  iconAnchor: [13, 13],
                  popupAnchor: [0, -14],
                }),
                keyboard: false,
                zIndexOffset: 1000,
              });
            },
            onEachFeature: function (feature, marker) {
              marker.bindPopup(function () {
                return entryContent(
                  { name: feature.properties.title, url: feature.properties.url,
                    summary: feature.properties.summary, kind_label: overlay.label },
                  options
                );
              });
            },
          }).addTo(map);
          control.addOverlay(layer, overlay.label);
        })
        .catch(function () {});
    });
  }

  function loadPoints(url, query) {
    return fetch(url + (query ? "?" + query : ""), { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("map data: " + response.status);
        return response.json();
      })
      .then(unpack);
  }

  function fitToPoints(map, points) {
    if (!points.length) return;
    var bounds = L.latLngBounds(
      points.map(function (p) {
        return [p.geometry.coordinates[1], p.geometry.coordinates[0]];
      })
    );
    map.fitBounds(bounds.pad(0.1), { maxZoom: 12, animate: false });
  }

  /* Filters in the URL: the form's non-empty fields, in the query string. */
  function queryFromForm(form) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (String(value).trim() !== "") params.append(name, value);
    });
    return params.toString();
  }

  function fillForm(form, query) {
    var params = new URLSearchParams(query);
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name) return;
      if (field.type === "checkbox") {
        field.checked = params.get(field.name) === field.value;
        return;
      }
      field.value = params.get(field.name) || (field.tagName === "SELECT" ? field.options[0].value : "");
    });
  }

  function debounce(fn, wait) {
    var timer;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, wait);
    };
  }

  /* The filters panel, a <details> that opens without JavaScript too. On a phone it folds so
   * that the search box and the map fill the first screen; on a wide screen its summary is
   * hidden and its fields always show (static/css/map.css), so it never needs closing there. */
  function filtersPanel(form) {
    var panel = form.querySelector(".filters__panel");
    var toggle = panel && panel.querySelector("summary");
    var count = panel && panel.querySelector(".filters__count");

    function close() {
      if (!panel || !panel.open || getComputedStyle(toggle).display === "none") return;
      panel.open = false;
      toggle.focus();  // focus must not stay on a field the panel now hides
    }

    if (panel) {
      panel.addEventListener("keydown", function (event) {
        if (event.key === "Escape") close();
      });
    }
    return {
      close: close,
      contains: function (element) { return Boolean(panel && element && panel.contains(element)); },
      setCount: function (number) {
        if (count) count.textContent = number ? " (" + number + ")" : "";
      },
    };
  }

  function initDirectoryMap(map) {
    var options = readConfig("map-config");
    var form = document.getElementById("map-filters");
    var panel = filtersPanel(form || document.createElement("form"));
    var results = document.getElementById("map-results");
    var announcement = document.getElementById("map-announcement");
    var clusters = new ClusterLayer(map, options);
    var query = window.location.search.replace(/^\?/, "");
    var announceNextList = false;

    /* The query without what only the page uses: the list's page and box, and whether
     * connections are drawn (static/js/connections.js). */
    function filterQuery() {
      var params = new URLSearchParams(query);
      params.delete("page");
      params.delete("bbox");
      params.delete("connections");
      return params.toString();
    }

    function listUrl(page) {
      var params = new URLSearchParams(filterQuery());
      params.set("bbox", map.getBounds().toBBoxString());
      if (page) params.set("page", page);
      return options.resultsUrl + "?" + params.toString();
    }

    /* Each list carries what the search found (directory/_search_summary.html): after a
     * search it is said beside the search box, where the person is looking, and the panel's
     * button counts the filters in use. */
    function showSearchSummary() {
      var summary = document.getElementById("map-search-summary");
      if (!summary) return;
      panel.setCount(Number(summary.dataset.filterCount));
      if (announceNextList && announcement) {
        announceNextList = false;
        announcement.replaceChildren(summary.content.cloneNode(true));
      }
    }

    var listRequests = 0;
    var listedUrl = null;
    var listing = Promise.resolve();

    /* The list for the filters and the part of the map in view. Fitting the map to new points
     * both asks for the list and moves the map, whose moveend asks again a moment later: a
     * request for the list already asked for is not sent twice. */
    function refreshList(page) {
      if (!results) return listing;
      var url = listUrl(page);
      if (url === listedUrl) return listing.then(showSearchSummary);
      listedUrl = url;
      var thisRequest = ++listRequests;  // a slower, older answer must not overwrite a newer one
      listing = fetch(url)
        .then(function (response) {
          if (!response.ok) throw new Error("results: " + response.status);
          return response.text();
        })
        .then(function (html) {
          if (thisRequest !== listRequests) return;
          results.innerHTML = html;  // our own server-rendered, escaped fragment
          showSearchSummary();
        })
        .catch(function () {
          if (thisRequest === listRequests) listedUrl = null;  // so that it can be asked again
        });
      return listing;
    }

    /* A place with nobody near it has no points to fit the map to: show the area searched. */
    function showSearchedArea() {
      var summary = document.getElementById("map-search-summary");
      if (!summary || !summary.dataset.latitude) return;
      var place = L.latLng(Number(summary.dataset.latitude), Number(summary.dataset.longitude));
      map.fitBounds(place.toBounds(Number(summary.dataset.radiusKm) * 2000), { animate: false });
      // Nothing matches anywhere around the place, so the empty list holds for this view too.
      listedUrl = listUrl();
    }

    function reload() {
      return loadPoints(options.dataUrl, filterQuery()).then(function (points) {
        clusters.setPoints(points, filterQuery());
        fitToPoints(map, points);
        return refreshList().then(function () {
          if (!points.length) showSearchedArea();
        });
      });
    }

    function search() {
      announceNextList = true;
      // A list asked for before this search must not answer for it (nor be announced).
      listRequests += 1;
      listedUrl = null;
      return reload();
    }

    map.on("moveend", debounce(function () { refreshList(); }, 250));

    if (results) {
      // Pages of the in-view list load in place.
      results.addEventListener("click", function (event) {
        var link = event.target.closest("a[data-page]");
        if (!link) return;
        event.preventDefault();
        refreshList(link.dataset.page);
        results.focus();
      });
    }

    if (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        query = queryFromForm(form);
        history.pushState({ query: query }, "", query ? "?" + query : window.location.pathname);
        // "Show entries" in the panel: on a phone, close it to show the map again.
        if (panel.contains(event.submitter)) panel.close();
        search();
      });
      form.addEventListener("change", function (event) {
        if (event.target.tagName === "SELECT") form.requestSubmit();
      });
      window.addEventListener("popstate", function () {
        query = window.location.search.replace(/^\?/, "");
        fillForm(form, query);
        search();
      });
    }

    addOverlays(map, options);
    reload().catch(function () {
      var note = document.getElementById("map-status");
      if (note) note.textContent = options.messages.failed;
    });
    window.relmap.directoryMap = map;
  }

  function initTeaserMap(map) {
    var options = readConfig("map-config");
    var clusters = new ClusterLayer(map, options);
    addOverlays(map, options);
    loadPoints(options.dataUrl, "").then(function (points) {
      clusters.setPoints(points);
      fitToPoints(map, points);
    });
  }

  function initEmbedMap(map) {
    var options = readConfig("map-config");
    var clusters = new ClusterLayer(map, options);
    var query = window.location.search.replace(/^\?/, "");
    loadPoints(options.dataUrl, query).then(function (points) {
      clusters.setPoints(points, query);
      fitToPoints(map, points);
    });
  }

  /* A profile's small map: a pin at an exact point, a soft circle around an approximate one. */
  function initEntryMap(map) {
    var entry = readConfig("entry-location");
    var point = [entry.latitude, entry.longitude];
    if (entry.approximate) {
      L.circle(point, { radius: 700, className: "map-area" }).addTo(map);
      map.setView(point, 13);
    } else {
      L.marker(point, { icon: entryIcon(entry.kind), keyboard: false }).addTo(map);
      map.setView(point, 14);
    }
  }

  var INITS = {
    directory: initDirectoryMap,
    teaser: initTeaserMap,
    embed: initEmbedMap,
    entry: initEntryMap,
  };

  window.relmap = {};
  Array.prototype.forEach.call(document.querySelectorAll("[data-map]"), function (element) {
    INITS[element.dataset.map](window.relmapLeafletMap(element));
  });
})();
