// The section editor's "Pictures" panel (templates/induction/edit/_pictures_panel.html): adds
// an "Insert" button beside each picture's Markdown that puts it at the cursor in the text box.
// Without JavaScript the Markdown is still there to copy.
(function () {
  "use strict";

  function insertAtCursor(textarea, text) {
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    var before = textarea.value.slice(0, start);
    var after = textarea.value.slice(end);
    // A picture is its own paragraph: blank lines around it unless already there.
    var lead = before === "" || /\n\n$/.test(before) ? "" : /\n$/.test(before) ? "\n" : "\n\n";
    var tail = after === "" || /^\n\n/.test(after) ? "" : /^\n/.test(after) ? "\n" : "\n\n";
    var inserted = lead + text + tail;
    textarea.setRangeText(inserted, start, end, "end");
    textarea.focus();
    // Tell anything listening (a live preview) that the text changed.
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.querySelectorAll("[data-module='app-pictures']").forEach(function (panel) {
    var textarea = document.getElementById(panel.getAttribute("data-target"));
    if (!textarea) {
      return;
    }
    panel.querySelectorAll("[data-picture-markdown]").forEach(function (field) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "nhsuk-button nhsuk-button--secondary nhsuk-button--small app-pictures-panel__insert";
      button.textContent = "Insert";
      var hidden = document.createElement("span");
      hidden.className = "nhsuk-u-visually-hidden";
      hidden.textContent = " “" + field.getAttribute("data-picture-name") + "” into the text";
      button.appendChild(hidden);
      button.addEventListener("click", function () {
        insertAtCursor(textarea, field.value.trim());
      });
      field.insertAdjacentElement("afterend", button);
    });
  });
})();
