/*
 * amurgeo map interface (part of amurgeo, MIT licence): overlays, grouped layer control,
 * legend tied to the overlays, activity filter, search by name, boundary note, offline
 * vector basemap, measuring, full screen and minimap.
 *
 * Safety rule: every string that this code puts into the page as HTML (fields ending in
 * "Html", popup "p" and tooltip "t") was escaped in Python (amurgeo.maps). Plain text
 * (fields ending in "Text", search keys "k") only ever goes through textContent, value or
 * new Option().
 */
(function () {
  "use strict";
  var A = (window.amurgeo = window.amurgeo || {});

  function el(tag, className, parent) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (parent) parent.appendChild(node);
    return node;
  }

  function ensurePane(map, name, zIndex) {
    if (!map.getPane(name)) {
      map.createPane(name).style.zIndex = String(zIndex);
    }
    return name;
  }

  /* "#rrggbb" and an opacity -> "rgba(r, g, b, a)". */
  function rgba(hex, alpha) {
    var n = parseInt(String(hex).slice(1, 7), 16);
    if (!/^#[0-9a-fA-F]{6}$/.test(hex)) return "transparent";
    return "rgba(" + (n >> 16) + ", " + ((n >> 8) & 255) + ", " + (n & 255) + ", " + alpha + ")";
  }

  function swatch(node, style) {
    var fill = style.fillOpacity == null ? 0.3 : style.fillOpacity;
    node.style.borderColor = style.color || "#333";
    node.style.background =
      style.fill === false ? "transparent" : rgba(style.fillColor || style.color, Math.min(1, fill * 1.8));
    if (style.shape === "point") node.className += " amg-swatch-point";
    if (style.shape === "line") node.className += " amg-swatch-line";
    if (style.dashArray) node.style.borderStyle = "dashed";
  }

  /* One vector overlay: polygons, lines or points, with escaped popup and tooltip HTML. */
  A.vectorLayer = function (map, spec) {
    var pane = ensurePane(map, spec.pane, spec.zIndex);
    var layer = L.geoJSON(spec.data, {
      pane: pane,
      style: function (feature) {
        return L.extend({}, spec.style, feature.properties.s || {});
      },
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, L.extend({ pane: pane, radius: 6 }, spec.style));
      },
      onEachFeature: function (feature, sub) {
        var props = feature.properties;
        if (props.p) sub.bindPopup(props.p, { maxWidth: 380, maxHeight: 420, className: "amg-popup" });
        if (props.t) sub.bindTooltip(props.t, { sticky: true, className: "amg-tooltip" });
        sub.on("mouseover", function () {
          if (sub.setStyle) sub.setStyle({ weight: (spec.style.weight || 2) + 2 });
        });
        sub.on("mouseout", function () {
          layer.resetStyle(sub);
        });
      },
    });
    layer.amurgeo = spec;
    return layer;
  };

  /* Activity points: coloured markers in a cluster group, filterable by activity and org. */
  A.activityLayer = function (map, spec) {
    var group = L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 40,
      spiderfyOnMaxZoom: true,
      iconCreateFunction: function (cluster) {
        var count = Number(cluster.getChildCount());
        var size = count < 10 ? 28 : count < 50 ? 34 : 40;
        return L.divIcon({
          html: "<span>" + count + "</span>",
          className: "amg-cluster",
          iconSize: [size, size],
        });
      },
    });
    var markers = spec.points.map(function (p) {
      var kind = spec.activities[p[2]];
      var html =
        '<span class="amg-dot" style="background:' + kind.color + '">' + kind.codeHtml + "</span>";
      var marker = L.marker([p[0], p[1]], {
        icon: L.divIcon({ className: "amg-activity", html: html, iconSize: [20, 20] }),
        keyboard: true,
      });
      marker.bindPopup(p[4], { maxWidth: 380, maxHeight: 420, className: "amg-popup" });
      marker.bindTooltip(p[5], { className: "amg-tooltip", direction: "top", offset: [0, -8] });
      marker.amurgeoActivity = p[2];
      marker.amurgeoOrganization = p[3];
      marker.amurgeoKeys = p[6];
      return marker;
    });
    group.addLayers(markers);
    group.amurgeo = spec;
    group.amurgeoMarkers = markers;
    group.amurgeoFilter = function (activity, organization) {
      var shown = markers.filter(function (m) {
        return (
          (activity < 0 || m.amurgeoActivity === activity) &&
          (organization < 0 || m.amurgeoOrganization === organization)
        );
      });
      group.clearLayers();
      group.addLayers(shown);
      return shown.length;
    };
    return group;
  };

  function offlineBasemap(map, config) {
    var pane = ensurePane(map, "amurgeo-basemap", 150);
    map.getPane(pane).style.pointerEvents = "none";
    return L.geoJSON(config.basemap, {
      pane: pane,
      interactive: false,
      attribution: config.basemapAttributionHtml,
      style: { color: "#7a7a7a", weight: 1, fillColor: "#f4f1e8", fillOpacity: 1 },
    });
  }

  function legendControl(map, overlays, config) {
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () {
      var outer = el("details", "amg-legend amg-box");
      outer.open = true;
      L.DomEvent.disableClickPropagation(outer);
      L.DomEvent.disableScrollPropagation(outer);
      el("summary", "amg-heading", outer).textContent = config.text.legend;
      var box = el("div", "amg-legend-body", outer);
      overlays.forEach(function (layer) {
        var spec = layer.amurgeo;
        var entry = el("div", "amg-legend-entry", box);
        entry.setAttribute("data-overlay", spec.id);
        var single = spec.legend.length === 1 && !layer.amurgeoFilter;
        if (!single) el("div", "amg-legend-name", entry).innerHTML = spec.nameHtml;
        spec.legend.forEach(function (item) {
          var line = el("div", "amg-legend-item", entry);
          var mark = el("span", "amg-swatch", line);
          if (item.codeHtml) {
            mark.className = "amg-dot amg-legend-dot";
            mark.style.background = item.color;
            mark.innerHTML = item.codeHtml;
          } else {
            swatch(mark, item.style);
          }
          el("span", "amg-legend-label", line).innerHTML = item.labelHtml;
        });
        if (layer.amurgeoFilter) filterBox(entry, layer, spec, config);
        function sync() {
          entry.style.display = map.hasLayer(layer) ? "" : "none";
        }
        map.on("layeradd layerremove", function (e) {
          if (e.layer === layer) sync();
        });
        sync();
      });
      return outer;
    };
    return control.addTo(map);
  }

  function filterBox(entry, layer, spec, config) {
    var form = el("div", "amg-filter", entry);
    var activity = el("select", "amg-filter-activity", form);
    var organization = el("select", "amg-filter-organization", form);
    activity.setAttribute("aria-label", config.text.activity);
    organization.setAttribute("aria-label", config.text.organization);
    activity.add(new Option(config.text.allActivities, "-1"));
    spec.activities.forEach(function (a, i) {
      if (a.present) activity.add(new Option(a.labelText, String(i)));
    });
    organization.add(new Option(config.text.allOrganizations, "-1"));
    spec.organizations.forEach(function (name, i) {
      organization.add(new Option(name, String(i)));
    });
    var count = el("div", "amg-filter-count", form);
    function apply() {
      var n = layer.amurgeoFilter(Number(activity.value), Number(organization.value));
      count.textContent = n + " / " + spec.points.length;
    }
    activity.addEventListener("change", apply);
    organization.addEventListener("change", apply);
    count.textContent = spec.points.length + " / " + spec.points.length;
  }

  function searchControl(map, overlays, config) {
    var entries = [];
    overlays.forEach(function (layer) {
      if (layer.amurgeoMarkers) {
        layer.amurgeoMarkers.forEach(function (marker) {
          (marker.amurgeoKeys || []).forEach(function (key) {
            entries.push({ key: key, overlay: layer, item: marker });
          });
        });
      } else if (layer.eachLayer) {
        layer.eachLayer(function (sub) {
          var keys = (sub.feature && sub.feature.properties.k) || [];
          keys.forEach(function (key) {
            entries.push({ key: key, overlay: layer, item: sub });
          });
        });
      }
    });
    var control = L.control({ position: "topleft" });
    control.onAdd = function () {
      var box = el("div", "amg-search amg-box");
      L.DomEvent.disableClickPropagation(box);
      var input = el("input", "amg-search-input", box);
      input.type = "search";
      input.placeholder = config.text.search;
      input.setAttribute("aria-label", config.text.search);
      var listId = "amg-search-list";
      input.setAttribute("list", listId);
      var list = el("datalist", "", box);
      list.id = listId;
      var seen = {};
      entries.forEach(function (entry) {
        if (seen[entry.key]) return;
        seen[entry.key] = true;
        var option = document.createElement("option");
        option.value = entry.key;
        list.appendChild(option);
      });
      var status = el("div", "amg-search-status", box);
      function find(query) {
        var q = query.trim().toLowerCase();
        if (!q) return null;
        var exact = entries.filter(function (e) {
          return e.key.toLowerCase() === q;
        });
        if (exact.length) return exact[0];
        var part = entries.filter(function (e) {
          return e.key.toLowerCase().indexOf(q) >= 0;
        });
        return part.length ? part[0] : null;
      }
      var hiddenPopup = L.popup(); // one popup for points the filter hides
      function go() {
        var hit = find(input.value);
        status.textContent = hit || !input.value ? "" : config.text.searchNone;
        if (!hit) return;
        if (!map.hasLayer(hit.overlay)) map.addLayer(hit.overlay);
        if (hit.overlay.zoomToShowLayer && hit.item.getLatLng && !hit.overlay.hasLayer(hit.item)) {
          // hidden by the activity filter: show where it is without changing the filter
          map.setView(hit.item.getLatLng(), Math.max(map.getZoom(), 10));
          hiddenPopup
            .setLatLng(hit.item.getLatLng())
            .setContent(hit.item.getPopup().getContent())
            .openOn(map);
        } else if (hit.overlay.zoomToShowLayer && hit.item.getLatLng) {
          hit.overlay.zoomToShowLayer(hit.item, function () {
            hit.item.openPopup();
          });
        } else if (hit.item.getBounds) {
          var bounds = hit.item.getBounds();
          map.fitBounds(bounds, { maxZoom: 11 });
          hit.item.openPopup(bounds.getCenter());
        } else if (hit.item.getLatLng) {
          map.setView(hit.item.getLatLng(), Math.max(map.getZoom(), 10));
          hit.item.openPopup();
        }
      }
      input.addEventListener("change", go);
      input.addEventListener("keydown", function (e) {
        if (e.key === "Enter") go();
      });
      return box;
    };
    return control.addTo(map);
  }

  function noteControl(map, config) {
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () {
      var box = el("div", "amg-note amg-box");
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      el("div", "amg-title", box).innerHTML = config.titleHtml;
      el("div", "amg-warning", box).innerHTML = config.noteHtml;
      var details = el("details", "amg-sources", box);
      el("summary", "", details).textContent = config.text.sources;
      el("div", "", details).innerHTML = config.sourcesHtml;
      return box;
    };
    return control.addTo(map);
  }

  function measureControl(map, config) {
    if (!L.Control.Measure) return null;
    // Workaround for leaflet-measure with Leaflet >= 1.8 (ljagis/leaflet-measure#171),
    // as in folium's MeasureControl.
    L.Control.Measure.include({
      _setCaptureMarkerIcon: function () {
        this._captureMarker.options.autoPanOnFocus = false;
        this._captureMarker.setIcon(L.divIcon({ iconSize: this._map.getSize().multiplyBy(2) }));
      },
    });
    return new L.Control.Measure({
      position: "topleft",
      primaryLengthUnit: "kilometers",
      secondaryLengthUnit: "meters",
      primaryAreaUnit: "hectares",
      secondaryAreaUnit: "sqkilometers",
      units: {
        hectares: { factor: 1e-4, display: config.text.ha, decimals: 1 },
        sqkilometers: { factor: 1e-6, display: config.text.km2, decimals: 2 },
      },
      activeColor: "#c2185b",
      completedColor: "#ad1457",
    }).addTo(map);
  }

  function minimapControl(config) {
    if (!L.Control.MiniMap) return null;
    var layer = L.geoJSON(config.basemap, {
      interactive: false,
      style: { color: "#7a7a7a", weight: 1, fillColor: "#f4f1e8", fillOpacity: 1 },
    });
    return new L.Control.MiniMap(layer, {
      position: "bottomright",
      width: 140,
      height: 140,
      zoomLevelOffset: -4,
      toggleDisplay: true,
      aimingRectOptions: { color: "#c62828", weight: 2, interactive: false },
      shadowRectOptions: { color: "#000", weight: 1, opacity: 0, fillOpacity: 0 },
    });
  }

  /* Fit the region into the part of the map that the controls leave free. */
  function frame(map, bounds) {
    var box = map.getContainer();
    var size = map.getSize();
    function width(selector) {
      var node = box.querySelector(selector);
      return node ? node.offsetWidth : 0;
    }
    var left = Math.min(width(".leaflet-top.leaflet-left"), size.x * 0.3);
    var right = Math.min(width(".leaflet-top.leaflet-right"), size.x * 0.35);
    if (size.x - left - right < 200) left = right = 0;
    map.fitBounds(bounds, { paddingTopLeft: [left + 8, 8], paddingBottomRight: [right + 8, 8] });
  }

  /* Wire everything up once every overlay exists. */
  A.setup = function (map, overlays, bases, config) {
    var basemap = offlineBasemap(map, config);
    basemap.addTo(map);
    var baseLayers = {};
    bases.forEach(function (layer, i) {
      baseLayers[config.baseNamesHtml[i]] = layer;
    });
    var offline = L.layerGroup();
    baseLayers[config.offlineNameHtml] = offline;
    var anyBase = bases.some(function (layer) {
      return map.hasLayer(layer);
    });
    if (!anyBase) offline.addTo(map);

    var groups = {};
    overlays.forEach(function (layer) {
      var group = config.groupNamesHtml[layer.amurgeo.group];
      groups[group] = groups[group] || {};
      groups[group][layer.amurgeo.nameHtml] = layer;
    });
    var narrow = window.innerWidth < 720 || window.innerHeight < 560;
    var layerControl = L.control
      .groupedLayers(baseLayers, groups, { collapsed: narrow, position: "topright" })
      .addTo(map);
    L.control.scale({ imperial: false, position: "bottomleft" }).addTo(map);
    noteControl(map, config);
    legendControl(map, overlays, config);
    if (L.control.fullscreen) {
      L.control
        .fullscreen({
          position: "topleft",
          title: config.text.fullscreen,
          titleCancel: config.text.fullscreenExit,
        })
        .addTo(map);
    }
    measureControl(map, config);
    searchControl(map, overlays, config);
    var minimap = minimapControl(config);
    if (minimap) minimap.addTo(map);
    frame(map, config.frame);
    A.map = map;
    A.layerControl = layerControl;
    A.overlays = overlays;
    return map;
  };
})();
