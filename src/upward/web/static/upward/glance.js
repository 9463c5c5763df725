/* "At a glance" tables (explorer/_glance.html): sort by any column.
 *
 * Without this script the table is complete, grouped by pillar. With it, each column
 * header holds a button; pressing it (mouse, Enter or Space) sorts every measure by that
 * column, ascending, then descending, and the header says so with aria-sort. Sorted, the
 * rows leave their pillar groups and each names its pillar; "Group by pillar" puts them
 * back. Cells carry their sort key in data-sort; an empty key sorts last either way.
 */
(function () {
  "use strict";

  function key(row, column, numeric) {
    var cell = row.cells[column];
    var raw = cell ? cell.getAttribute("data-sort") : "";
    if (raw === null || raw === "") return null;
    if (!numeric) return raw.toLowerCase();
    var n = parseFloat(raw);
    return isNaN(n) ? null : n;
  }

  function compare(a, b, direction) {
    if (a === null && b === null) return 0;
    if (a === null) return 1;
    if (b === null) return -1;
    if (a < b) return -direction;
    if (a > b) return direction;
    return 0;
  }

  function setup(section) {
    var table = section.querySelector("table");
    if (!table || !table.tHead) return;
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var labels = headers.map(function (th) { return th.textContent.trim(); });
    var groups = Array.prototype.slice.call(table.tBodies);
    var rows = [];
    groups.forEach(function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        if (!row.classList.contains("upward-glance__group")) rows.push(row);
      });
    });
    rows.forEach(function (row, i) { row.setAttribute("data-order", String(i)); });
    var sorted = document.createElement("tbody");
    sorted.className = "upward-glance__sorted";
    sorted.hidden = true;
    table.appendChild(sorted);
    var status = section.querySelector(".upward-glance__status");

    var reset = document.createElement("button");
    reset.type = "button";
    reset.className = "usa-button usa-button--unstyled upward-glance__reset";
    reset.textContent = "Group by pillar again";
    reset.hidden = true;
    // Before the table's region, or before the frame site.js puts around it (scroll cue).
    var region = section.querySelector(".upward-glance__scroll");
    var anchor = region.closest(".upward-scroll-frame") || region;
    anchor.parentNode.insertBefore(reset, anchor);

    var current = { column: -1, direction: 0 };

    function announce(text) {
      if (status) status.textContent = text;
    }

    function mark(column, direction) {
      headers.forEach(function (th, i) {
        if (i === column) {
          th.setAttribute("aria-sort", direction > 0 ? "ascending" : "descending");
        } else {
          th.removeAttribute("aria-sort");
        }
      });
    }

    function sortBy(column, direction) {
      var numeric = headers[column].getAttribute("data-sort-type") === "number";
      var ordered = rows.slice().sort(function (a, b) {
        var found = compare(key(a, column, numeric), key(b, column, numeric), direction);
        if (found !== 0) return found;
        return Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order"));
      });
      ordered.forEach(function (row) { sorted.appendChild(row); });
      groups.forEach(function (body) { body.hidden = true; });
      sorted.hidden = false;
      table.classList.add("is-sorted");
      reset.hidden = false;
      current = { column: column, direction: direction };
      mark(column, direction);
      announce("Sorted by " + labels[column] + ", " +
               (direction > 0 ? "ascending" : "descending") + ".");
    }

    function regroup() {
      groups.forEach(function (body) { body.hidden = false; });
      var i = 0;
      groups.forEach(function (body) {
        var count = body.getAttribute("data-rows");
        for (var n = 0; n < Number(count); n += 1) { body.appendChild(rows[i]); i += 1; }
      });
      sorted.hidden = true;
      table.classList.remove("is-sorted");
      reset.hidden = true;
      current = { column: -1, direction: 0 };
      mark(-1, 0);
      announce("Grouped by pillar, in the order of the framework.");
    }

    groups.forEach(function (body) {
      var count = 0;
      Array.prototype.forEach.call(body.rows, function (row) {
        if (!row.classList.contains("upward-glance__group")) count += 1;
      });
      body.setAttribute("data-rows", String(count));
    });

    headers.forEach(function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "upward-glance__sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      var hint = document.createElement("span");
      hint.className = "usa-sr-only";
      hint.textContent = " (sort)";
      button.appendChild(hint);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var direction = current.column === column ? -current.direction : 1;
        sortBy(column, direction);
      });
    });
    reset.addEventListener("click", function () {
      regroup();
      var first = headers[0].querySelector("button");
      if (first) first.focus();
    });
  }

  function ready() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-glance]"), setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
