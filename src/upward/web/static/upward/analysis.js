/* Upward: the peers pages. Suggestions for adding a peer (an ARIA 1.2 combobox over
 * /api/geographies), and a share link that selects itself. Plain JS, no build step; every
 * form works without it (the server resolves a typed name or FIPS code). */
(function () {
  "use strict";

  function setupPeerCombobox(box, n) {
    var input = box.querySelector("input");
    var form = box.closest("form");
    var pick = form ? form.querySelector("[data-pick]") : null;
    var source = box.getAttribute("data-source");
    var level = box.getAttribute("data-level") || "";
    var exclude = box.getAttribute("data-exclude") || "";
    if (!input || !source) return;
    var listId = "peer-list-" + n;
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
    function choose(i) {
      var place = items[i];
      if (!place) return;
      input.value = place.display_name;
      if (pick) pick.value = place.geoid;
      status.textContent = place.display_name + " chosen; press Add peer to add it.";
      close();
      input.focus();
    }
    function show(results, query) {
      items = results.filter(function (p) { return p.geoid !== exclude; });
      list.innerHTML = "";
      items.forEach(function (place, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.className = "upward-combobox__option";
        var name = document.createElement("span");
        name.textContent = place.display_name;
        var meta = document.createElement("span");
        meta.className = "upward-combobox__meta";
        meta.textContent = place.geo_level + " · " + place.geoid;
        li.appendChild(name);
        li.appendChild(meta);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      var open = items.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      active = -1;
      status.textContent = open
        ? items.length + (items.length === 1 ? " place suggested" : " places suggested")
        : (query ? "No places match" : "");
    }
    function lookup() {
      var query = input.value.trim();
      if (query.length < 2 && !/^\d+$/.test(query)) { show([], ""); return; }
      var ticket = ++latest;
      var url = source + "?limit=8&q=" + encodeURIComponent(query) + (level ? "&level=" + level : "");
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(function (data) { if (ticket === latest) show(data.items || [], query); })
        .catch(function () { /* the form still works without suggestions */ });
    }
    input.addEventListener("input", function () {
      if (pick) pick.value = "";
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
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  function start() {
    document.querySelectorAll("[data-peer-combobox]").forEach(setupPeerCombobox);
    var share = document.getElementById("share-url");
    if (share) share.addEventListener("focus", function () { share.select(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
