// Small behaviours every page may use, declared in the markup with data-attributes so that no page needs
// inline script or style (the Content-Security-Policy allows neither).
//   data-autosubmit      on a form control: changing it submits its form.
//   data-bar-percent     on a bar's fill: its width, 0-100, set through the CSSOM (which CSP allows).
//   .table-responsive    a table wider than its box gets a shadow on the side with more columns and, below
//                        it, the hint in <body data-scroll-cue>.
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

  function markScroll(box) {
    const more = box.scrollWidth - box.clientWidth > 1;
    box.classList.toggle("is-scrollable", more);
    box.classList.toggle("has-more-left", more && box.scrollLeft > 1);
    box.classList.toggle("has-more-right", more && box.scrollLeft + box.clientWidth < box.scrollWidth - 1);
  }

  function watchTables(root) {
    const hint = document.body.dataset.scrollCue;
    (root || document).querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.dataset.scrollWatched) { markScroll(box); return; }
      box.dataset.scrollWatched = "1";
      if (hint && !(box.nextElementSibling && box.nextElementSibling.classList.contains("scroll-cue"))) {
        const cue = document.createElement("p");
        cue.className = "scroll-cue mb-0";
        cue.setAttribute("aria-hidden", "true");
        cue.textContent = hint + " →";
        box.after(cue);
      }
      box.addEventListener("scroll", function () { markScroll(box); }, { passive: true });
      if (window.ResizeObserver) new ResizeObserver(function () { markScroll(box); }).observe(box);
      markScroll(box);
    });
  }

  function ready() {
    sizeBars();
    watchTables();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
  document.addEventListener("htmx:afterSwap", function (event) { sizeBars(event.target); watchTables(); });
})();
