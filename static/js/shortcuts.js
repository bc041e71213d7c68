// Keyboard shortcuts on desk pages; "?" shows the list (templates/desk/_shortcuts.html).
// Nothing fires while the agent types in a field, or with Ctrl, Alt or Meta held.
(function () {
  "use strict";
  const help = document.querySelector("[data-shortcuts]");
  if (!help) return;
  let pendingG = 0;
  let current = -1;

  function typing(target) {
    return target && target.closest && (target.isContentEditable || target.closest("input, textarea, select, [contenteditable]"));
  }

  function rows() {
    return Array.from(document.querySelectorAll("table tbody tr")).filter(function (row) {
      return row.querySelector("a.ticket-subject") && row.offsetParent !== null;
    });
  }

  function move(step) {
    const list = rows();
    if (!list.length) return false;
    if (current >= 0 && list[current]) list[current].classList.remove("shortcut-row");
    current = Math.min(Math.max(current + step, 0), list.length - 1);
    list[current].classList.add("shortcut-row");
    list[current].scrollIntoView({ block: "nearest" });
    return true;
  }

  function openRow() {
    const row = rows()[current];
    const link = row && row.querySelector("a.ticket-subject");
    if (!link) return false;
    window.location.assign(link.href);
    return true;
  }

  function writeAs(kind) {
    const body = document.querySelector("#reply textarea[name=body]");
    if (!body) return false;
    const radio = Array.from(document.querySelectorAll("#reply input[name=kind]")).find(function (input) {
      return kind === "note" ? input.value === "note" : input.value !== "note";
    });
    if (radio && !radio.checked) {
      radio.checked = true;
      radio.dispatchEvent(new Event("change", { bubbles: true }));
    }
    body.focus();
    return true;
  }

  function choose(select, value) {
    if (!select || !Array.from(select.options).some(function (option) { return option.value === value; })) return false;
    select.value = value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    select.scrollIntoView({ block: "center" });
    select.focus();
    return true;
  }

  function showHelp() {
    if (window.bootstrap) window.bootstrap.Modal.getOrCreateInstance(help).show();
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey || typing(event.target)) return;
    if (document.querySelector(".modal.show") && event.key !== "?") return;
    const key = event.key;
    let done = false;
    if (pendingG && Date.now() - pendingG < 1500) {
      pendingG = 0;
      const target = help.dataset["go" + key.toUpperCase()];
      if (target) {
        window.location.assign(target);
        done = true;
      }
    } else if (key === "g") {
      pendingG = Date.now();
      done = true;
    } else if (key === "?") {
      done = showHelp();
    } else if (key === "/") {
      const box = document.querySelector("#desk-search-q");
      if (box) {
        box.focus();
        box.select();
        done = true;
      }
    } else if (key === "j") {
      done = move(1);
    } else if (key === "k") {
      done = move(-1);
    } else if (key === "o" || key === "Enter") {
      done = current >= 0 && openRow();
    } else if (key === "r") {
      done = writeAs("reply");
    } else if (key === "n") {
      done = writeAs("note");
    } else if (key === "e") {
      done = choose(document.querySelector("#prop_status"), "resolved");
    } else if (key === "a") {
      done = choose(document.querySelector("#prop_assignee"), help.dataset.userId);
    }
    if (done) event.preventDefault();
  });
})();
