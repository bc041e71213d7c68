// Files that are too large are refused in the browser, before they are sent: the person keeps what
// they typed and sees which file to replace. The server enforces the same limits (helpdesk/uploads.py).
(function () {
  "use strict";

  function format(bytes) {
    if (bytes >= 1024 * 1024) return (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, "") + " MB";
    if (bytes >= 1024) return Math.round(bytes / 1024) + " KB";
    return bytes + " bytes";
  }

  function problems(form) {
    var fileLimit = Number(document.body.dataset.uploadFileLimit || 0);
    var requestLimit = Number(document.body.dataset.uploadRequestLimit || 0);
    var found = [];
    var total = 0;
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      Array.prototype.forEach.call(input.files || [], function (file) {
        total += file.size;
        if (fileLimit && file.size > fileLimit) {
          found.push({ input: input, text: (document.body.dataset.uploadFileMessage || "%(name)s is too large.")
            .replace("%(name)s", file.name).replace("%(size)s", format(file.size)).replace("%(limit)s", format(fileLimit)) });
        }
      });
    });
    if (!found.length && requestLimit && total > requestLimit) {
      var last = form.querySelector("input[type=file]");
      found.push({ input: last, text: (document.body.dataset.uploadTotalMessage || "Too much to upload.")
        .replace("%(size)s", format(total)).replace("%(limit)s", format(requestLimit)) });
    }
    return found;
  }

  function show(input, text) {
    var box = input.parentNode.querySelector(".upload-limit-error");
    if (!box) {
      box = document.createElement("div");
      box.className = "upload-limit-error invalid-feedback d-block";
      box.setAttribute("role", "alert");
      input.insertAdjacentElement("afterend", box);
    }
    box.textContent = text;
    input.classList.add("is-invalid");
  }

  function clear(form) {
    form.querySelectorAll(".upload-limit-error").forEach(function (box) { box.remove(); });
    form.querySelectorAll("input[type=file].is-invalid").forEach(function (input) { input.classList.remove("is-invalid"); });
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.form) return;
    clear(input.form);
    problems(input.form).forEach(function (p) { show(p.input, p.text); });
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.querySelector("input[type=file]")) return;
    clear(form);
    var found = problems(form);
    if (found.length) {
      event.preventDefault();
      found.forEach(function (p) { show(p.input, p.text); });
      found[0].input.focus();
    }
  }, true);

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-history-back]");
    if (link && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
})();
