/* Makes a Leaflet map in an element from the site's LEAFLET_CONFIG, which the page carries
 * as json_script "leaflet-config". Our own script rather than django-leaflet's template tag,
 * whose inline script the Content Security Policy would need a nonce for. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("leaflet-config").textContent);

  window.relmapLeafletMap = function (element) {
    var map = L.map(element, {
      center: config.center,
      zoom: config.zoom,
      minZoom: config.minZoom,
      maxZoom: config.maxZoom,
    });
    L.tileLayer(
      config.tileUrl,
      L.Util.extend({}, config.tileOptions, { minZoom: config.minZoom, maxZoom: config.maxZoom })
    ).addTo(map);
    return map;
  };
})();
