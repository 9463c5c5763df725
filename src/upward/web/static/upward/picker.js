/* MultiPicker (web/workspace/forms/base.py): over a group of checkboxes that works
   without this script, a filter box that narrows the list as you type, and the chosen
   ones as chips, each a button that unchecks its box. */
(function () {
  "use strict";

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function setup(root) {
    var filter = root.querySelector("[data-picker-filter]");
    var input = filter.querySelector("input");
    var status = root.querySelector("[data-picker-status]");
    var chips = root.querySelector("[data-picker-chips]");
    var items = Array.prototype.slice.call(root.querySelectorAll("[data-picker-item]"));
    var boxes = items.map(function (item) { return item.querySelector("input"); });
    var names = items.map(function (item) { return item.querySelector("label").textContent; });
    var folded = names.map(fold);
    var legend = root.closest("fieldset") && root.closest("fieldset").querySelector("legend");
    filter.hidden = false;
    if (legend) {
      filter.querySelector("label").textContent = "Filter: " + legend.textContent.trim();
      chips.setAttribute("aria-label", "Chosen: " + legend.textContent.trim());
    }

    function applyFilter() {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (item, i) {
        var match = words.every(function (w) { return folded[i].indexOf(w) !== -1; });
        item.hidden = !match;
        if (match) { shown += 1; }
      });
      status.textContent = words.length ? shown + " of " + items.length + " shown" : "";
    }

    function drawChips(focusAt) {
      chips.textContent = "";
      var chosen = [];
      boxes.forEach(function (box, i) { if (box.checked) { chosen.push(i); } });
      chosen.forEach(function (i, position) {
        var li = document.createElement("li");
        var button = document.createElement("button");
        var x = document.createElement("span");
        button.type = "button";
        button.className = "upward-chip";
        button.setAttribute("aria-label", "Remove " + names[i]);
        button.appendChild(document.createTextNode(names[i]));
        x.className = "upward-chip__x";
        x.setAttribute("aria-hidden", "true");
        x.textContent = "×";
        button.appendChild(x);
        button.addEventListener("click", function () {
          boxes[i].checked = false;
          drawChips(position);
          status.textContent = names[i] + " removed";
        });
        li.appendChild(button);
        chips.appendChild(li);
      });
      chips.hidden = chosen.length === 0;
      if (focusAt !== undefined) {
        var buttons = chips.querySelectorAll("button");
        var next = buttons[Math.min(focusAt, buttons.length - 1)];
        (next || input).focus();
      }
    }

    input.addEventListener("input", applyFilter);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === "ArrowDown") {
        event.preventDefault(); // never send the form from the filter box
        var first = boxes.filter(function (box, i) { return !items[i].hidden; })[0];
        if (first) { first.focus(); }
      } else if (event.key === "Escape" && input.value) {
        event.preventDefault();
        input.value = "";
        applyFilter();
      }
    });
    boxes.forEach(function (box) {
      box.addEventListener("change", function () { drawChips(); });
    });
    drawChips();
  }

  document.querySelectorAll("[data-picker]").forEach(setup);
})();
