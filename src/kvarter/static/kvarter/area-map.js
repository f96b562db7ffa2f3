/* Draws areas from a GeoJSON <script type="application/json"> block on a Leaflet map.
   Works with no tile server: the polygons are the map. A background layer is added only when
   the installation configures a tile URL (KVARTER_TILE_URL). */
(function () {
  "use strict";
  var COLOURS = {
    especially_vulnerable: "#a3142b",
    vulnerable: "#d95f0e",
    risk: "#f2b134",
    none: "#5b8c5a"
  };
  var UNKNOWN = "#9aa3ab";

  function draw(element) {
    var source = document.getElementById(element.dataset.geojsonId);
    if (!source || typeof L === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var map = L.map(element, { zoomSnap: 0.25, attributionControl: Boolean(element.dataset.tileUrl) });
    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, { attribution: element.dataset.tileAttribution || "" }).addTo(map);
    }
    var layer = L.geoJSON(data, {
      style: function (feature) {
        var colour = COLOURS[feature.properties.police_classification] || UNKNOWN;
        return { color: "#1b1f23", weight: 2, fillColor: colour, fillOpacity: 0.75 };
      },
      onEachFeature: function (feature, shape) {
        var p = feature.properties;
        shape.bindTooltip(p.name, { permanent: true, direction: "center", className: "area-label" });
        if (p.url) {
          shape.on("click", function () { window.location.href = p.url; });
        }
      }
    }).addTo(map);
    if (layer.getLayers().length) {
      map.fitBounds(layer.getBounds(), { padding: [16, 16] });
    } else {
      map.setView([62.0, 15.0], 4);
    }
    element.mapInstance = map;
    element.setAttribute("data-ready", "true");
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-geojson-id]").forEach(draw);
  });
})();
