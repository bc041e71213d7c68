// The colour mode (Bootstrap 5.3's data-bs-theme on <html>): the reader's choice from the theme menu, kept in
// localStorage, or else the system's (prefers-color-scheme). Loaded in <head> without defer, so the page is
// painted in the right mode from the start; the Content-Security-Policy allows it, as it is our own file.
(function () {
  "use strict";
  const KEY = "helpdesk-theme";
  const system = window.matchMedia("(prefers-color-scheme: dark)");

  function stored() {
    try { return localStorage.getItem(KEY); } catch (error) { return null; }
  }
  function chosen() {
    const value = stored();
    return value === "light" || value === "dark" ? value : "auto";
  }
  function apply() {
    const choice = chosen();
    const theme = choice === "auto" ? (system.matches ? "dark" : "light") : choice;
    const changed = document.documentElement.getAttribute("data-bs-theme") !== theme;
    document.documentElement.setAttribute("data-bs-theme", theme);
    if (changed) document.dispatchEvent(new CustomEvent("helpdesk:themechange", { detail: { theme: theme } }));
    document.querySelectorAll("[data-theme-value]").forEach(function (button) {
      const active = button.dataset.themeValue === choice;
      button.classList.toggle("active", active);
      button.setAttribute("aria-pressed", active ? "true" : "false");
    });
  }

  apply();
  system.addEventListener("change", apply);
  document.addEventListener("DOMContentLoaded", apply);
  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest("[data-theme-value]");
    if (!button) return;
    try {
      if (button.dataset.themeValue === "auto") localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, button.dataset.themeValue);
    } catch (error) { /* private mode: the choice lasts for this page only */ }
    apply();
  });
})();
