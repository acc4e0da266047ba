/*
 * amurgeo observation density (part of amurgeo, MIT licence): equal-area hexagons drawn on
 * one canvas, a coarser or finer set of hexagons for each zoom, built when first shown.
 *
 * Safety rule, as in _map_ui.js: every "...Html" string was escaped in Python
 * (amurgeo._obs_map); the only thing added here is numbers.
 *
 * A level's "cells" is a flat list, "stride" numbers per hexagon: the centre (lon, lat in
 * 1e-5 degree), 12 corrections to the level's reference vertex offsets "ref", the count, the
 * colour class, then one count per species in "speciesHtml".
 */
(function () {
  "use strict";
  var A = (window.amurgeo = window.amurgeo || {});

  A.hexLayer = function (map, spec) {
    if (!map.getPane(spec.pane)) {
      var pane = map.createPane(spec.pane);
      pane.style.zIndex = String(spec.zIndex);
      // opaque hexagons in a translucent pane: no seams where neighbours meet
      pane.style.opacity = String(spec.fillOpacity);
    }
    var renderer = L.canvas({ pane: spec.pane, padding: 0.2 });
    var group = L.featureGroup();
    var built = [];
    var current = -1;

    function tooltip(sub) {
      var k = sub.amurgeoLevel;
      var i = sub.amurgeoCell;
      var cells = spec.levels[k].cells;
      var html = "<b>" + spec.countHtml.replace("{n}", String(cells[i + 14])) + "</b><br>";
      html += spec.levelHtml[k];
      for (var j = 0; j < spec.speciesHtml.length; j++) {
        html += "<br>" + spec.speciesHtml[j] + ": " + String(cells[i + 16 + j]);
      }
      return html;
    }

    function build(k) {
      if (built[k]) return built[k];
      var level = spec.levels[k];
      var cells = level.cells;
      var stride = level.stride;
      var ref = level.ref;
      var scale = spec.scale;
      var last = spec.colors.length - 1;
      var layer = L.featureGroup();
      for (var i = 0; i < cells.length; i += stride) {
        var ring = [];
        for (var v = 0; v < 6; v++) {
          ring.push([
            (cells[i + 1] + ref[2 * v + 1] + cells[i + 3 + 2 * v]) / scale,
            (cells[i] + ref[2 * v] + cells[i + 2 + 2 * v]) / scale,
          ]);
        }
        var color = spec.colors[Math.min(cells[i + 15], last)];
        var poly = L.polygon(ring, {
          renderer: renderer,
          pane: spec.pane,
          color: color,
          weight: 0.6,
          opacity: 1,
          fillColor: color,
          fillOpacity: 1,
        });
        poly.amurgeoLevel = k;
        poly.amurgeoCell = i;
        layer.addLayer(poly);
      }
      layer.bindTooltip(tooltip, { sticky: true, className: "amg-tooltip" });
      built[k] = layer;
      return layer;
    }

    /* The finest level whose hexagons are at least about spec.hexPixels wide on screen. */
    function choose() {
      var size = map.getSize();
      var a = map.containerPointToLatLng([size.x / 2, size.y / 2]);
      var b = map.containerPointToLatLng([size.x / 2 + 100, size.y / 2]);
      var metresPerPixel = map.distance(a, b) / 100 || 1;
      var pick = 0;
      for (var k = 0; k < spec.levels.length; k++) {
        if (spec.levels[k].sizeM / metresPerPixel >= spec.hexPixels * 0.75) pick = k;
      }
      return pick;
    }

    function update() {
      if (!map.hasLayer(group)) return;
      var k = choose();
      if (k === current) return;
      if (current >= 0 && built[current]) group.removeLayer(built[current]);
      group.addLayer(build(k));
      current = k;
      group.amurgeoLevel = k;
    }

    group.on("add", function () {
      map.on("zoomend", update);
      update();
    });
    group.on("remove", function () {
      map.off("zoomend", update);
    });
    group.amurgeo = spec;
    group.amurgeoUpdate = update;
    return group;
  };
})();
