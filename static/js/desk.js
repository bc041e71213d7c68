// The agent desk: row selection for bulk changes, fields shown only when needed, Ctrl+Enter to send.
// Every page works without this script; it only saves clicks.
(function () {
  "use strict";

  document.documentElement.classList.add("js-on");

  // ------------------------------------------------------------ bulk selection in the ticket list
  function syncBulk(root) {
    const form = (root || document).querySelector("#bulk-form");
    if (!form) return;
    const rows = form.querySelectorAll("[data-row-check]");
    const checked = form.querySelectorAll("[data-row-check]:checked");
    const counter = form.querySelector("[data-bulk-count]");
    if (counter) counter.textContent = checked.length;
    const bar = form.querySelector("[data-bulk-bar]");
    if (bar) bar.classList.toggle("is-empty", checked.length === 0);
    const all = form.querySelector("[data-select-all]");
    if (all) {
      all.checked = rows.length > 0 && checked.length === rows.length;
      all.indeterminate = checked.length > 0 && checked.length < rows.length;
    }
    rows.forEach(function (box) {
      box.closest("tr").classList.toggle("table-active", box.checked);
    });
  }

  // ------------------------------------------------------------ resolution summaries
  function needsSummary(select) {
    return select && select.value === "resolved";
  }

  function syncSummaries() {
    const bulkStatus = document.querySelector("[data-bulk-status]");
    const bulkSummary = document.querySelector("[data-bulk-summary]");
    if (bulkStatus && bulkSummary) {
      bulkSummary.hidden = !needsSummary(bulkStatus) && !bulkSummary.classList.contains("has-error");
    }
    const propStatus = document.querySelector("#prop_status");
    const propSummary = document.querySelector("[data-properties-summary]");
    if (propStatus && propSummary) {
      const initial = propStatus.querySelector("option[selected]");
      const changedToResolved = needsSummary(propStatus) && !(initial && initial.value === "resolved");
      propSummary.classList.toggle("js-collapsed", !changedToResolved && !propSummary.querySelector(".is-invalid"));
    }
  }

  document.addEventListener("change", function (event) {
    const target = event.target;
    if (target.matches("[data-select-all]")) {
      document.querySelectorAll("#bulk-form [data-row-check]").forEach(function (box) {
        box.checked = target.checked;
      });
      syncBulk();
    } else if (target.matches("[data-row-check]")) {
      syncBulk();
    } else if (target.matches("[data-bulk-status], #prop_status")) {
      syncSummaries();
    }
  });

  // "Send and resolve" first asks for the resolution summary, then sends.
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-resolve-button]");
    if (!button) return;
    const form = button.form;
    const summary = form.querySelector("[data-reply-summary]");
    const field = summary && summary.querySelector("textarea");
    if (summary && field && !field.value.trim()) {
      event.preventDefault();
      summary.classList.remove("js-collapsed");
      field.focus();
    }
  });

  // Ask before merging: it cannot be undone from the desk.
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });

  // Ctrl+Enter (Cmd+Enter) in the reply box sends it.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    const form = event.target.closest && event.target.closest("[data-reply-form]");
    if (form) {
      event.preventDefault();
      form.querySelector("button[value=send]").click();
    }
  });

  // Filter requests leave out empty fields, so the address bar shows only the filters in use.
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt.id !== "ticket-filters") return;
    const form = event.detail.elt;
    const names = new Set(Array.from(form.elements).map(function (field) { return field.name; }).filter(Boolean));
    names.forEach(function (name) {
      const values = [].concat(event.detail.parameters[name] || []).filter(function (value) { return value !== ""; });
      if (values.length === 0 || (name === "sort" && values[0] === "sla")) {
        delete event.detail.parameters[name];
      }
    });
  });

  // The canned-response menu closes once a response is inserted, and the cursor goes back to the text.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "reply-body") {
      const picker = document.querySelector(".canned-picker");
      if (picker) picker.open = false;
      const body = document.querySelector("#id_body");
      if (body) {
        body.focus();
        body.setSelectionRange(body.value.length, body.value.length);
      }
    }
    syncBulk();
    syncSummaries();
  });

  function init() {
    syncBulk();
    syncSummaries();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
