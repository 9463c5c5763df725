/* Upward: place search suggestions, group tabs and charts. Plain JS, no build step.
 * Every feature here enhances markup that already works without JavaScript. */
(function () {
  "use strict";
  // base.html loads this file on every page, and some pages load it earlier themselves:
  // the first copy to run does the work.
  if (window.Upward && window.Upward.siteLoaded) return;
  window.Upward = Object.assign(window.Upward || {}, { siteLoaded: true });

  /* ---- Search suggestions: an ARIA 1.2 combobox with a listbox popup ---------------- */
  /* combobox(box, options) upgrades the <input> in BOX, whose data-source is a JSON search
   * URL. Options: idPrefix (for the listbox's id), url(source, query), results(data) (the
   * places in a response), choose(place, box) (what picking one does; box.close(),
   * box.input and box.status are there to use), onInput() (called on every keystroke).
   * Other pages reach it as window.Upward.combobox (analysis.js does). */
  var COMBOBOX_DEFAULTS = {
    idPrefix: "combobox-list-",
    url: function (source, query) { return source + "?limit=8&q=" + encodeURIComponent(query); },
    results: function (data) { return data.results || []; },
    choose: function (place) { window.location.assign(place.url); },
    onInput: function () {}
  };

  function combobox(box, n, options) {
    var opts = Object.assign({}, COMBOBOX_DEFAULTS, options || {});
    var input = box.querySelector("input");
    var source = box.getAttribute("data-source");
    if (!input || !source) return;
    var listId = opts.idPrefix + n;
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "upward-combobox__list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggested places");
    list.hidden = true;
    var status = document.createElement("div");
    status.className = "usa-sr-only";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    box.appendChild(list);
    box.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    var items = [], active = -1, timer = null, latest = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function highlight(i) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (o, j) { o.setAttribute("aria-selected", j === i ? "true" : "false"); });
      active = i;
      if (i >= 0 && options[i]) {
        input.setAttribute("aria-activedescendant", options[i].id);
        options[i].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    var handle = { input: input, status: status, close: close };
    function choose(i) {
      if (items[i]) opts.choose(items[i], handle);
    }
    function show(results, query) {
      items = results;
      list.innerHTML = "";
      results.forEach(function (place, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.className = "upward-combobox__option";
        var name = document.createElement("span");
        name.textContent = place.display_name;
        var meta = document.createElement("span");
        meta.className = "upward-combobox__meta";
        meta.textContent = (place.geo_level === "county" ? "county" : "city") + " · " + place.geoid;
        li.appendChild(name);
        li.appendChild(meta);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      var open = results.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      active = -1;
      status.textContent = open
        ? results.length + (results.length === 1 ? " place suggested" : " places suggested")
        : (query ? "No places match" : "");
    }
    function lookup() {
      var query = input.value.trim();
      if (query.length < 2 && !/^\d+$/.test(query)) { show([], ""); return; }
      var ticket = ++latest;
      fetch(opts.url(source, query), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (ticket === latest) show(data ? opts.results(data) : [], query); })
        .catch(function () { /* the form still submits without suggestions */ });
    }
    input.addEventListener("input", function () {
      opts.onInput();
      clearTimeout(timer);
      timer = setTimeout(lookup, 120);
    });
    input.addEventListener("keydown", function (e) {
      var count = items.length;
      if (e.key === "ArrowDown" && count) {
        e.preventDefault();
        if (list.hidden) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
        highlight((active + 1) % count);
      } else if (e.key === "ArrowUp" && count) {
        e.preventDefault();
        highlight(active <= 0 ? count - 1 : active - 1);
      } else if (e.key === "Enter" && active >= 0 && !list.hidden) {
        e.preventDefault();
        choose(active);
      } else if (e.key === "Escape") {
        // An open list closes and keeps the text (a search box would clear it otherwise).
        if (!list.hidden) e.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }
  window.Upward = Object.assign(window.Upward || {}, { combobox: combobox });

  /* ---- Charts: a template per chart type, rows read from each chart's data table ----- */
  /* As charts.py fills them in Python (chart_spec): the unit's number formats go in the
   * "@axis"/"@tip" slots, the chart's frame (charts.Frame, in the canvas's data-* attributes)
   * in "@title" (value axis title with its unit) and ["@domain"] (value axis range). */
  var chartData = null;
  function chartTemplate(key, el) {
    if (chartData === null) {
      var node = document.getElementById("chart-templates");
      chartData = node ? JSON.parse(node.textContent) : { templates: {}, formats: {} };
    }
    var parts = key.split(":"), kind = chartData.templates[parts[0]], fmt = chartData.formats[parts[1]];
    if (!kind || !fmt) return null;
    var text = JSON.stringify(kind)
      .split('"@axis"').join(JSON.stringify(fmt[0]))
      .split('"@tip"').join(JSON.stringify(fmt[1]))
      .split('"@title"').join(el.getAttribute("data-axis-title") || '"Value"')
      .split('["@domain"]').join(el.getAttribute("data-domain") || "null");
    return JSON.parse(text);
  }
  function withGaps(rows, el) {
    // A row without value at each gap (a year with no value, a change of source or method)
    // of each series, so that the line breaks there (charts.with_gaps does the same).
    var gaps = JSON.parse(el.getAttribute("data-gaps") || "[]");
    var breaks = JSON.parse(el.getAttribute("data-breaks") || "[]");
    breaks.forEach(function (b) { gaps.push(b.x); });
    if (!gaps.length) return { values: rows, breaks: breaks };
    var series = [];
    rows.forEach(function (r) { if (series.indexOf(r.s) < 0) series.push(r.s); });
    var all = rows.slice();
    series.forEach(function (s) { gaps.forEach(function (x) { all.push({ s: s, x: x, v: null }); }); });
    all.sort(function (a, b) { return series.indexOf(a.s) - series.indexOf(b.s) || a.x - b.x; });
    return { values: all, breaks: breaks };
  }
  var QUALITY = { 1: "Strong", 2: "Marginal", 3: "Weak" };
  function num(value) {
    return value === null || value === undefined || value === "" ? null : Number(value);
  }
  function chartRows(table) {
    // Trend tables: one <tbody> per series (its name in a colgroup header), the year in
    // each row's header. Group tables: the year on the <tbody>, the group in the header.
    var rows = [];
    table.querySelectorAll("tbody").forEach(function (body) {
      var head = body.querySelector("th[scope=colgroup]");
      var series = head ? head.textContent.trim() : "Value";
      body.querySelectorAll("tr[data-value]").forEach(function (tr) {
        var d = tr.dataset, label = tr.cells[0].textContent.trim();
        rows.push({
          s: series, x: num(body.dataset.year || label), g: label, t: d.t || "Group",
          v: num(d.value), lb: num(d.lb), ub: num(d.ub), q: QUALITY[d.q] || null
        });
      });
    });
    return rows;
  }
  /* Options that keep vega-embed within the Content-Security-Policy: Vega's expression
   * interpreter (bundled in vega-embed) instead of new Function, and no injected <style>
   * (charts.css holds those styles; the actions menu is kept). metric.js reads them too. */
  var CSP_SAFE = {
    ast: true, defaultStyle: false, forceActionsMenu: true,
    tooltip: { disableDefaultStyle: true }
  };
  window.Upward = Object.assign(window.Upward || {}, { vegaOptions: CSP_SAFE });
  function renderChart(el) {
    if (el.getAttribute("data-rendered") || typeof window.vegaEmbed !== "function") return;
    if (!el.offsetParent && !window.matchMedia("print").matches) return; // hidden: later
    var spec = chartTemplate(el.getAttribute("data-chart"), el);
    var table = document.getElementById(el.getAttribute("data-table"));
    if (!spec || !table) return;
    el.setAttribute("data-rendered", "1");
    var rows = chartRows(table);
    spec.datasets = withGaps(rows, el);
    var series = {};
    rows.forEach(function (r) { series[r.s] = true; });
    if (Object.keys(series).length < 2 && el.getAttribute("data-chart").indexOf("trend:") === 0) {
      // One line needs no legend (charts.drop_legends).
      spec.layer.forEach(function (layer) {
        ["color", "strokeDash"].forEach(function (c) {
          if (layer.encoding && layer.encoding[c]) layer.encoding[c].legend = null;
        });
      });
    }
    var summary = document.getElementById(el.getAttribute("aria-describedby"));
    if (summary) spec.description = summary.textContent.trim();
    window.vegaEmbed(el, spec, Object.assign({}, CSP_SAFE, {
      renderer: "svg",
      actions: { export: true, source: false, compiled: false, editor: false },
      downloadFileName: el.getAttribute("data-table").replace(/-data$/, "")
    })).then(function () {
      // vega-embed's menu button is an icon only: give it a name.
      var button = el.querySelector(".vega-embed > details > summary");
      if (button) button.setAttribute("aria-label", "Save this chart as an image");
    }).catch(function () { el.removeAttribute("data-rendered"); });
  }
  function setupCharts() {
    var canvases = Array.prototype.slice.call(document.querySelectorAll(".upward-chart__canvas"));
    if (!canvases.length) return;
    if ("IntersectionObserver" in window) {
      var seen = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting) { renderChart(entry.target); seen.unobserve(entry.target); }
        });
      }, { rootMargin: "400px 0px" });
      canvases.forEach(function (c) { seen.observe(c); });
    } else {
      canvases.forEach(renderChart);
    }
    window.addEventListener("beforeprint", function () { canvases.forEach(renderChart); });
    // Draw every visible chart now (printing, full-page screenshots).
    window.upwardRenderCharts = function () { canvases.forEach(renderChart); };
  }

  /* ---- Group tabs: links that work without JS, upgraded to ARIA tabs ---------------- */
  function setupTabs(section) {
    var tabs = Array.prototype.slice.call(section.querySelectorAll("[role=tab]"));
    function select(tab, focus) {
      tabs.forEach(function (t) {
        var on = t === tab;
        t.setAttribute("aria-selected", on ? "true" : "false");
        t.setAttribute("tabindex", on ? "0" : "-1");
        var panel = document.getElementById(t.getAttribute("aria-controls"));
        if (panel) panel.hidden = !on;
      });
      if (focus) tab.focus();
      var panel = document.getElementById(tab.getAttribute("aria-controls"));
      if (panel) panel.querySelectorAll(".upward-chart__canvas").forEach(renderChart);
    }
    tabs.forEach(function (tab, i) {
      tab.addEventListener("click", function (e) { e.preventDefault(); select(tab, false); });
      tab.addEventListener("keydown", function (e) {
        var next = null;
        if (e.key === "ArrowRight") next = tabs[(i + 1) % tabs.length];
        else if (e.key === "ArrowLeft") next = tabs[(i - 1 + tabs.length) % tabs.length];
        else if (e.key === "Home") next = tabs[0];
        else if (e.key === "End") next = tabs[tabs.length - 1];
        else if (e.key === " ") { e.preventDefault(); select(tab, false); }
        if (next) { e.preventDefault(); select(next, true); }
      });
    });
  }

  /* ---- Mobile: wide tables scroll inside their region, with a visible cue ----------- */
  /* Every region of ui.scroll_table (_macros.html; .upward-scroll) and USWDS's scrollable
   * container: while its table is wider than it, a frame fades the edge on the side with
   * more to see and a hint above says so (site.css, "Wide tables"). Without JavaScript
   * the region still scrolls, with the browser's scroll bar as the cue. */
  var SCROLL_REGIONS = ".upward-scroll, .usa-table-container--scrollable";
  function scrollCue(region) {
    var frame = document.createElement("div");
    frame.className = "upward-scroll-frame";
    var hint = document.createElement("p");
    hint.className = "upward-scroll-hint";
    hint.textContent = "Wider than the screen: scroll sideways to see every column.";
    hint.hidden = true;
    region.parentNode.insertBefore(hint, region);
    region.parentNode.insertBefore(frame, region);
    frame.appendChild(region);
    function update() {
      // A few pixels past the edge (a border, rounding) hide nothing worth a cue.
      var hidden = region.scrollWidth - region.clientWidth;
      var more = hidden > 8 && region.clientWidth > 0;
      hint.hidden = !more;
      frame.classList.toggle("upward-scroll-frame--left", more && region.scrollLeft > 1);
      frame.classList.toggle("upward-scroll-frame--right", more && region.scrollLeft < hidden - 1);
    }
    region.addEventListener("scroll", update, { passive: true });
    return { region: region, update: update };
  }
  function setupScrollCues() {
    var cues = Array.prototype.map.call(document.querySelectorAll(SCROLL_REGIONS), scrollCue);
    if (!cues.length) return;
    var byRegion = new Map(cues.map(function (c) { return [c.region, c.update]; }));
    if ("ResizeObserver" in window) {
      // Also a table that appears later: a tab shown, a <details> opened, a chart drawn.
      var watch = new ResizeObserver(function (entries) {
        entries.forEach(function (e) {
          var region = e.target.closest(SCROLL_REGIONS);
          if (byRegion.has(region)) byRegion.get(region)();
        });
      });
      cues.forEach(function (c) {
        watch.observe(c.region);
        if (c.region.firstElementChild) watch.observe(c.region.firstElementChild);
      });
    } else {
      cues.forEach(function (c) { c.update(); });
      window.addEventListener("resize", function () { cues.forEach(function (c) { c.update(); }); });
    }
  }
  /* ---- end of the mobile block -------------------------------------------------------- */

  function start() {
    document.querySelectorAll("[data-combobox]").forEach(function (box, n) { combobox(box, n); });
    document.querySelectorAll("[data-tabs]").forEach(setupTabs);
    setupCharts();
    setupScrollCues();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
