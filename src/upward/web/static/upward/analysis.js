/* Upward: the peers pages. Suggestions for adding a peer (site.js's ARIA 1.2 combobox,
 * window.Upward.combobox, over /api/geographies; load site.js first), and a share link
 * that selects itself. Plain JS, no build step; every form works without it (the server
 * resolves a typed name or FIPS code). */
(function () {
  "use strict";

  function setupPeerCombobox(box, n) {
    var form = box.closest("form");
    var pick = form ? form.querySelector("[data-pick]") : null;
    var level = box.getAttribute("data-level") || "";
    var exclude = box.getAttribute("data-exclude") || "";
    window.Upward.combobox(box, n, {
      idPrefix: "peer-list-",
      url: function (source, query) {
        return source + "?limit=8&q=" + encodeURIComponent(query) + (level ? "&level=" + level : "");
      },
      results: function (data) {
        return (data.items || []).filter(function (p) { return p.geoid !== exclude; });
      },
      choose: function (place, combo) {
        combo.input.value = place.display_name;
        if (pick) pick.value = place.geoid;
        combo.status.textContent = place.display_name + " chosen; press Add peer to add it.";
        combo.close();
        combo.input.focus();
      },
      onInput: function () { if (pick) pick.value = ""; }
    });
  }

  function start() {
    if (window.Upward && window.Upward.combobox) {
      document.querySelectorAll("[data-peer-combobox]").forEach(setupPeerCombobox);
    }
    var share = document.getElementById("share-url");
    if (share) share.addEventListener("focus", function () { share.select(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
