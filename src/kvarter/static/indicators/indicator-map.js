/* The indicator map: areas coloured by an indicator's class (the colours come from the server,
   matching the legend), hatched where there is no figure; a second layer colours them by area
   type. Works with no tile server: the polygons are the map. The figures are also in the table
   beside the map, which is what screen readers use. */
(function () {
  "use strict";
  var NO_DATA = "url(#kv-nodata)";

  function style(colour) {
    return { color: "#1b1f23", weight: 2, fillColor: colour || NO_DATA, fillOpacity: colour ? 0.85 : 1 };
  }

  function layer(data, colourOf, labelOf) {
    return L.geoJSON(data, {
      style: function (feature) { return style(colourOf(feature.properties)); },
      onEachFeature: function (feature, shape) {
        var p = feature.properties;
        shape.bindTooltip(labelOf(p), { permanent: true, direction: "center", className: "area-label" });
        if (p.url) {
          shape.on("click", function () { window.location.href = p.url; });
        }
      }
    });
  }

  function draw(element) {
    var source = document.getElementById(element.dataset.featuresId);
    if (!source || typeof L === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var map = L.map(element, { zoomSnap: 0.25, attributionControl: Boolean(element.dataset.tileUrl) });
    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, { attribution: element.dataset.tileAttribution || "" }).addTo(map);
    }
    var byIndicator = layer(
      data,
      function (p) { return p.colour; },
      function (p) { return p.name + ": " + p.value_text; }
    ).addTo(map);
    var byType = layer(
      data,
      function (p) { return p.area_type_colour; },
      function (p) { return p.name + (p.area_type_label ? ": " + p.area_type_label : ""); }
    );
    var layers = {};
    layers[element.dataset.layerIndicator || "Indicator"] = byIndicator;
    layers[element.dataset.layerAreaType || "Area type"] = byType;
    L.control.layers(layers, null, { collapsed: false }).addTo(map);
    if (byIndicator.getLayers().length) {
      map.fitBounds(byIndicator.getBounds(), { padding: [16, 16] });
    } else {
      map.setView([62.0, 15.0], 4);
    }
    element.mapInstance = map;
    element.setAttribute("data-ready", "true");
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-features-id]").forEach(draw);
  });
})();
