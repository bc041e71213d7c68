// Sign-up: preset the time zone to the browser's own, so nobody has to find theirs among 600 choices.
// Only a zone the list offers is taken, and only while the field still shows its default: a choice the
// person made (or the form sent back after an error) is left alone. Without JavaScript the default stays.
(function () {
  "use strict";
  document.querySelectorAll("select[data-browser-timezone='preset']").forEach(function (select) {
    if (select.form && select.form.dataset.bound === "true") return;
    let zone = "";
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (error) { return; }
    const option = Array.prototype.find.call(select.options, function (item) { return item.value === zone; });
    if (option) select.value = zone;
  });
})();
