// ipcenter: small progressive enhancements (no inline scripts, CSP-friendly).
// (Double submission: static/js/submit-once.js.)
document.addEventListener("click", function (e) {
  var el = e.target.closest("[data-confirm]");
  if (el && !window.confirm(el.dataset.confirm)) { e.preventDefault(); }
});
