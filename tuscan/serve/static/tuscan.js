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
  // A form sent by htmx that the server refused (the database is being written by another process,
  // a CSRF token went stale, …) must not fail silently: show the server's message above the page.
  function flash(text) {
    var box = document.getElementById("flash");
    if (!box) {
      box = document.createElement("p");
      box.id = "flash";
      box.className = "message error";
      box.setAttribute("role", "alert");
      var main = document.querySelector("main");
      main.insertBefore(box, main.firstChild);
    }
    box.textContent = text;
    box.scrollIntoView({block: "nearest"});
  }
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr, text = "Ikke gemt: serveren svarede med fejl " + xhr.status + ".";
    var found = new DOMParser().parseFromString(xhr.responseText || "", "text/html").querySelector(".message");
    if (found && found.textContent.trim()) text = found.textContent.trim().replace(/\s+/g, " ");
    flash(text);
  });
  document.addEventListener("htmx:sendError", function () {
    flash("Ikke gemt: tuscan serve svarer ikke. Er den stoppet?");
  });
  document.addEventListener("htmx:afterSwap", function () {
    var box = document.getElementById("flash");
    if (box) box.remove();
  });
  document.addEventListener("click", function (event) {
    var back = event.target.closest && event.target.closest("[data-back]");
    if (back && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
})();
