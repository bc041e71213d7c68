// Knowledge base: the "Insert article link" tool of the desk reply form, a placeholder for images that do not
// load, and a confirmation before archiving. Every page works without this script.
(function () {
  "use strict";
  if (window.kbScriptLoaded) return;
  window.kbScriptLoaded = true;

  // Insert "[Title](https://…/kb/articles/slug/)" at the cursor of the reply box.
  function insertAtCursor(textarea, text) {
    const start = textarea.selectionStart ?? textarea.value.length;
    const end = textarea.selectionEnd ?? start;
    const before = textarea.value.slice(0, start);
    const spaced = (before && !/\s$/.test(before) ? " " : "") + text;
    textarea.focus();
    textarea.setRangeText(spaced, start, end, "end");
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.addEventListener("click", function (event) {
    const choice = event.target.closest("[data-kb-insert]");
    if (!choice) return;
    event.preventDefault();
    const textarea = document.querySelector("#id_body");
    if (!textarea) return;
    insertAtCursor(textarea, choice.dataset.kbInsert);
    const picker = choice.closest("[data-kb-link-picker]");
    if (picker) picker.open = false;
  });

  // Enter in the article search must not send the reply it sits in.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches("[data-kb-link-search]")) {
      event.preventDefault();
    }
    if (event.key === "Escape") {
      const picker = event.target.closest && event.target.closest("[data-kb-link-picker]");
      if (picker) { picker.open = false; picker.querySelector("summary").focus(); }
    }
  });

  document.addEventListener("toggle", function (event) {
    const picker = event.target;
    if (picker.matches && picker.matches("[data-kb-link-picker]") && picker.open) {
      const input = picker.querySelector("[data-kb-link-search]");
      if (input) input.focus();
    }
  }, true);

  // An image whose address no longer answers becomes a small labelled box instead of a broken icon.
  function replaceBrokenImage(image) {
    const box = document.createElement("span");
    box.className = "kb-img-missing";
    box.textContent = image.alt || image.getAttribute("src");
    image.replaceWith(box);
  }

  document.addEventListener("error", function (event) {
    const image = event.target;
    if (image instanceof HTMLImageElement && image.closest(".kb-article-body")) replaceBrokenImage(image);
  }, true);

  // Images that failed before this script ran.
  document.querySelectorAll(".kb-article-body img").forEach(function (image) {
    if (image.complete && image.naturalWidth === 0) replaceBrokenImage(image);
  });

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (form.dataset && form.dataset.kbConfirm && !window.confirm(form.dataset.kbConfirm)) {
      event.preventDefault();
    }
  });
})();
