/*
 * Needs against delivery (/insights/needs/): the Lancashire districts shaded by the social
 * value delivered in each, from the figures the page's table already shows.
 *
 * The district boundaries come from the local-needs GeoJSON endpoint; the figures and each
 * district's shading band come from the page (json_script), so the map and the table agree.
 */
(function () {
  "use strict";

  var configElement = document.getElementById("needs-delivery-config");
  var mapElement = document.getElementById("needs-delivery-map");
  var legend = document.getElementById("needs-delivery-legend");
  if (!configElement || !mapElement || typeof window.L === "undefined") {
    return;
  }
  var L = window.L;
  var config = JSON.parse(configElement.textContent);
  var gbp = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP" });

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = text;
    }
    return node;
  }

  function figures(code) {
    return config.rows[code] || null;
  }

  function popup(feature) {
    var row = figures(feature.properties.code);
    var box = element("div", "app-needs-popup");
    box.appendChild(element("p", "app-needs-popup__title", feature.properties.name));
    if (!row) {
      box.appendChild(element("p", "", "No figures."));
      return box;
    }
    var list = element("ul", "");
    list.appendChild(element("li", "", "Delivered: " + gbp.format(Number(row.delivered))));
    list.appendChild(
      element("li", "", "Share of delivered: " + (row.share ? row.share + "%" : "none"))
    );
    list.appendChild(
      element(
        "li",
        "",
        "High to severe deprivation (" + config.domain + "): " + (row.need ? row.need + "%" : "no data")
      )
    );
    box.appendChild(list);
    return box;
  }

  var map = L.map(mapElement, { zoomSnap: 0.25, zoomDelta: 0.5, minZoom: 7, maxZoom: 14 });
  map.attributionControl.addAttribution(
    "Boundaries © ONS, OS; conversion Martin Chorley (CC BY 4.0); IoD2019 © Crown copyright (MHCLG)"
  );

  var layer = L.geoJSON(null, {
    style: function (feature) {
      var row = figures(feature.properties.code);
      var band = row ? row.band : 0;
      return {
        color: "#0b0c0c",
        weight: 1.5,
        fillColor: config.colours[band],
        fillOpacity: 0.85,
      };
    },
    onEachFeature: function (feature, featureLayer) {
      featureLayer.bindTooltip(function () {
        var row = figures(feature.properties.code);
        return feature.properties.name + (row ? ": " + gbp.format(Number(row.delivered)) : "");
      }, { sticky: true });
      featureLayer.on("click", function (event) {
        L.popup({ maxWidth: 320 }).setLatLng(event.latlng).setContent(popup(feature)).openOn(map);
      });
    },
  }).addTo(map);

  if (legend) {
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      legend.hidden = false;
      L.DomEvent.disableClickPropagation(legend);
      return legend;
    };
    control.addTo(map);
  }

  fetch(config.districtUrl, { headers: { Accept: "application/geo+json" } })
    .then(function (response) {
      if (!response.ok) {
        throw new Error("The district boundaries could not be loaded.");
      }
      return response.json();
    })
    .then(function (data) {
      layer.addData(data);
      var bounds = layer.getBounds();
      if (bounds.isValid()) {
        map.fitBounds(bounds, { padding: [12, 12] });
      }
    })
    .catch(function () {
      mapElement.appendChild(
        element("p", "govuk-body app-needs-map__error", "The map could not be loaded. The table above has the same figures.")
      );
      map.setView([53.85, -2.6], 9);
    });
})();
