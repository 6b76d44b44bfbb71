/* Relationships Map: who works with whom. On the directory map, the "Show who works with
 * whom" checkbox draws the public connections in view as lines (from /map/connections.json,
 * see directory/mapdata/connections.py), once the map is zoomed in far enough to read them;
 * on an entry's network page, a small map draws its neighbourhood from json_script data.
 * On the directory map it is loaded after map.js, whose map it draws on. */
(function () {
  "use strict";

  var renders = 0;

  /* One path for one line, or for many: [[from, to], [from, to], ...]. */
  function connectionLine(latLngs, className) {
    return L.polyline(latLngs, { className: "map-connection " + className, weight: 3 });
  }

  /* Tests and benchmarks watch this to know the lines have been drawn. */
  function drawn() {
    renders += 1;
    document.documentElement.dataset.connectionRenders = String(renders);
  }

  /* The lines in view, asked for again on every move while the checkbox is ticked. */
  function ConnectionLayer(map, options, note) {
    this.map = map;
    this.options = options;
    this.note = note;
    this.description = note.textContent;
    this.layer = L.layerGroup();
    this.requests = 0;
    this.showing = false;
    map.on("moveend", this.refresh, this);
  }

  ConnectionLayer.prototype.say = function (message) {
    this.note.textContent = message;
  };

  ConnectionLayer.prototype.show = function (showing) {
    this.showing = showing;
    if (showing) {
      this.layer.addTo(this.map);
    } else {
      this.layer.clearLayers();
      this.layer.remove();
      this.say(this.description);
    }
    this.refresh();
  };

  /* West, south, east, north of the view, kept within the world's bounds. */
  function boxOf(bounds) {
    return [
      Math.max(bounds.getWest(), -180), Math.max(bounds.getSouth(), -90),
      Math.min(bounds.getEast(), 180), Math.min(bounds.getNorth(), 90),
    ].map(function (number) { return number.toFixed(4); }).join(",");
  }

  ConnectionLayer.prototype.refresh = function () {
    var self = this;
    var messages = this.options.messages;
    var thisRequest = ++this.requests;  // a slower, older answer must not replace a newer one
    if (!this.showing) return;
    if (this.map.getZoom() < this.options.minZoom) {
      this.layer.clearLayers();
      this.say(messages.zoomIn);
      drawn();
      return;
    }
    fetch(this.options.url + "?bbox=" + boxOf(this.map.getBounds()), {
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error("connections: " + response.status);
        return response.json();
      })
      .then(function (answer) {
        if (thisRequest !== self.requests || !self.showing) return;
        self.draw(answer);
      })
      .catch(function () {
        if (thisRequest === self.requests && self.showing) self.say(messages.failed);
      });
  };

  ConnectionLayer.prototype.draw = function (answer) {
    var messages = this.options.messages;
    var scale = answer.scale;
    // One path per kind of connection: a browser draws a few long paths far faster than
    // thousands of short ones.
    var byKind = {};
    answer.lines.forEach(function (line) {
      (byKind[line[4]] = byKind[line[4]] || []).push(
        [[line[0] / scale, line[1] / scale], [line[2] / scale, line[3] / scale]]
      );
    });
    this.layer.clearLayers();
    Object.keys(byKind).forEach(function (kind) {
      this.layer.addLayer(
        connectionLine(byKind[kind], "map-connection--" + kind)
          .bindTooltip(answer.kinds[kind] || "", { sticky: true })
      );
    }, this);
    if (!answer.lines.length) {
      this.say(messages.none);
    } else if (answer.total > answer.lines.length) {
      this.say(messages.capped.replace("%(shown)s", answer.lines.length.toLocaleString("en-GB"))
        .replace("%(total)s", answer.total.toLocaleString("en-GB")));
    } else {
      this.say(messages.count.replace("%(count)s", answer.lines.length.toLocaleString("en-GB")));
    }
    drawn();
  };

  /* The checkbox keeps its state in the address, as the filters do, without a new history
   * step: going back should undo a search, not a change of what the map draws. */
  function rememberInAddress(checkbox) {
    var params = new URLSearchParams(window.location.search);
    if (checkbox.checked) params.set(checkbox.name, checkbox.value);
    else params.delete(checkbox.name);
    var query = params.toString();
    history.replaceState(history.state, "", query ? "?" + query : window.location.pathname);
  }

  function initDirectoryConnections() {
    var map = window.relmap && window.relmap.directoryMap;
    var checkbox = document.getElementById("map-connections");
    var note = document.getElementById("map-connections-note");
    if (!map || !checkbox || !note) return;
    var options = JSON.parse(document.getElementById("map-config").textContent).connections;
    var connections = new ConnectionLayer(map, options, note);
    checkbox.addEventListener("change", function () {
      rememberInAddress(checkbox);
      connections.show(checkbox.checked);
    });
    // map.js sets the checkbox from the address first (its listener was added first).
    window.addEventListener("popstate", function () {
      if (checkbox.checked !== connections.showing) connections.show(checkbox.checked);
    });
    if (checkbox.checked) connections.show(true);
    window.relmap.connections = connections;
  }

  /* An entry's network page: the entry, its neighbours and the lines between them, fitted
   * into view. The page's nested lists say the same for those who cannot see the map. */
  function initNetworkMap(element) {
    var data = JSON.parse(document.getElementById("network-map-data").textContent);
    var map = window.relmapLeafletMap(element);
    data.lines.forEach(function (line) {
      connectionLine(
        [[line[0], line[1]], [line[2], line[3]]], "map-connection--step-" + line[4]
      ).addTo(map);
    });
    var bounds = L.latLngBounds([]);
    data.points.forEach(function (point) {
      var position = [point.latitude, point.longitude];
      L.circleMarker(position, {
        radius: point.step ? 6 : 9,
        className: "network-point network-point--step-" + point.step,
      }).bindTooltip(point.name).addTo(map);
      bounds.extend(position);
    });
    map.fitBounds(bounds.pad(0.15), { maxZoom: 13, animate: false });
    drawn();
  }

  // Styles hide a map panel until a script can run it (the lists work without).
  document.documentElement.classList.add("js");
  initDirectoryConnections();
  Array.prototype.forEach.call(document.querySelectorAll("[data-map=network]"), initNetworkMap);
})();
