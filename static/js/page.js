// Small behaviours every page may use, declared in the markup with data-attributes so that no page needs
// inline script or style (the Content-Security-Policy allows neither).
//   data-autosubmit      on a form control: changing it submits its form.
//   data-bar-percent     on a bar's fill: its width, 0-100, set through the CSSOM (which CSP allows).
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    const control = event.target.closest && event.target.closest("[data-autosubmit]");
    if (!control || !control.form) return;
    if (typeof control.form.requestSubmit === "function") {
      control.form.requestSubmit();
    } else {
      control.form.submit();
    }
  });

  function sizeBars(root) {
    (root || document).querySelectorAll("[data-bar-percent]").forEach(function (bar) {
      const percent = Math.max(0, Math.min(100, parseFloat(bar.dataset.barPercent) || 0));
      bar.style.width = percent + "%";
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { sizeBars(); });
  } else {
    sizeBars();
  }
  document.addEventListener("htmx:afterSwap", function (event) { sizeBars(event.target); });
})();
