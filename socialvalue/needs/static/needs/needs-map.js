/*
 * The local needs map (/needs/): Leaflet choropleth of the Lancashire-14 neighbourhoods
 * (LSOAs) by national decile of the chosen need, with district outlines on top.
 *
 * Everything comes from this site: the GeoJSON and the district summary from
 * /api/v1/needs/, Leaflet from /static/dist/. Background tiles are added only when the
 * NEEDS_TILE_URL setting is set. The filter form above the map is a plain GET form; here it
 * is applied straight away, and the address bar is kept in step so the page can be shared.
 */
(function () {
  "use strict";

  var configElement = document.getElementById("needs-map-config");
  var mapElement = document.getElementById("needs-map");
  var form = document.getElementById("needs-filter");
  if (!configElement || !mapElement || !form || typeof window.L === "undefined") {
    return;
  }
  var L = window.L;
  var config = JSON.parse(configElement.textContent);
  var HIGH_TO_SEVERE_MAX_DECILE = 3;

  var domains = {};
  config.domains.forEach(function (domain) {
    domains[domain.key] = domain;
  });

  var domainSelect = form.elements.namedItem("domain");
  var layerSelect = form.elements.namedItem("layer");
  var districtSelect = form.elements.namedItem("district");
  var viewInputs = form.querySelectorAll('input[name="view"]');
  var submitButton = document.getElementById("needs-filter-submit");
  var legend = document.getElementById("needs-legend");
  var districtTable = document.getElementById("needs-district-table");
  var layerSummary = document.getElementById("needs-layer-summary");
  var tableLink = document.getElementById("needs-table-link");

  function checkedView() {
    for (var i = 0; i < viewInputs.length; i += 1) {
      if (viewInputs[i].checked) {
        return viewInputs[i].value;
      }
    }
    return "lsoa";
  }

  var state = {
    domain: domainSelect.value || "imd",
    layer: layerSelect ? layerSelect.value : "",
    district: districtSelect ? districtSelect.value : "",
    view: checkedView(),
  };
  var lsoaData = null;
  var summary = {}; // district code → summary row of the current domain
  var districtNames = {};
  config.districts.forEach(function (district) {
    districtNames[district.code] = district.name;
  });
  var lastRows = [];

  // --- Helpers -------------------------------------------------------------------------

  function colour(decile) {
    return config.colours[Math.min(10, Math.max(1, decile)) - 1];
  }

  function shareBand(row) {
    if (!row || !row.lsoa_count) {
      return null;
    }
    return Math.max(1, Math.min(10, 10 - Math.floor((row.high_to_severe_count * 10) / row.lsoa_count)));
  }

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

  function areaUrl(code) {
    return config.areaUrl.replace("CODE", encodeURIComponent(code));
  }

  function query() {
    var params = new URLSearchParams();
    params.set("domain", state.domain);
    if (state.district) {
      params.set("district", state.district);
    }
    if (state.layer) {
      params.set("layer", state.layer);
    }
    return params;
  }

  function lowerFirst(text) {
    return text.charAt(0).toLowerCase() + text.slice(1);
  }

  // --- The map -------------------------------------------------------------------------

  var map = L.map(mapElement, { zoomSnap: 0.25, zoomDelta: 0.5, minZoom: 7, maxZoom: 16 });
  map.attributionControl.addAttribution(
    "IoD2019 © Crown copyright (MHCLG); boundaries © ONS, OS; conversion Martin Chorley (CC BY 4.0)"
  );
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 18 }).addTo(map);
  }
  map.createPane("needsOutlines");
  map.getPane("needsOutlines").style.zIndex = 450;
  map.getPane("needsOutlines").style.pointerEvents = "none";

  var lsoaLayer = L.geoJSON(null, {
    style: lsoaStyle,
    onEachFeature: function (feature, layer) {
      layer.bindTooltip(function () {
        return feature.properties.name + ": decile " + feature.properties.deciles[state.domain];
      }, { sticky: true });
      layer.on("click", function (event) {
        L.popup({ maxWidth: 340 }).setLatLng(event.latlng).setContent(lsoaPopup(feature)).openOn(map);
      });
    },
  }).addTo(map);

  var districtFillLayer = L.geoJSON(null, {
    style: districtFillStyle,
    onEachFeature: function (feature, layer) {
      layer.bindTooltip(function () {
        var row = summary[feature.properties.code];
        return feature.properties.name + (row ? ": " + row.high_to_severe_percent + "%" : "");
      }, { sticky: true });
      layer.on("click", function (event) {
        L.popup({ maxWidth: 320 }).setLatLng(event.latlng).setContent(districtPopup(feature)).openOn(map);
      });
    },
  });

  var outlineLayer = L.geoJSON(null, {
    pane: "needsOutlines",
    interactive: false,
    style: outlineStyle,
  }).addTo(map);

  function lsoaStyle(feature) {
    var decile = feature.properties.deciles[state.domain];
    return {
      fillColor: colour(decile),
      fillOpacity: 0.9,
      color: "#ffffff",
      weight: 0.4,
      opacity: 0.7,
    };
  }

  function districtFillStyle(feature) {
    var band = shareBand(summary[feature.properties.code]);
    return {
      fillColor: band ? config.colours[band - 1] : "#b1b4b6",
      fillOpacity: 0.9,
      color: "#ffffff",
      weight: 1,
    };
  }

  function outlineStyle(feature) {
    var selected = state.district && feature.properties.code === state.district;
    return {
      fill: false,
      color: "#0b0c0c",
      weight: selected ? 4 : 1.6,
      opacity: state.district && !selected ? 0.55 : 1,
    };
  }

  function lsoaPopup(feature) {
    var props = feature.properties;
    var box = element("div", "app-needs-popup");
    box.appendChild(element("p", "app-needs-popup__title", props.name));
    box.appendChild(element("p", "app-needs-popup__meta", props.code + " · " + (props.district_name || "")));
    var table = element("table");
    var caption = element("caption", "govuk-visually-hidden", "National decile in each need (1 is the most deprived 10%)");
    table.appendChild(caption);
    var head = element("tr");
    head.appendChild(element("th", null, "Need"));
    var decileHeading = element("th", null, "Decile");
    decileHeading.style.textAlign = "right";
    head.appendChild(decileHeading);
    var thead = element("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    var body = element("tbody");
    config.domains.forEach(function (domain) {
      var decile = props.deciles[domain.key];
      if (decile === undefined) {
        return;
      }
      var row = element("tr", domain.key === state.domain ? "app-needs-popup__current" : null);
      var name = element("th", null, domain.short);
      name.setAttribute("scope", "row");
      name.title = domain.label;
      row.appendChild(name);
      var text = String(decile);
      if (decile <= HIGH_TO_SEVERE_MAX_DECILE) {
        text += " · high to severe";
      }
      row.appendChild(element("td", null, text));
      body.appendChild(row);
    });
    table.appendChild(body);
    box.appendChild(table);
    var link = element("a", "govuk-link app-needs-popup__link", "All figures for this neighbourhood");
    link.href = areaUrl(props.code);
    box.appendChild(link);
    return box;
  }

  function districtPopup(feature) {
    var props = feature.properties;
    var row = summary[props.code];
    var box = element("div", "app-needs-popup");
    box.appendChild(element("p", "app-needs-popup__title", props.name));
    if (row) {
      box.appendChild(
        element(
          "p",
          null,
          row.high_to_severe_count + " of " + row.lsoa_count + " neighbourhoods (" +
            row.high_to_severe_percent + "%) are in high to severe deprivation in the " +
            lowerFirst(domains[state.domain].label) + "."
        )
      );
    }
    var link = element("a", "govuk-link app-needs-popup__link", "All needs in " + props.name);
    link.href = areaUrl(props.code);
    box.appendChild(link);
    return box;
  }

  function showLsoas() {
    lsoaLayer.clearLayers();
    if (!lsoaData) {
      return;
    }
    var features = lsoaData.features.filter(function (feature) {
      return !state.district || feature.properties.district === state.district;
    });
    lsoaLayer.addData({ type: "FeatureCollection", features: features });
  }

  function fitToSelection() {
    var bounds = null;
    outlineLayer.eachLayer(function (layer) {
      if (!state.district || layer.feature.properties.code === state.district) {
        bounds = bounds ? bounds.extend(layer.getBounds()) : L.latLngBounds(layer.getBounds().getSouthWest(), layer.getBounds().getNorthEast());
      }
    });
    if (bounds) {
      map.fitBounds(bounds, { padding: [12, 12] });
    }
  }

  function showView() {
    var districtView = state.view === "district";
    if (districtView) {
      map.removeLayer(lsoaLayer);
      districtFillLayer.addTo(map);
    } else {
      map.removeLayer(districtFillLayer);
      lsoaLayer.addTo(map);
    }
    outlineLayer.bringToFront();
    if (legend) {
      legend.querySelector('[data-needs-legend="lsoa"]').hidden = districtView;
      legend.querySelector('[data-needs-legend="district"]').hidden = !districtView;
    }
  }

  if (legend) {
    var LegendControl = L.Control.extend({
      options: { position: "topright" },
      onAdd: function () {
        legend.hidden = false;
        L.DomEvent.disableClickPropagation(legend);
        return legend;
      },
    });
    new LegendControl().addTo(map);
  }

  // --- The page around the map ----------------------------------------------------------

  function updateLabels() {
    var domain = domains[state.domain];
    document.querySelectorAll("[data-needs-domain-label]").forEach(function (node) {
      node.textContent = domain.label;
    });
    var description = document.getElementById("needs-domain-description");
    if (description) {
      description.textContent = domain.description;
    }
    document.querySelectorAll("[data-needs-district-label]").forEach(function (node) {
      node.textContent = state.district ? "in " + (districtNames[state.district] || "") : "";
    });
    if (layerSummary) {
      if (state.layer && config.layers[state.layer]) {
        var option = layerSelect.options[layerSelect.selectedIndex];
        layerSummary.textContent =
          "Needs linked to " + option.text + ": " +
          config.layers[state.layer].map(function (key) { return domains[key].label; }).join(", ") + ".";
      } else {
        layerSummary.textContent = "";
      }
    }
    var search = "?" + query().toString();
    if (tableLink) {
      tableLink.href = config.tableUrl + search;
    }
    var params = query();
    if (state.view !== "lsoa") {
      params.set("view", state.view);
    }
    window.history.replaceState(null, "", window.location.pathname + "?" + params.toString());
  }

  function renderTable(rows) {
    if (!districtTable) {
      return;
    }
    var districtBody = districtTable.querySelector('[data-needs-rows="district"]');
    var comparatorBody = districtTable.querySelector('[data-needs-rows="comparator"]');
    districtBody.textContent = "";
    comparatorBody.textContent = "";
    rows.forEach(function (row) {
      var isDistrict = Object.prototype.hasOwnProperty.call(districtNames, row.code);
      var selected = isDistrict && row.code === state.district;
      var tr = element("tr", "govuk-table__row" + (selected ? " app-needs-table__row--selected" : ""));
      tr.dataset.code = row.code;
      var th = element("th", "govuk-table__header");
      th.setAttribute("scope", "row");
      if (isDistrict) {
        var link = element("a", "govuk-link", row.name);
        link.href = areaUrl(row.code);
        th.appendChild(link);
        if (selected) {
          th.appendChild(document.createTextNode(" "));
          th.appendChild(element("span", "govuk-tag govuk-tag--blue", "Selected"));
        }
      } else {
        th.textContent = row.name;
      }
      tr.appendChild(th);
      [
        row.lsoa_count.toLocaleString("en-GB"),
        row.high_to_severe_count.toLocaleString("en-GB"),
        row.high_to_severe_percent ? row.high_to_severe_percent + "%" : "–",
      ].forEach(function (text) {
        tr.appendChild(element("td", "govuk-table__cell govuk-table__cell--numeric", text));
      });
      (isDistrict ? districtBody : comparatorBody).appendChild(tr);
    });
  }

  var summaryRequest = 0;

  function loadSummary() {
    var request = (summaryRequest += 1);
    var url = config.summaryUrl + "?domain=" + encodeURIComponent(state.domain) + "&level=district";
    return fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("summary " + response.status);
        }
        return response.json();
      })
      .then(function (rows) {
        if (request !== summaryRequest) {
          return;
        }
        summary = {};
        lastRows = rows;
        rows.forEach(function (row) {
          summary[row.code] = row;
        });
        renderTable(rows);
        districtFillLayer.setStyle(districtFillStyle);
      });
  }

  function setDomainOptions() {
    var allowed = state.layer && config.layers[state.layer];
    var keys = allowed || config.domains.map(function (d) { return d.key; });
    domainSelect.textContent = "";
    var groups = {};
    keys.forEach(function (key) {
      var domain = domains[key];
      var parent = domainSelect;
      if (!allowed) {
        if (!groups[domain.group]) {
          groups[domain.group] = element("optgroup");
          groups[domain.group].label = domain.group;
          domainSelect.appendChild(groups[domain.group]);
        }
        parent = groups[domain.group];
      }
      var option = element("option", null, domain.label);
      option.value = key;
      parent.appendChild(option);
    });
    if (keys.indexOf(state.domain) === -1) {
      state.domain = keys[0];
    }
    domainSelect.value = state.domain;
  }

  function onDomainChange() {
    lsoaLayer.setStyle(lsoaStyle);
    map.closePopup();
    updateLabels();
    loadSummary().catch(reportFailure);
  }

  domainSelect.addEventListener("change", function () {
    state.domain = domainSelect.value;
    onDomainChange();
  });
  if (layerSelect) {
    layerSelect.addEventListener("change", function () {
      state.layer = layerSelect.value;
      setDomainOptions();
      onDomainChange();
    });
  }
  if (districtSelect) {
    districtSelect.addEventListener("change", function () {
      state.district = districtSelect.value;
      map.closePopup();
      showLsoas();
      outlineLayer.setStyle(outlineStyle);
      fitToSelection();
      updateLabels();
      renderTable(lastRows);
    });
  }
  viewInputs.forEach(function (input) {
    input.addEventListener("change", function () {
      state.view = checkedView();
      map.closePopup();
      showView();
      updateLabels();
    });
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    mapElement.focus();
  });
  if (submitButton) {
    submitButton.textContent = "Show on the map";
  }

  function reportFailure() {
    var message = element(
      "p",
      "govuk-body app-needs-map__error",
      "The map data could not be loaded. The table view has the same figures."
    );
    mapElement.parentNode.insertBefore(message, mapElement);
  }

  // --- Start -----------------------------------------------------------------------------

  function getJson(url) {
    return fetch(url, { headers: { Accept: "application/geo+json" } }).then(function (response) {
      if (!response.ok) {
        throw new Error(url + " " + response.status);
      }
      return response.json();
    });
  }

  Promise.all([
    getJson(config.districtUrl + "&domain=" + encodeURIComponent(state.domain)),
    getJson(config.lsoaUrl + "&domain=" + encodeURIComponent(state.domain)),
    loadSummary(),
  ])
    .then(function (results) {
      var districts = results[0];
      lsoaData = results[1];
      districtFillLayer.addData(districts);
      outlineLayer.addData(districts);
      showLsoas();
      showView();
      fitToSelection();
      mapElement.setAttribute("data-ready", "true");
    })
    .catch(reportFailure);
})();
