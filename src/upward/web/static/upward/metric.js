/* Metric and state pages: the distribution chart, the county map (with its Weak toggle
 * and place finder) and the sortable tables of values.
 *
 * Chart specs come from the page (<script type="application/json">); the map's values come
 * from /metric/<id>/map.json as [[geoid, value, quality code], ...] and fill the spec's
 * named data source "values". Every chart is rendered as SVG by vega-embed, from our own
 * static files, with SVG export (and PNG for the histogram: the map's hatching is an SVG
 * pattern of the page, which a PNG cannot draw).
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
    var png = container.id !== "metric-map";
    return Object.assign({}, window.Upward.vegaOptions, {
      renderer: "svg",
      actions: { export: { svg: true, png: png }, source: false, compiled: false, editor: false },
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

  /* The county map: the nation, or one state (the spec's focus_state). Its parameters
   * (county_map.py) change while it shows: hide_weak (the checkbox), focus_state and
   * highlight (finding a place zooms to its state and outlines it). */
  var map = { view: null, rows: {}, spec: null };

  function setParam(name, value) {
    if (!map.view) return Promise.resolve();
    map.view.signal(name, value);
    return map.view.runAsync();
  }

  function drawMap() {
    var container = document.getElementById("metric-map");
    var spec = readSpec("map-spec");
    if (!container || !spec) return;
    if (window.location.protocol === "file:") {
      /* the static export opened from disk: a browser reads no data file from there */
      fail(container, "The map is drawn when these pages are served by a web server; opened from disk, it cannot read its data. The table of values on this page holds the same numbers.");
      return;
    }
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
            var q = row[2] ? QUALITY[row[2]] : "Not rated";
            map.rows[row[0]] = { v: row[1], q: q };
            return { g: row[0], v: row[1], q: q };
          }),
        };
        map.spec = spec;
        return render(container, spec, spec.description || "Map of counties");
      })
      .then(function (result) {
        map.view = result.view;
        followWidth(container);
        setupToggle();
        setupFind(container.dataset.unit);
      })
      .catch(function () {
        fail(container, "The map could not be drawn; the table of values on this page holds the same numbers.");
      });
  }

  /* A window narrowed or a phone turned: the map takes its box's new width (the view
   * keeps its parameters: hidden Weak estimates, the place found). */
  function followWidth(container) {
    if (!("ResizeObserver" in window)) return;
    var drawn = map.spec.width; // the width it was drawn at: the box may have changed since
    function follow() {
      var size = mapSize(container);
      if (!map.view || Math.abs(size.width - drawn) < 4) return;
      drawn = size.width;
      map.view.width(size.width).height(size.height).runAsync();
    }
    new ResizeObserver(follow).observe(container);
    follow();
  }

  function setupToggle() {
    var toggle = document.querySelector("[data-map-toggle]");
    if (!toggle) return;
    var box = toggle.querySelector("input");
    toggle.hidden = false;
    box.addEventListener("change", function () {
      setParam("hide_weak", box.checked).then(function () {
        document.getElementById("metric-map").setAttribute("data-weak", box.checked ? "hidden" : "shown");
      });
    });
  }

  function statusLine(place, unit) {
    var status = document.getElementById("map-status");
    var row = map.rows[place.geoid];
    var format = FORMATS[unit] || FORMATS.ratio;
    status.innerHTML = "";
    var text = place.display_name + " is outlined on the map, zoomed to " + place.state_name + ". ";
    if (row && row.v !== null && row.v !== undefined) {
      text += "Its value: " + format(row.v) + " (" + row.q + (row.q === "Weak" ? ", a rough signal only" : "") + "). ";
    } else {
      text += "It has no published value for this year. ";
    }
    status.appendChild(document.createTextNode(text));
    var link = document.createElement("a");
    link.href = place.url;
    link.textContent = "Open the profile of " + place.display_name;
    status.appendChild(link);
    status.appendChild(document.createTextNode(" "));
    var reset = document.createElement("button");
    reset.type = "button";
    reset.className = "usa-button usa-button--unstyled";
    reset.textContent = "Show the whole nation again";
    reset.addEventListener("click", function () {
      status.textContent = "The map shows the whole nation.";
      setParam("highlight", "").then(function () { return setParam("focus_state", ""); })
        .then(function () { document.getElementById("metric-map").setAttribute("data-found", ""); });
    });
    status.appendChild(reset);
  }

  function showPlace(place, unit) {
    setParam("highlight", place.geoid)
      .then(function () { return setParam("focus_state", place.state_fips); })
      .then(function () {
        document.getElementById("metric-map").setAttribute("data-found", place.geoid);
        statusLine(place, unit);
      });
  }

  function counties(data) {
    return (data.results || []).filter(function (p) { return p.geo_level === "county"; });
  }

  /* Find a county: site.js's combobox over /search.json; without the map (or a script)
   * the form goes to the home page's search, which opens the place's profile. */
  function setupFind(unit) {
    var form = document.querySelector("[data-map-find]");
    if (!form || !window.Upward || !window.Upward.combobox) return;
    var box = form.querySelector(".upward-combobox");
    var input = form.querySelector("input");
    window.Upward.combobox(box, 0, {
      idPrefix: "map-find-list-",
      url: function (source, query) { return source + "?limit=20&q=" + encodeURIComponent(query); },
      results: function (data) { return counties(data).slice(0, 8); },
      choose: function (place, combo) {
        combo.input.value = place.display_name;
        combo.close();
        showPlace(place, unit);
      },
    });
    form.addEventListener("submit", function (event) {
      var query = input.value.trim();
      if (!query) return;
      event.preventDefault();
      input.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" }));
      fetch(box.dataset.source + "?limit=20&q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) {
          var found = counties(data);
          if (found.length) {
            input.value = found[0].display_name;
            showPlace(found[0], unit);
          } else {
            document.getElementById("map-status").textContent = "No county matches '" + query + "'. Try its name with the state, such as Ramsey County, MN, or its 5-digit FIPS code.";
          }
        });
    });
  }

  /* Numbers in the status line after finding a place (the tables are formatted by the
   * server, reports/numbers.py; these follow the same rules for the map's raw values). */
  var FORMATS = {
    share: function (v) { return (v * 100).toFixed(1) + "%"; },
    dollars: function (v) { return "$" + Math.round(v).toLocaleString("en-US"); },
    count: function (v) { return Math.round(v).toLocaleString("en-US"); },
    index: function (v) { return Math.round(v).toLocaleString("en-US"); },
    rate: function (v) { return Math.abs(v) < 10 ? v.toFixed(2) : v.toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 }); },
    ratio: function (v) { return v.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }); },
  };

  /* A new variable or kind of place may not have the chosen year: fall back to the latest. */
  function resetYearOnChange() {
    var year = document.getElementById("choose-year");
    ["choose-variable", "choose-level"].forEach(function (id) {
      var select = document.getElementById(id);
      if (select && year) select.addEventListener("change", function () { year.value = ""; });
    });
  }

  /* Tables marked data-sortable: the server renders them in their first order (with
   * aria-sort on that column); each heading with a data-sort-type becomes a button that
   * sorts by the cells' data-sort values, places without a value last, ties by name. */
  function sortTable(table, index, type, descending) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    function key(row, i) {
      var cell = row.cells[i];
      var raw = cell ? cell.getAttribute("data-sort") : "";
      if (raw === null) raw = cell.textContent.trim();
      return raw;
    }
    rows.sort(function (a, b) {
      var x = key(a, index), y = key(b, index);
      if (x === "" && y !== "") return 1;
      if (y === "" && x !== "") return -1;
      var order = 0;
      if (type === "number") order = Number(x) - Number(y);
      else order = x.localeCompare(y);
      if (descending) order = -order;
      return order || key(a, 0).localeCompare(key(b, 0));
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function setupSortable(table) {
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    heads.forEach(function (th, index) {
      var type = th.getAttribute("data-sort-type");
      if (!type) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "usa-button usa-button--unstyled upward-mp-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var now = th.getAttribute("aria-sort");
        // A first click sorts numbers highest first and words from A.
        var descending = now ? now === "ascending" : type === "number";
        heads.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        sortTable(table, index, type, descending);
      });
    });
  }

  function setupSortableTables() {
    document.querySelectorAll("table[data-sortable]").forEach(setupSortable);
  }

  function start() {
    resetYearOnChange();
    if (typeof vegaEmbed === "undefined") {
      ["metric-map", "metric-histogram"].forEach(function (id) {
        var node = document.getElementById(id);
        if (node && (id !== "metric-map" || readSpec("map-spec"))) {
          fail(node, "The chart library did not load; the tables hold the same values.");
        }
      });
    } else {
      drawHistogram();
      drawMap();
    }
    setupSortableTables();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
