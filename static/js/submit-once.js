// ipcenter: a form is sent once. The first submit marks the form and disables its submit
// buttons (after the event, so the clicked button's name/value is still sent); further
// submits of the same form are cancelled. The server-side token (ipcenter.submit_once) is the
// guarantee; this only spares the user the second click. No inline script (CSP).
(function () {
  "use strict";
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!(form instanceof HTMLFormElement) || form.dataset.noLock !== undefined) return;
    if (e.defaultPrevented && form.dataset.submitting !== "1") return;  // htmx or a check took it over
    if ((form.method || "get").toLowerCase() !== "post") return;
    if (form.dataset.submitting === "1") { e.preventDefault(); return; }
    form.dataset.submitting = "1";
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], input[type=submit], button:not([type])").forEach(function (b) {
        b.disabled = true;
        b.setAttribute("aria-disabled", "true");
      });
    }, 0);
  });
  // Coming back with the browser's back button shows the page from its cache: unlock it.
  window.addEventListener("pageshow", function (e) {
    if (!e.persisted) return;
    document.querySelectorAll("form[data-submitting]").forEach(function (form) {
      delete form.dataset.submitting;
      form.querySelectorAll("[aria-disabled=true]").forEach(function (b) {
        b.disabled = false;
        b.removeAttribute("aria-disabled");
      });
    });
  });
})();
