// ipcenter: small progressive enhancements (no inline scripts, CSP-friendly).
document.addEventListener("submit", function (e) {
  // Prevent double submission: disable the submit button once a form is sent.
  var form = e.target;
  if (form.dataset.noLock !== undefined) return;
  setTimeout(function () {
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
  }, 0);
});
document.addEventListener("click", function (e) {
  var el = e.target.closest("[data-confirm]");
  if (el && !window.confirm(el.dataset.confirm)) { e.preventDefault(); }
});
