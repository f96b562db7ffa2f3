/* The situational picture's map: areas shaded by this week's count (hatched when hidden),
   significant hot and cold H3 cells, and for the reader's own areas the reports as dots. The
   same facts are in the tables and the list on the page, which is what screen readers use. */
(function () {
  "use strict";
  var HIDDEN = "url(#kv-hidden)";

  function draw(element) {
    var source = document.getElementById(element.dataset.pictureMap);
    if (!source || typeof L === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var map = L.map(element, { zoomSnap: 0.25, attributionControl: Boolean(element.dataset.tileUrl) });
    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, { attribution: element.dataset.tileAttribution || "" }).addTo(map);
    }
    var areas = L.geoJSON(data.areas, {
      style: function (f) {
        var colour = f.properties.colour;
        return { color: "#1b1f23", weight: 2, fillColor: colour || HIDDEN, fillOpacity: colour ? 0.6 : 0.5 };
      },
      onEachFeature: function (f, shape) {
        shape.bindTooltip(f.properties.label, { permanent: true, direction: "center", className: "area-label" });
      }
    });
    // The view first: Leaflet draws a layer only once the map has a centre and zoom.
    if (areas.getLayers().length) {
      map.fitBounds(areas.getBounds(), { padding: [16, 16] });
    } else {
      map.setView([62.0, 15.0], 4);
    }
    areas.addTo(map);
    if (data.hotspots) {
      L.geoJSON(data.hotspots, {
        style: function (f) {
          var hot = f.properties["class"] === "hot";
          return { color: hot ? "#8e0000" : "#0d3c78", weight: 1, fillColor: hot ? "#c62828" : "#1565c0", fillOpacity: 0.55 };
        }
      }).addTo(map);
    }
    (data.points || []).forEach(function (p) {
      L.circleMarker([p.lat, p.lon], { radius: 5, color: "#ffffff", weight: 1.5, fillColor: "#1b1f23", fillOpacity: 0.9 })
        .bindTooltip(p.label).addTo(map);
    });
    element.mapInstance = map;
    element.setAttribute("data-ready", "true");
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-picture-map]").forEach(draw);
  });
})();
