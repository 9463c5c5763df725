/* Metric page: the distribution chart, the county map and the ranked table of cities.
 *
 * Chart specs come from the page (<script type="application/json">); the map's values come
 * from /metric/<id>/map.json as [[geoid, value, quality code], ...] and fill the spec's
 * named data source "values". Every chart is rendered as SVG by vega-embed, from our own
 * static files, with PNG and SVG export.
 */
(function () {
  "use strict";

  var QUALITY = { 1: "Strong", 2: "Marginal", 3: "Weak" };

  function readSpec(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function embedOptions(container) {
    // site.js's CSP-safe options (expression interpreter, no injected styles) first.
    return Object.assign({}, window.Upward.vegaOptions, {
      renderer: "svg",
      actions: { export: true, source: false, compiled: false, editor: false },
      downloadFileName: container.dataset.filename || "chart",
      i18n: { PNG_ACTION: "Save as PNG", SVG_ACTION: "Save as SVG" },
    });
  }

  function fail(container, message) {
    container.setAttribute("data-state", "error");
    container.innerHTML = "";
    var p = document.createElement("p");
    p.className = "upward-mp-chart__error";
    p.textContent = message;
    container.appendChild(p);
  }

  /* The chart is one image named by its summary sentence; the export menu gets a name. */
  function labelChart(container, label) {
    var svg = container.querySelector("svg.marks");
    if (svg) {
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-label", label);
    }
    var summary = container.querySelector(".vega-embed details > summary");
    if (summary) {
      summary.setAttribute("aria-label", "Save this chart as PNG or SVG");
      summary.removeAttribute("title");
      var icon = summary.querySelector("svg");
      if (icon) icon.setAttribute("aria-hidden", "true");
    }
  }

  function render(container, spec, label) {
    container.innerHTML = "";
    return vegaEmbed(container, spec, embedOptions(container)).then(function (result) {
      labelChart(container, label);
      container.setAttribute("data-state", "rendered");
      return result;
    });
  }

  function drawHistogram() {
    var container = document.getElementById("metric-histogram");
    var spec = readSpec("histogram-spec");
    if (!container || !spec) return;
    render(container, spec, spec.description || "Distribution chart").catch(function () {
      fail(container, "The chart could not be drawn; the table below holds the same counts.");
    });
  }

  function mapSize(container) {
    var width = Math.max(280, Math.floor(container.getBoundingClientRect().width) || 800);
    return { width: width, height: Math.round(width * 0.62) };
  }

  function drawMap() {
    var container = document.getElementById("metric-map");
    var spec = readSpec("map-spec");
    if (!container || !spec) return;
    fetch(container.dataset.mapUrl, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("map data " + response.status);
        return response.json();
      })
      .then(function (rows) {
        var size = mapSize(container);
        spec.width = size.width;
        spec.height = size.height;
        spec.datasets = {
          values: rows.map(function (row) {
            return { g: row[0], v: row[1], q: row[2] ? QUALITY[row[2]] : "Not rated" };
          }),
        };
        return render(container, spec, spec.description || "Map of counties");
      })
      .catch(function () {
        fail(container, "The map could not be drawn; the table of states and the CSV download hold the same values.");
      });
  }

  /* Ranked table of places (cities), built from the page's .json twin. */

  var FORMATS = {
    share: function (v) { return (v * 100).toFixed(1) + "%"; },
    dollars: function (v) { return "$" + Math.round(v).toLocaleString("en-US"); },
    count: function (v) { return Math.round(v).toLocaleString("en-US"); },
    index: function (v) { return Math.round(v).toLocaleString("en-US"); },
    rate: function (v) { return Math.abs(v) < 10 ? v.toFixed(2) : v.toLocaleString("en-US", { maximumFractionDigits: 1 }); },
    ratio: function (v) { return v.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }); },
  };

  var COLUMNS = [
    { key: "name", label: "City", numeric: false },
    { key: "value", label: "Value", numeric: true },
    { key: "ci", label: "95% confidence interval", numeric: false, sortable: false },
    { key: "quality", label: "Quality", numeric: false },
  ];

  function cell(tag, text, className) {
    var node = document.createElement(tag);
    node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function buildTable(container, places, unit) {
    var format = FORMATS[unit] || FORMATS.ratio;
    var table = document.createElement("table");
    table.className = "usa-table usa-table--borderless usa-table--compact";
    table.appendChild(cell("caption", "Every city's value; select a column heading to sort"));
    var head = table.createTHead().insertRow();
    var body = table.createTBody();
    var state = { key: "value", descending: true };

    function sortValue(place, key) {
      if (key === "value") return place.value;
      if (key === "quality") return { Strong: 1, Marginal: 2, Weak: 3 }[place.quality] || 4;
      return place.name;
    }

    function fill() {
      var sorted = places.slice().sort(function (a, b) {
        var x = sortValue(a, state.key), y = sortValue(b, state.key);
        if (x === null || x === undefined) return 1;
        if (y === null || y === undefined) return -1;
        var order = x < y ? -1 : x > y ? 1 : 0;
        return state.descending ? -order : order;
      });
      body.innerHTML = "";
      sorted.forEach(function (place) {
        var row = body.insertRow();
        var th = document.createElement("th");
        th.scope = "row";
        var link = cell("a", place.name);
        link.href = place.url;
        th.appendChild(link);
        row.appendChild(th);
        row.appendChild(cell("td", place.value === null ? "No estimate" : format(place.value), "text-right"));
        row.appendChild(cell("td", place.lb === null || place.ub === null ? "" : format(place.lb) + " to " + format(place.ub)));
        row.appendChild(cell("td", place.value === null ? "" : place.quality || "Not rated"));
      });
      Array.prototype.forEach.call(head.cells, function (th, i) {
        var column = COLUMNS[i];
        if (column.sortable === false) return;
        th.setAttribute("aria-sort", column.key === state.key ? (state.descending ? "descending" : "ascending") : "none");
      });
    }

    COLUMNS.forEach(function (column) {
      var th = document.createElement("th");
      th.scope = "col";
      if (column.numeric) th.className = "text-right";
      if (column.sortable === false) {
        th.textContent = column.label;
      } else {
        var button = cell("button", column.label, "usa-button usa-button--unstyled upward-mp-sort");
        button.type = "button";
        button.addEventListener("click", function () {
          state.descending = state.key === column.key ? !state.descending : column.numeric;
          state.key = column.key;
          fill();
        });
        th.appendChild(button);
      }
      head.appendChild(th);
    });
    fill();
    container.innerHTML = "";
    container.appendChild(table);
    container.setAttribute("data-state", "rendered");
  }

  function drawPlaceTable() {
    var container = document.getElementById("place-table");
    if (!container) return;
    fetch(container.dataset.jsonUrl, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("places " + response.status);
        return response.json();
      })
      .then(function (body) { buildTable(container, body.places, container.dataset.unit); })
      .catch(function () { fail(container, "The table could not be loaded; use the CSV download."); });
  }

  /* A new variable or kind of place may not have the chosen year: fall back to the latest. */
  function resetYearOnChange() {
    var year = document.getElementById("choose-year");
    ["choose-variable", "choose-level"].forEach(function (id) {
      var select = document.getElementById(id);
      if (select && year) select.addEventListener("change", function () { year.value = ""; });
    });
  }

  function start() {
    resetYearOnChange();
    if (typeof vegaEmbed === "undefined") {
      ["metric-map", "metric-histogram"].forEach(function (id) {
        var node = document.getElementById(id);
        if (node) fail(node, "The chart library did not load; the tables hold the same values.");
      });
    } else {
      drawHistogram();
      drawMap();
    }
    drawPlaceTable();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
