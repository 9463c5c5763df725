// Coding a passage by selecting it (knowledge/note_detail.html): selecting text inside the
// note fills the form's passage and its start and end offsets in the note's text. Without
// this script the form works by pasting the passage (the server finds it).
(function () {
  "use strict";
  var note = document.querySelector("[data-note-text]");
  var form = document.querySelector("[data-excerpt-form]");
  if (!note || !form) { return; }
  var passage = form.querySelector("[name=passage]");
  var start = form.querySelector("[name=start]");
  var end = form.querySelector("[name=end]");
  var status = form.querySelector("[data-excerpt-status]");

  function skipped(node) {
    for (var n = node.parentNode; n && n !== note; n = n.parentNode) {
      if (n.hasAttribute && n.hasAttribute("data-skip")) { return true; }
    }
    return false;
  }

  // The offset in the note's text of (container, offset), counting only the note's own
  // text (not the excerpt numbers and screen-reader labels marked data-skip).
  function offsetOf(container, offset) {
    var walker = document.createTreeWalker(note, NodeFilter.SHOW_TEXT);
    var total = 0;
    var node;
    if (container.nodeType !== Node.TEXT_NODE) {
      var range = document.createRange();
      range.setStart(container, offset);
      while ((node = walker.nextNode())) {
        if (skipped(node)) { continue; }
        var probe = document.createRange();
        probe.selectNodeContents(node);
        if (range.compareBoundaryPoints(Range.START_TO_START, probe) <= 0) { return total; }
        total += node.data.length;
      }
      return total;
    }
    while ((node = walker.nextNode())) {
      if (node === container) { return skipped(node) ? total : total + offset; }
      if (!skipped(node)) { total += node.data.length; }
    }
    return total;
  }

  function noteText() {
    var walker = document.createTreeWalker(note, NodeFilter.SHOW_TEXT);
    var parts = [];
    var node;
    while ((node = walker.nextNode())) { if (!skipped(node)) { parts.push(node.data); } }
    return parts.join("");
  }

  function chosen() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) { return; }
    var range = selection.getRangeAt(0);
    if (!note.contains(range.startContainer) || !note.contains(range.endContainer)) { return; }
    var a = offsetOf(range.startContainer, range.startOffset);
    var b = offsetOf(range.endContainer, range.endOffset);
    var text = noteText();
    while (a < b && /\s/.test(text.charAt(a))) { a += 1; }
    while (b > a && /\s/.test(text.charAt(b - 1))) { b -= 1; }
    if (b <= a) { return; }
    passage.value = text.slice(a, b);
    start.value = String(a);
    end.value = String(b);
    if (status) { status.textContent = "Passage chosen: characters " + a + " to " + b + ". Tick its codes below."; }
  }

  note.addEventListener("mouseup", chosen);
  note.addEventListener("keyup", chosen);
  document.addEventListener("selectionchange", function () {
    var selection = window.getSelection();
    if (selection && selection.rangeCount && note.contains(selection.anchorNode)) { chosen(); }
  });
  // A passage typed or pasted by hand no longer has the selection's offsets.
  passage.addEventListener("input", function () { start.value = ""; end.value = ""; });
}());
