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

  /* "#rrggbb" -> [r, g, b], or null. */
  function rgb(hex) {
    if (!/^#[0-9a-fA-F]{6}$/.test(String(hex))) return null;
    var n = parseInt(String(hex).slice(1, 7), 16);
    return [n >> 16, (n >> 8) & 255, n & 255];
  }

  /* `top` at `alpha` over `under` ([r, g, b] each): what the screen shows. */
  function blend(top, alpha, under) {
    return [0, 1, 2].map(function (i) {
      return Math.round(top[i] * alpha + under[i] * (1 - alpha));
    });
  }

  function css(color) {
    return "rgb(" + color.join(", ") + ")";
  }

  /* The colour a fill shows on screen: over the areas drawn beneath it, over the base map. */
  function renderedFill(style, background) {
    var color = rgb(background) || [244, 241, 232];
    (style.under || []).forEach(function (below) {
      var c = rgb(below.fillColor);
      if (c) color = blend(c, below.fillOpacity, color);
    });
    var own = rgb(style.fillColor || style.color);
    return own ? blend(own, style.fillOpacity == null ? 0.2 : style.fillOpacity, color) : color;
  }

  /* A legend swatch drawn as the map draws the overlay: rendered fill, hatching, outline. */
  function swatch(node, style, background) {
    node.style.borderColor = style.color || "#333";
    if (style.fill === false) {
      node.style.background = "transparent";
    } else if (style.hatch) {
      var h = style.hatch;
      var w = h.weight || 1.5;
      var gap = (h.space || 6) + w;
      node.style.background =
        "repeating-linear-gradient(" + (90 - (h.angle == null ? 45 : h.angle)) + "deg, " +
        h.color + " 0 " + w + "px, transparent " + w + "px " + gap + "px)";
    } else {
      node.style.background = css(renderedFill(style, background));
    }
    if (style.shape === "point") node.className += " amg-swatch-point";
    if (style.shape === "line") node.className += " amg-swatch-line";
    if (style.dashArray) node.style.borderStyle = style.dashArray.split(" ")[0] <= 2 ? "dotted" : "dashed";
  }

  /* Popup options that fit the map: a width and height the screen holds, scrolling inside. */
  function popupOptions(map) {
    var size = map.getSize();
    // room for the column of buttons on the left and the layers button on the right
    var left = 54;
    var width = Math.max(160, Math.min(380, size.x - left - 40));
    return {
      maxWidth: width,
      minWidth: Math.min(220, width),
      maxHeight: Math.max(160, Math.min(440, Math.round(size.y * 0.55))),
      autoPanPaddingTopLeft: [left, 64],
      autoPanPaddingBottomRight: [10, 40],
      className: "amg-popup",
    };
  }
  A.popupOptions = popupOptions;

  /* A hatching fill (leaflet.pattern) for a style that asks for one; one pattern per look. */
  var patterns = {};
  function hatch(map, h) {
    var key = [h.color, h.angle, h.weight, h.space, h.opacity].join("|");
    if (!patterns[key] && L.StripePattern) {
      patterns[key] = new L.StripePattern({
        color: h.color,
        weight: h.weight || 1.5,
        spaceWeight: h.space || 6,
        opacity: h.opacity == null ? 0.9 : h.opacity,
        spaceOpacity: 0,
        angle: h.angle == null ? 45 : h.angle,
        width: (h.weight || 1.5) + (h.space || 6),
        height: (h.weight || 1.5) + (h.space || 6),
      }).addTo(map);
    }
    return patterns[key] || null;
  }

  /* The Leaflet path options of a spec style: hatching becomes a pattern fill. */
  function pathStyle(map, style) {
    var out = L.extend({}, style);
    if (style.hatch) {
      var pattern = hatch(map, style.hatch);
      if (pattern) {
        out.fillPattern = pattern;
        out.fillOpacity = 1;
        out.fill = true;
      }
    }
    delete out.hatch;
    delete out.under;
    delete out.shape;
    return out;
  }

  /* One vector overlay: polygons, lines or points. Popups open through identify(). */
  A.vectorLayer = function (map, spec) {
    var pane = ensurePane(map, spec.pane, spec.zIndex);
    var layer = L.geoJSON(spec.data, {
      pane: pane,
      style: function (feature) {
        return pathStyle(map, L.extend({}, spec.style, feature.properties.s || {}));
      },
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, L.extend({ pane: pane, radius: 6 }, pathStyle(map, spec.style)));
      },
      onEachFeature: function (feature, sub) {
        var props = feature.properties;
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

  /* Activity symbols: small white pictograms (no letters, so they read in every language). */
  var SYMBOLS = {
    monitoring: '<rect x="2" y="5" width="12" height="8" rx="1.5"/><rect x="5" y="3" width="4" height="2"/><circle cx="8" cy="9" r="2.4" fill="currentColor"/>',
    research: '<circle cx="7" cy="7" r="4" fill="none" stroke="#fff" stroke-width="2"/><path d="M10 10l4 4" stroke="#fff" stroke-width="2.4" stroke-linecap="round"/>',
    "anti-poaching": '<path d="M8 1.5l5.5 2v4.2c0 3.4-2.4 5.8-5.5 6.8-3.1-1-5.5-3.4-5.5-6.8V3.5z"/>',
    "fire-fighting": '<path d="M8 1c.6 3 3.8 4.3 3.8 8.2A3.8 3.8 0 0 1 4.2 9.2C4.2 7 5.6 6 6 4.5c.9 1.2.8 2.4 1.5 3C8.4 5.6 7.5 3 8 1z"/>',
    education: '<path d="M1.5 3.5c2.4-.6 4.6-.3 6 1v9c-1.4-1.2-3.6-1.5-6-1zM14.5 3.5c-2.4-.6-4.6-.3-6 1v9c1.4-1.2 3.6-1.5 6-1z"/>',
    veterinary: '<path d="M6 2h4v4h4v4h-4v4H6v-4H2V6h4z"/>',
    policy: '<path d="M3 1.5h7l3 3v10H3z"/><path d="M5 7h6M5 9.5h6M5 12h4" stroke="currentColor" stroke-width="1.2"/>',
    "habitat-protection": '<path d="M8 1l4.5 6h-2l3 4.5H9v3.5H7v-3.5H2.5l3-4.5h-2z"/>',
    reintroduction: '<path d="M8 1.5l5 5H10v4H6v-4H3z"/><rect x="3" y="12" width="10" height="2.2"/>',
    community: '<circle cx="5" cy="5" r="2.2"/><circle cx="11" cy="5" r="2.2"/><path d="M1 14c0-3 1.8-5 4-5s4 2 4 5zM7 14c0-3 1.8-5 4-5s4 2 4 5z"/>',
    funding: '<circle cx="8" cy="8" r="6"/><circle cx="8" cy="8" r="3.4" fill="none" stroke="currentColor" stroke-width="1.3"/>',
  };

  /* The marker face of an activity kind: its pictogram, or its escaped code when it has none. */
  function symbolHtml(kind) {
    var shape = SYMBOLS[kind.id];
    if (!shape) return kind.codeHtml || "";
    return (
      '<svg viewBox="0 0 16 16" width="11" height="11" aria-hidden="true" fill="#fff" style="color:' +
      kind.color +
      '">' +
      shape +
      "</svg>"
    );
  }
  A.symbolHtml = symbolHtml;

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
      var kind = spec.activities[p[2]] || { color: "#555555", codeHtml: "?" };
      var html =
        '<span class="amg-dot" style="background:' + kind.color + '">' + symbolHtml(kind) + "</span>";
      var marker = L.marker([p[0], p[1]], {
        icon: L.divIcon({ className: "amg-activity", html: html, iconSize: [20, 20] }),
        keyboard: true,
        title: "",
      });
      marker.bindPopup(p[4], popupOptions(map));
      marker.bindTooltip(p[5], { className: "amg-tooltip", direction: "top", offset: [0, -8] });
      marker.amurgeoActivity = p[2];
      marker.amurgeoOrganization = p[3];
      marker.amurgeoKeys = p[6];
      marker.amurgeoFind = p[7] || p[6];
      marker.amurgeoTooltip = p[5];
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

  /* The offline basemap: land filled without outline (no seams between countries; the sea
   * beside it makes the coast), borders as lines, the area outside the data neutral. */
  function basemapStyle(config) {
    var land = config.basemapFill || "#f4f1e8";
    var styles = {
      nodata: { stroke: false, fillColor: config.basemapNoData || "#e6e4df", fillOpacity: 1 },
      land: { stroke: false, fillColor: land, fillOpacity: 1 },
      border: { color: config.basemapBorder || "#7a7a7a", weight: 1, dashArray: "5 3", fill: false },
    };
    return function (feature) {
      return styles[(feature.properties || {}).k] || styles.land;
    };
  }

  function offlineBasemap(map, config) {
    var pane = ensurePane(map, "amurgeo-basemap", 150);
    map.getPane(pane).style.pointerEvents = "none";
    return L.geoJSON(config.basemap, {
      pane: pane,
      interactive: false,
      attribution: config.basemapAttributionHtml,
      style: basemapStyle(config),
    });
  }

  /* A phone-sized screen: panels start collapsed behind buttons. */
  function isNarrow() {
    return window.innerWidth <= 600 || window.innerHeight <= 500;
  }

  function legendControl(map, overlays, config) {
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () {
      var outer = el("details", "amg-legend amg-box");
      outer.open = !isNarrow();
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
          if (item.color) {
            mark.className = "amg-dot amg-legend-dot";
            mark.style.background = item.color;
            mark.innerHTML = symbolHtml(item);
          } else {
            swatch(mark, item.style, config.basemapFill);
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

  /* ---- search (leaflet-search): words in any order over names, aliases, organizations --- */

  /* Lower case, accents and punctuation folded: "Kedrovaya-Pad" and "kedrovaya pad" match. */
  function fold(text) {
    var t = String(text || "").toLowerCase();
    if (t.normalize) t = t.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
    return t.replace(/ё/g, "е").replace(/[\s.,;:!?()\[\]{}"'«»“”‘’\/\\\-–—_+*&|]+/g, " ").trim();
  }
  A.fold = fold;

  /* Every searchable thing on the map: a title in the map's language, the words it is found
     by, and what choosing it does. Titles are unique (the plugin keys its records by title). */
  function searchRecords(map, overlays) {
    var records = [];
    function add(title, words, rank, target) {
      records.push({ title: title, words: fold(words), rank: rank, target: target });
    }
    var byOrganization = {};
    overlays.forEach(function (layer) {
      var spec = layer.amurgeo;
      if (layer.amurgeoMarkers) {
        layer.amurgeoMarkers.forEach(function (marker) {
          var keys = marker.amurgeoKeys || [];
          if (!keys.length) return;
          var find = (marker.amurgeoFind || keys).join(" ");
          add(keys[0], find, 2, { overlay: layer, marker: marker });
          var org = spec.organizations[marker.amurgeoOrganization];
          if (org) {
            byOrganization[org] = byOrganization[org] || { layer: layer, markers: [], words: "" };
            byOrganization[org].markers.push(marker);
            byOrganization[org].words += " " + find;
          }
        });
      } else if (layer.eachLayer && spec.kind !== "overlap" && spec.kind !== "gap") {
        layer.eachLayer(function (sub) {
          var props = (sub.feature && sub.feature.properties) || {};
          var keys = props.k || [];
          if (!keys.length) return;
          var rank = spec.kind === "protected-area" ? 0 : 1;
          add(keys[0], (props.q || keys).join(" "), rank, { overlay: layer, feature: sub });
        });
      }
    });
    Object.keys(byOrganization).forEach(function (org) {
      var group = byOrganization[org];
      if (group.markers.length < 2) return;
      var title = A.config.text.searchAll.replace("{name}", org).replace("{n}", String(group.markers.length));
      add(title, group.words, 1, { overlay: group.layer, markers: group.markers, name: org });
    });
    // one record per title: places listed twice under the same title become one result
    // that shows them all (the plugin keys its records by title)
    var first = {};
    var unique = [];
    records.forEach(function (r) {
      var kept = first[r.title];
      var mine = r.target.markers || (r.target.marker ? [r.target.marker] : null);
      var theirs = kept && (kept.target.markers || (kept.target.marker ? [kept.target.marker] : null));
      if (kept && mine && theirs) {
        kept.target = { overlay: kept.target.overlay, markers: theirs.concat(mine), name: r.title };
        kept.words += " " + r.words;
        return;
      }
      var title = r.title;
      for (var i = 2; first[title]; i++) title = r.title + " (" + i + ")";
      r.title = title;
      first[title] = r;
      unique.push(r);
    });
    return unique;
  }

  // Chinese, Japanese and Korean script: written without spaces between words
  var CJK = /[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u3000-\u303f]/;

  /* Records whose words hold every word of the query (each as the start of a word; a word in
     CJK script anywhere, as names there have no spaces), best first: whole-word matches, then
     protected areas, then organizations and places. */
  function matchRecords(records, query) {
    var words = fold(query).split(" ").filter(Boolean);
    if (!words.length) return [];
    var hits = [];
    records.forEach(function (r) {
      var hay = " " + r.words + " ";
      var score = 0;
      for (var i = 0; i < words.length; i++) {
        var at = CJK.test(words[i]) ? hay.indexOf(words[i]) : hay.indexOf(" " + words[i]);
        if (at < 0) return;
        if (hay.indexOf(" " + words[i] + " ") >= 0) score += 1;
      }
      hits.push({ record: r, score: -score * 10 + r.rank });
    });
    hits.sort(function (x, y) {
      return x.score - y.score || (x.record.title < y.record.title ? -1 : 1);
    });
    return hits.map(function (h) {
      return h.record;
    });
  }
  A.matchRecords = matchRecords;

  /* Fit `bounds` with room for the controls and a zoom that keeps the place in context. */
  function fitTo(map, bounds, maxZoom) {
    var narrow = isNarrow();
    // on a wide screen, clear of the open legend (left) and layer list (right)
    var box = map.getContainer().getBoundingClientRect();
    var left = 60, right = 60;
    if (!narrow) {
      var legend = map.getContainer().querySelector(".amg-legend");
      var layers = map.getContainer().querySelector(".leaflet-control-layers-expanded");
      if (legend && legend.offsetWidth) left = Math.max(left, legend.getBoundingClientRect().right - box.left + 20);
      if (layers && layers.offsetWidth) right = Math.max(right, box.right - layers.getBoundingClientRect().left + 20);
      if (left + right > box.width * 0.7) left = right = 60;
    }
    map.fitBounds(bounds, {
      maxZoom: maxZoom,
      paddingTopLeft: narrow ? [20, 60] : [left, 60],
      paddingBottomRight: narrow ? [20, 40] : [right, 40],
      animate: false,
    });
  }

  /* What choosing a search result does: show the place and open what is there. */
  function goTo(map, record) {
    var t = record.target;
    if (!map.hasLayer(t.overlay)) map.addLayer(t.overlay);
    if (t.feature) {
      var bounds = t.feature.getBounds ? t.feature.getBounds() : L.latLngBounds([t.feature.getLatLng()]);
      fitTo(map, bounds, 11);
      var at = t.feature.feature && t.feature.feature.properties.c;
      identify(map, at ? L.latLng(at[0], at[1]) : bounds.getCenter(), t.feature);
    } else if (t.markers) {
      // an organization's far-away offices (Beijing, Moscow) are listed, not fitted: the map
      // stays on its region, as it opened
      var region = L.latLngBounds(A.config.frame).pad(1);
      var near = t.markers.filter(function (m) {
        return region.contains(m.getLatLng());
      });
      var box = L.latLngBounds((near.length ? near : t.markers).map(function (m) {
        return m.getLatLng();
      }));
      fitTo(map, box.pad(0.05), 11);
      // each place by its search title (organization, activity and place), as text
      var content = document.createElement("div");
      content.className = "amg-identify";
      var list = el("ul", "amg-list", content);
      t.markers.forEach(function (m) {
        el("li", "", list).textContent = (m.amurgeoKeys && m.amurgeoKeys[0]) || "";
      });
      L.popup(popupOptions(map)).setLatLng(box.getCenter()).setContent(content).openOn(map);
    } else if (t.marker) {
      var m = t.marker;
      if (t.overlay.hasLayer(m) && t.overlay.zoomToShowLayer) {
        map.setView(m.getLatLng(), Math.max(map.getZoom(), 10), { animate: false });
        t.overlay.zoomToShowLayer(m, function () {
          m.openPopup();
        });
      } else {
        // hidden by the activity filter: show where it is without changing the filter
        map.setView(m.getLatLng(), Math.max(map.getZoom(), 10), { animate: false });
        L.popup(popupOptions(map)).setLatLng(m.getLatLng()).setContent(m.getPopup().getContent()).openOn(map);
      }
    }
  }

  function searchControl(map, overlays, config) {
    if (!L.Control.Search) return null;
    var records = null;
    var byTitle = {};
    function all() {
      if (!records) {
        records = searchRecords(map, overlays);
        records.forEach(function (r) {
          byTitle[r.title] = r;
        });
      }
      return records;
    }
    var control = new L.Control.Search({
      position: "topleft",
      collapsed: isNarrow(),
      textPlaceholder: config.text.search,
      textErr: config.text.searchNoneHtml,
      textCancel: config.text.cancel,
      marker: false,
      autoType: false,
      initial: false,
      delayType: 150,
      tooltipLimit: -1,
      firstTipSubmit: true,
      autoCollapse: false,
      sourceData: function (text, callback) {
        callback(all());
      },
      formatData: function (list) {
        var out = {};
        list.forEach(function (r) {
          out[r.title] = r;
        });
        return out;
      },
      filterData: function (text) {
        var out = {};
        matchRecords(all(), text).forEach(function (r) {
          out[r.title] = r;
        });
        return out;
      },
      buildTip: function (text, record) {
        var tip = document.createElement("li");
        tip.textContent = text;
        if (record && record.target && record.target.markers) tip.className = "amg-tip-group";
        return tip;
      },
      moveToLocation: function (record) {
        goTo(map, record && record.target ? record : byTitle[record] || record);
      },
    });
    control.addTo(map);
    var input = control._input;
    input.className += " amg-search-input";
    input.setAttribute("aria-label", config.text.search);
    input.type = "search";
    input.size = 1;
    // typing, pasting and filling (as tests and assistive tools do) list matches at once
    input.addEventListener("input", function () {
      control._cancel.style.display = input.value ? "block" : "none";
      if (input.value.length) control._fillRecordsCache();
      else control._hideTooltip();
    });
    control.on("search:locationfound", function () {
      if (isNarrow()) control.collapse();
    });
    A.search = { control: control, records: all, match: matchRecords };
    return control;
  }

  function noteControl(map, config) {
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () {
      var box = el("details", "amg-note amg-box");
      box.open = !isNarrow();
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      var summary = el("summary", "amg-heading amg-title", box);
      summary.innerHTML = config.titleHtml;
      summary.setAttribute("data-short", config.text.about);
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
      style: basemapStyle(config),
    });
    return handMovedMinimap(new L.Control.MiniMap(layer, {
      position: "bottomright",
      width: 140,
      height: 140,
      zoomLevelOffset: -4,
      toggleDisplay: true,
      aimingRectOptions: { color: "#c62828", weight: 2, interactive: false },
      shadowRectOptions: { color: "#000", weight: 1, opacity: 0, fillOpacity: 0 },
    }));
  }

  /* The minimap gives its view back to the map only when the reader moved the minimap. Left to
     itself, leaflet-minimap also sends back a move it made to follow the map (its events can come
     in an order it does not expect), and the map jumps, or ignores the reader's next zoom. */
  function handMovedMinimap(control) {
    var moved = control._onMiniMapMoved;
    var byHand = false;
    control._onMiniMapMoved = function (e) {
      // the move that ends the reader's drag (after its inertia, however long) or zoom
      if (byHand) {
        byHand = false;
        return moved.call(this, e);
      }
      this._mainMapMoving = false; // it followed the map: nothing to give back
    };
    var onAdd = control.onAdd;
    control.onAdd = function (map) {
      var container = onAdd.call(this, map);
      function mark() {
        byHand = true;
      }
      this._miniMap.on("dragstart", mark);
      ["wheel", "dblclick", "keydown"].forEach(function (type) {
        L.DomEvent.on(container, type, mark);
      });
      return container;
    };
    return control;
  }

  /* ---- identify: everything under a click, as QGIS's Identify tool lists it ---------- */

  /* Is `latlng` inside the (multi)polygon `layer`? Even-odd over every ring, holes too. */
  function containsLatLng(layer, latlng) {
    if (!layer.getLatLngs || !(layer instanceof L.Polygon)) return false;
    if (layer.getBounds && !layer.getBounds().contains(latlng)) return false;
    var inside = false;
    var x = latlng.lng;
    var y = latlng.lat;
    (function walk(rings) {
      if (!rings.length) return;
      if (rings[0] instanceof L.LatLng) {
        for (var i = 0, j = rings.length - 1; i < rings.length; j = i++) {
          var a = rings[i];
          var b = rings[j];
          if (a.lat > y !== b.lat > y && x < ((b.lng - a.lng) * (y - a.lat)) / (b.lat - a.lat) + a.lng) {
            inside = !inside;
          }
        }
        return;
      }
      rings.forEach(walk);
    })(layer.getLatLngs());
    return inside;
  }
  A.containsLatLng = containsLatLng;

  /* Lines and points count as "under" a click within a few pixels of it. */
  function nearLayer(map, layer, latlng) {
    var p = map.latLngToContainerPoint(latlng);
    if (layer instanceof L.CircleMarker) {
      return p.distanceTo(map.latLngToContainerPoint(layer.getLatLng())) <= layer.getRadius() + 4;
    }
    if (layer instanceof L.Polyline && !(layer instanceof L.Polygon)) {
      var near = false;
      (function walk(line) {
        if (!line.length) return;
        if (!(line[0] instanceof L.LatLng)) return line.forEach(walk);
        for (var i = 1; i < line.length && !near; i++) {
          var a = map.latLngToContainerPoint(line[i - 1]);
          var b = map.latLngToContainerPoint(line[i]);
          near = L.LineUtil.pointToSegmentDistance(p, a, b) <= 6;
        }
      })(layer.getLatLngs());
      return near;
    }
    return false;
  }

  // the order in which identify lists what it finds: the reader's own features first (they
  // clicked for them; observation hexagons are theirs too), then the protected areas and
  // ranges, then what the analysis derives (overlaps, gaps); any other kind is a user layer
  var KIND_ORDER = { "protected-area": 1, range: 2, countries: 3, overlap: 4, gap: 5 };

  /* Everything under `latlng` on the overlays that are shown: [{spec, html}], in list order. */
  function featuresAt(map, latlng) {
    var found = [];
    A.overlays.forEach(function (overlay, index) {
      var spec = overlay.amurgeo;
      if (!map.hasLayer(overlay) || overlay.amurgeoMarkers) return;
      var order = KIND_ORDER[spec.kind] == null ? 0 : KIND_ORDER[spec.kind];
      if (spec.kind === "density") {
        overlay.eachLayer(function (level) {
          level.eachLayer(function (hex) {
            if (containsLatLng(hex, latlng)) {
              found.push({ spec: spec, order: order, index: index, html: level.getTooltip()._content(hex) });
            }
          });
        });
        return;
      }
      overlay.eachLayer(function (sub) {
        var props = (sub.feature && sub.feature.properties) || {};
        if (!props.p) return;
        if (containsLatLng(sub, latlng) || nearLayer(map, sub, latlng)) {
          found.push({ spec: spec, order: order, index: index, html: props.p, layer: sub });
        }
      });
    });
    found.sort(function (a, b) {
      return a.order - b.order || b.index - a.index; // the one drawn on top first
    });
    return found;
  }
  A.featuresAt = featuresAt;

  /* Open one popup listing everything under `latlng` (first the area `first`, if given). */
  function identify(map, latlng, first) {
    var found = featuresAt(map, latlng);
    if (first) {
      found.sort(function (a, b) {
        return (b.layer === first) - (a.layer === first);
      });
    }
    if (!found.length) return null;
    var html = '<div class="amg-identify" data-count="' + found.length + '">';
    if (found.length > 1) {
      html += '<div class="amg-identify-count">' + A.config.text.hereHtml.replace("{n}", String(found.length)) + "</div>";
    }
    found.forEach(function (f) {
      html += '<section class="amg-hit amg-hit-' + f.spec.kind + '" data-overlay="' + f.spec.id + '">';
      // the layer's name, unless the feature's own heading already says it
      if (f.html.indexOf("<h3>" + f.spec.nameHtml + "</h3>") < 0) {
        html += '<div class="amg-hit-layer">' + f.spec.nameHtml + "</div>";
      }
      html += f.html + "</section>";
    });
    html += "</div>";
    return L.popup(popupOptions(map)).setLatLng(latlng).setContent(html).openOn(map);
  }
  A.identify = function (latlng, first) {
    return identify(A.map, L.latLng(latlng), first);
  };

  /* ---- labels: protected areas, countries and towns as text in the page --------------- */

  function labelMarker(item, className, pane) {
    var node = document.createElement("span");
    node.className = "amg-label-text";
    node.textContent = item.text;
    if (item.lang) node.lang = item.lang;
    var marker = L.marker([item.lat, item.lng], {
      icon: L.divIcon({ className: "amg-label " + className, html: node, iconSize: null }),
      interactive: false,
      keyboard: false,
      pane: pane,
    });
    marker.amurgeoLabel = item;
    return marker;
  }

  function overlapping(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  /* Show a label where it fits: an area's label inside its area, none over another. */
  function placeLabels(map, labels) {
    var box = map.getContainer().getBoundingClientRect();
    // activity markers and clusters are obstacles: a town's name moves to the other side
    var placed = [];
    var markers = Array.prototype.map.call(
      map.getContainer().querySelectorAll(".amg-activity, .amg-cluster"),
      function (n) {
        return n.getBoundingClientRect();
      }
    );
    // the map's controls (legend, layers, search, minimap, note) cover what is under them
    var controls = [];
    map.getContainer().querySelectorAll(".leaflet-control").forEach(function (n) {
      var r = n.getBoundingClientRect();
      if (r.width && r.height && getComputedStyle(n).visibility !== "hidden") controls.push(r);
    });
    var areas = labels.filter(function (e) {
      return e.area && e.overlay && map.hasLayer(e.overlay);
    });
    var callouts = [];
    labels.forEach(function (entry) {
      var node = entry.marker.getElement();
      if (!node) return;
      var item = entry.marker.amurgeoLabel;
      if (item.alt) entry.marker.setLatLng([item.lat, item.lng]); // back to its first spot
      entry.marker.update(); // where the map is now, not where the last frame drew it
      var text = node.firstChild;
      clearCallout(node, text);
      node.style.display = "";
      var show = !entry.overlay || map.hasLayer(entry.overlay);
      if (show && (entry.minZoom || 0) > map.getZoom()) show = false;
      var r;
      function fits() {
        r = text.getBoundingClientRect();
        // the middle and the middle of each side of the text inside the area's polygon
        // (a corner may cross the edge: the halo keeps the text readable there)
        var mx = (r.left + r.right) / 2;
        var my = (r.top + r.bottom) / 2;
        var points = [[mx, my], [r.left, my], [r.right, my], [mx, r.top], [mx, r.bottom]];
        return points.every(function (xy) {
          var latlng = map.containerPointToLatLng([xy[0] - box.left, xy[1] - box.top]);
          return entry.area.some(function (part) {
            return containsLatLng(part, latlng);
          });
        });
      }
      if (show && entry.area) {
        // the full name, else the short one, else the short one over more lines
        var tries = [[item.text, ""], [item.short, ""], [item.short, "90px"]];
        show = false;
        for (var k = 0; k < tries.length && !show; k++) {
          if (!tries[k][0]) continue;
          text.textContent = tries[k][0];
          text.style.maxWidth = tries[k][1];
          show = fits();
        }
        if (!show) {
          // too small or too thin here: its short name beside it, with a leader line
          callouts.push(entry);
          node.style.display = "none";
          node.setAttribute("data-shown", "0");
          return;
        }
      }
      r = text.getBoundingClientRect();
      var rect = { left: r.left - 2, right: r.right + 2, top: r.top - 1, bottom: r.bottom + 1 };
      function free() {
        // a name cut by the edge of the map is not shown there
        if (rect.left < box.left || rect.right > box.right || rect.top < box.top || rect.bottom > box.bottom) {
          return false;
        }
        var against = (entry.area ? placed : placed.concat(markers)).concat(controls);
        return !against.some(function (other) {
          return overlapping(rect, other);
        });
      }
      if (show) {
        // a town's name: right of its dot, else left, else clear of a marker on the dot
        var sides = !entry.area && entry.order >= 200 ? ["", "amg-label-left", "amg-label-far", "amg-label-below"] : [""];
        show = false;
        for (var k = 0; k < sides.length && !show; k++) {
          node.classList.remove("amg-label-left", "amg-label-far", "amg-label-below");
          if (sides[k]) node.classList.add(sides[k]);
          r = text.getBoundingClientRect();
          rect = { left: r.left - 2, right: r.right + 2, top: r.top - 1, bottom: r.bottom + 1 };
          show = free();
        }
        // a country's name under a control (or another name): another spot inside the country
        var spots = item.alt || [];
        for (var s = 0; s < spots.length && !show; s++) {
          entry.marker.setLatLng(spots[s]);
          r = text.getBoundingClientRect();
          rect = { left: r.left - 2, right: r.right + 2, top: r.top - 1, bottom: r.bottom + 1 };
          show = free();
        }
        if (!show && entry.area) {
          // an area's name that fits inside it but under a control or another name: beside it
          callouts.push(entry);
          node.style.display = "none";
          node.setAttribute("data-shown", "0");
          return;
        }
      }
      if (show) placed.push(rect);
      node.style.display = show ? "" : "none";
      node.setAttribute("data-shown", show ? "1" : "0");
      if (entry.order >= 100 && callouts.length) {
        // callouts go after the areas' own labels, before countries and towns
        callouts.forEach(function (c) {
          placeCallout(map, box, c, areas, placed, markers.concat(controls));
        });
        callouts = [];
      }
    });
    callouts.forEach(function (c) {
      placeCallout(map, box, c, areas, placed, markers.concat(controls));
    });
  }

  function clearCallout(node, text) {
    node.classList.remove("amg-label-callout");
    text.style.transform = "";
    var leader = node.querySelector(".amg-leader");
    if (leader) leader.parentNode.removeChild(leader);
    node.removeAttribute("data-anchor");
  }

  /* A point of the area on screen that no marker covers, nearest its label point. */
  function visibleAnchor(map, box, entry, obstacles) {
    var origin = map.latLngToContainerPoint(entry.marker.getLatLng());
    var size = map.getSize();
    var bounds = null;
    entry.area.forEach(function (part) {
      bounds = bounds ? bounds.extend(part.getBounds()) : L.latLngBounds(part.getBounds().getSouthWest(), part.getBounds().getNorthEast());
    });
    var nw = map.latLngToContainerPoint(bounds.getNorthWest());
    var se = map.latLngToContainerPoint(bounds.getSouthEast());
    var best = null;
    var step = Math.max(3, Math.min(se.x - nw.x, se.y - nw.y) / 12);
    for (var y = Math.max(4, nw.y); y <= Math.min(size.y - 4, se.y); y += step) {
      for (var x = Math.max(4, nw.x); x <= Math.min(size.x - 4, se.x); x += step) {
        var latlng = map.containerPointToLatLng([x, y]);
        var inside = entry.area.some(function (part) {
          return containsLatLng(part, latlng);
        });
        if (!inside) continue;
        var px = x + box.left, py = y + box.top;
        var covered = obstacles.some(function (o) {
          return px > o.left - 4 && px < o.right + 4 && py > o.top - 4 && py < o.bottom + 4;
        });
        var d = (x - origin.x) * (x - origin.x) + (y - origin.y) * (y - origin.y);
        // a point under a marker only when every point of the area is (a small reserve under
        // a cluster): the leader, drawn above the markers, still points at the area
        if (covered) d += 1e9;
        if (!best || d < best.d) best = { x: x, y: y, d: d };
      }
    }
    return best && { anchor: best, origin: origin };
  }

  /* Does the leader from (ax, ay) to the box `r` run through another name? */
  function crossesNames(ax, ay, r, placed) {
    var ex = Math.max(r.left + 2, Math.min(ax, r.right - 2));
    var ey = Math.max(r.top + 1, Math.min(ay, r.bottom - 1));
    var n = Math.ceil(Math.hypot(ex - ax, ey - ay) / 3);
    for (var i = 0; i <= n; i++) {
      var x = ax + ((ex - ax) * i) / Math.max(n, 1), y = ay + ((ey - ay) * i) / Math.max(n, 1);
      var hit = placed.some(function (o) {
        return x > o.left && x < o.right && y > o.top && y < o.bottom;
      });
      if (hit) return true;
    }
    return false;
  }

  /* An area's short name beside it, joined to a visible point of it by a leader line: on the
   * first free spot, preferring one off every other protected area (so the text never reads
   * as naming its neighbour). */
  function placeCallout(map, box, entry, areas, placed, obstacles) {
    var node = entry.marker.getElement();
    var text = node.firstChild;
    var item = entry.marker.amurgeoLabel;
    var at = visibleAnchor(map, box, entry, obstacles);
    if (!at) return;
    text.textContent = item.short || item.text;
    text.style.maxWidth = "150px";
    node.style.display = "";
    node.classList.add("amg-label-callout");
    var w = text.offsetWidth, h = text.offsetHeight;
    var ax = at.anchor.x + box.left, ay = at.anchor.y + box.top;
    function onOtherArea(r) {
      var pts = [[r.left, r.top], [r.right, r.top], [r.left, r.bottom], [r.right, r.bottom], [(r.left + r.right) / 2, (r.top + r.bottom) / 2]];
      return pts.some(function (xy) {
        var latlng = map.containerPointToLatLng([xy[0] - box.left, xy[1] - box.top]);
        return areas.some(function (other) {
          return other.area.some(function (part) {
            return containsLatLng(part, latlng);
          });
        });
      });
    }
    var chosen = null;
    // first off every other area with a leader that crosses no name (reaching further out),
    // then off every other area, then anywhere free
    for (var pass = 0; pass < 3 && !chosen; pass++) {
      for (var d = 28; d <= (pass === 0 ? 250 : 150) && !chosen; d += 20) {
        for (var k = 0; k < 16 && !chosen; k++) {
          var angle = (Math.PI * 2 * k) / 16;
          // the nearest point of the text box to the anchor sits `d` px away
          var cx = ax + Math.cos(angle) * (d + w / 2);
          var cy = ay + Math.sin(angle) * (d + h / 2);
          var r = { left: cx - w / 2 - 2, right: cx + w / 2 + 2, top: cy - h / 2 - 1, bottom: cy + h / 2 + 1 };
          if (r.left < box.left || r.right > box.right || r.top < box.top || r.bottom > box.bottom) continue;
          var against = placed.concat(obstacles);
          if (against.some(function (o) { return overlapping(r, o); })) continue;
          if (pass === 0 && crossesNames(ax, ay, r, placed)) continue;
          if (pass < 2 && onOtherArea(r)) continue;
          chosen = { cx: cx, cy: cy, r: r };
        }
      }
    }
    if (!chosen) {
      node.style.display = "none";
      return;
    }
    var ox = at.origin.x + box.left, oy = at.origin.y + box.top;
    text.style.transform = "translate(calc(-50% + " + (chosen.cx - ox) + "px), calc(-50% + " + (chosen.cy - oy) + "px))";
    // the leader: from the anchor to the nearest point of the text's box
    var ex = Math.max(chosen.r.left + 2, Math.min(ax, chosen.r.right - 2));
    var ey = Math.max(chosen.r.top + 1, Math.min(ay, chosen.r.bottom - 1));
    var leader = document.createElement("span");
    leader.className = "amg-leader";
    leader.style.left = ax - ox + "px";
    leader.style.top = ay - oy + "px";
    leader.style.width = Math.hypot(ex - ax, ey - ay) + "px";
    leader.style.transform = "rotate(" + Math.atan2(ey - ay, ex - ax) + "rad)";
    node.appendChild(leader);
    node.setAttribute("data-anchor", [Math.round(ax), Math.round(ay)].join(","));
    node.setAttribute("data-shown", "1");
    placed.push(chosen.r);
  }

  function labelLayer(map, overlays, config) {
    // above the markers (600): a park's name matters more than a cluster's count; below the
    // tooltips (650) and popups (700)
    ensurePane(map, "amurgeo-labels", 620);
    map.getPane("amurgeo-labels").style.pointerEvents = "none";
    var group = L.layerGroup();
    var labels = [];
    // protected areas first (largest first), then other areas, countries, towns by rank
    overlays.forEach(function (overlay) {
      var spec = overlay.amurgeo;
      if (!spec.labels || !overlay.eachLayer) return;
      var subs = [];
      overlay.eachLayer(function (sub) {
        subs.push(sub);
      });
      spec.labels.forEach(function (item) {
        var area = [].concat(item.feature).map(function (i) {
          return subs[i];
        });
        var marker = labelMarker(item, "amg-label-" + spec.kind, "amurgeo-labels");
        labels.push({ marker: marker, overlay: overlay, area: area, order: item.order || 0 });
      });
    });
    (config.countryLabels || []).forEach(function (item) {
      labels.push({ marker: labelMarker(item, "amg-label-country", "amurgeo-labels"), order: 100 });
    });
    (config.places || []).forEach(function (item) {
      var marker = labelMarker(item, "amg-label-town", "amurgeo-labels");
      labels.push({ marker: marker, order: 200 + (item.rank || 0), minZoom: item.minZoom || 0 });
    });
    labels.sort(function (a, b) {
      return a.order - b.order;
    });
    labels.forEach(function (entry) {
      group.addLayer(entry.marker);
    });
    var pending = null;
    function update() {
      if (pending) cancelAnimationFrame(pending);
      pending = requestAnimationFrame(function () {
        pending = null;
        placeLabels(map, labels);
      });
    }
    group.on("add", function () {
      map.on("zoomend moveend overlayadd overlayremove layeradd layerremove resize", update);
      // activity markers are obstacles for town names: measure them again once clusters settle
      overlays.forEach(function (overlay) {
        if (L.MarkerClusterGroup && overlay instanceof L.MarkerClusterGroup) overlay.on("animationend", update);
      });
      update();
    });
    group.amurgeoLabels = labels;
    group.amurgeoUpdate = function () {
      placeLabels(map, labels);
    };
    return group;
  };

  /* ---- phone layout: the layers button opens the list and never picks under the finger --- */
  function safeLayerControl(control) {
    var expand = control._expand;
    control._expand = function () {
      var form = this._form || this._container;
      expand.apply(this, arguments);
      if (!form) return;
      form.style.pointerEvents = "none";
      clearTimeout(this._amgSafe);
      this._amgSafe = setTimeout(function () {
        form.style.pointerEvents = "";
      }, 450);
    };
  }

  /* The share of the map that controls cover (0..1), measured on a 4-pixel grid. */
  A.controlCoverage = function () {
    var map = A.map;
    var box = map.getContainer().getBoundingClientRect();
    var rects = [];
    map.getContainer().querySelectorAll(".leaflet-control").forEach(function (node) {
      var r = node.getBoundingClientRect();
      if (r.width && r.height && getComputedStyle(node).visibility !== "hidden") rects.push(r);
    });
    var covered = 0;
    var total = 0;
    for (var y = box.top + 2; y < box.bottom; y += 4) {
      for (var x = box.left + 2; x < box.right; x += 4) {
        total += 1;
        for (var i = 0; i < rects.length; i++) {
          var r = rects[i];
          if (x >= r.left && x < r.right && y >= r.top && y < r.bottom) {
            covered += 1;
            break;
          }
        }
      }
    }
    return covered / total;
  };

  /* Fit the region into the part of the map that the controls leave free. */
  function frame(map, bounds) {
    var box = map.getContainer();
    var size = map.getSize();
    function width(selector) {
      var node = box.querySelector(selector);
      return node ? node.offsetWidth : 0;
    }
    function height(selector) {
      var node = box.querySelector(selector);
      return node ? node.offsetHeight : 0;
    }
    var left = Math.min(width(".leaflet-top.leaflet-left"), size.x * 0.3);
    var right = Math.min(width(".leaflet-top.leaflet-right"), size.x * 0.35);
    if (size.x - left - right < 200) left = right = 0;
    // on a phone the side controls are columns of buttons at the top and bottom: a wide frame
    // that gains a zoom level when it may pass beside them (not under them) takes it
    if (isNarrow() && (left || right)) {
      var free = map.getBoundsZoom(bounds, false, L.point(16, 16));
      if (free > map.getBoundsZoom(bounds, false, L.point(left + right + 16, 16))) {
        var sw = map.project(L.latLngBounds(bounds).getSouthWest(), free);
        var ne = map.project(L.latLngBounds(bounds).getNorthEast(), free);
        var margin = (size.y - Math.abs(sw.y - ne.y)) / 2;
        var columns = Math.max(
          height(".leaflet-top.leaflet-left"), height(".leaflet-top.leaflet-right"),
          height(".leaflet-bottom.leaflet-left"), height(".leaflet-bottom.leaflet-right"));
        if (margin >= columns + 8) left = right = 0;
      }
    }
    // no animation: the opening view is where the page starts, not a move the reader made (and
    // a zoom animation still running would make Leaflet ignore the next setView)
    map.fitBounds(bounds, { paddingTopLeft: [left + 8, 8], paddingBottomRight: [right + 8, 8], animate: false });
  }

  /* Wire everything up once every overlay exists. */
  A.setup = function (map, overlays, bases, config) {
    config.text = L.extend(
      {
        searchAll: "{name}: all {n} places",
        searchNoneHtml: "Nothing found",
        cancel: "Cancel",
        hereHtml: "{n} layers here",
        about: "About this map",
      },
      config.text
    );
    A.config = config;
    A.map = map;
    A.overlays = overlays;
    var notice = document.getElementById("amg-needs-internet");
    if (notice) notice.parentNode.removeChild(notice);
    var narrow = isNarrow();
    L.DomUtil.addClass(map.getContainer(), narrow ? "amg-narrow" : "amg-wide");
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
    var layerControl = L.control.groupedLayers(baseLayers, groups, {
      collapsed: narrow || window.innerWidth < 900,
      position: "topright",
    });
    safeLayerControl(layerControl);
    layerControl.addTo(map);
    L.control.scale({ imperial: false, position: narrow ? "bottomright" : "bottomleft" }).addTo(map);
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
    var minimap = narrow ? null : minimapControl(config);
    if (minimap) minimap.addTo(map);
    A.minimap = minimap;
    var labels = labelLayer(map, overlays, config);
    labels.addTo(map);
    map.on("click", function (e) {
      identify(map, e.latlng);
    });
    frame(map, config.frame);
    A.layerControl = layerControl;
    A.labels = labels;
    return map;
  };
})();
