// After-sales pages: show the on-site address only for on-site service, ask before declining a quote.
// Every page works without this script; it only saves scrolling and mistakes.
(function () {
  "use strict";

  document.documentElement.classList.add("js-on");

  function syncAddress(form) {
    const box = form.querySelector("[data-onsite-address]");
    if (!box) return;
    const kind = form.querySelector("[data-kind]:checked, select[data-kind]");
    const onsite = kind && kind.value === "onsite";
    box.classList.toggle("is-hidden", !onsite && !box.querySelector(".is-invalid"));
  }

  document.querySelectorAll("form").forEach(syncAddress);

  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-kind]")) syncAddress(event.target.form);
  });

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
