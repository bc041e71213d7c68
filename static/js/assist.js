// Suggested answers on the desk ticket page: a click puts the text into the reply box and counts the use.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-assist-insert]");
  if (!button) return;
  const box = document.querySelector("#reply textarea[name=body]");
  if (!box) return;
  const text = button.dataset.text || "";
  box.value = box.value ? `${box.value.replace(/\s+$/, "")}\n\n${text}` : text;
  box.dispatchEvent(new Event("input", { bubbles: true }));
  box.focus();
  const menu = button.closest("[data-assist-answers]");
  if (menu) menu.open = false;
  const token = document.querySelector("#reply input[name=csrfmiddlewaretoken]");
  const body = new URLSearchParams({ source: button.dataset.source, source_id: button.dataset.sourceId });
  fetch(menu.dataset.usedUrl, {
    method: "POST", body, credentials: "same-origin",
    headers: { "X-CSRFToken": token ? token.value : "" },
  });
});
