// tuscan serve: keyboard shortcuts. An element with data-key="x" is clicked (links, radio buttons,
// buttons) or focused (text fields) when x is pressed outside a text field. No inline scripts: the
// Content-Security-Policy allows only files served by the app.
(function () {
  "use strict";
  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName) && el.type !== "radio");
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(document.activeElement)) {
      if (event.key === "Escape") document.activeElement.blur();
      return;
    }
    var target = document.querySelector('[data-key="' + CSS.escape(event.key) + '"]');
    if (!target) return;
    event.preventDefault();
    if (target.tagName === "INPUT" && target.type !== "radio" || target.tagName === "TEXTAREA") {
      target.focus();
    } else {
      target.click();
      if (target.type === "radio") target.focus();
    }
  });
  document.addEventListener("click", function (event) {
    var back = event.target.closest && event.target.closest("[data-back]");
    if (back && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
})();
