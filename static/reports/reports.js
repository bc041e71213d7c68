// Manager dashboards: draws each chart from the JSON the page carries (json_script), keeps the range form
// in step with its preset, and prints. Every figure is also in a table, so the page reads without this script.
(function () {
  "use strict";

  document.documentElement.classList.add("js-on");

  const lang = document.documentElement.lang || undefined;
  const FALLBACK = ["#4f46e5", "#059669", "#d97706", "#dc2626", "#0284c7", "#7c3aed", "#64748b", "#db2777"];

  function number(value, digits) {
    return new Intl.NumberFormat(lang, { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(value);
  }

  function minutesIn(words) {
    return function (value) {
      if (value < 10) return number(value, 2) + " " + words.min;
      if (value < 60) return number(value, 0) + " " + words.min;
      if (value < 1440) return number(value / 60, 1) + " " + words.h;
      return number(value / 1440, 1) + " " + words.d;
    };
  }

  function formatter(unit, words) {
    switch (unit) {
      case "pct": return function (v) { return number(v, 1) + " %"; };
      case "score": return function (v) { return number(v, 2); };
      case "nps": return function (v) { return (v > 0 ? "+" : "") + number(v, 0); };
      case "minutes": return minutesIn(words || { min: "min", h: "h", d: "d" });
      default: return function (v) { return number(v, 0); };
    }
  }

  function alpha(hex, opacity) {
    const value = parseInt(hex.slice(1), 16);
    return "rgba(" + ((value >> 16) & 255) + "," + ((value >> 8) & 255) + "," + (value & 255) + "," + opacity + ")";
  }

  // A day without a snapshot row had nothing to count; rates and scores stay gaps.
  function values(spec, dataset) {
    if (spec.unit !== "int") return dataset.data;
    return dataset.data.map(function (v) { return v === null ? 0 : v; });
  }

  function largest(spec) {
    let top = 0;
    spec.datasets.forEach(function (dataset) {
      dataset.data.forEach(function (v) { if (v !== null && v > top) top = v; });
    });
    return top;
  }

  // Minutes read best on whole hours or days once they pass two hours.
  function minuteStep(top) {
    if (top <= 120) return undefined;
    const steps = [60, 120, 180, 240, 360, 480, 720, 1440, 2880, 4320, 7200, 10080];
    for (let i = 0; i < steps.length; i += 1) {
      if (top / steps[i] <= 6) return steps[i];
    }
    return undefined;
  }

  // Grid, text and slice borders follow the colour mode, from the theme's variables (static/css/helpdesk.css).
  function themeColour(name, fallback) {
    const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function buildConfig(spec) {
    const format = formatter(spec.unit, spec.words);
    const round = spec.type === "doughnut";
    const points = spec.labels.length;
    const datasets = spec.datasets.map(function (dataset, index) {
      const data = values(spec, dataset);
      const gaps = data.some(function (v) { return v === null; });
      const color = dataset.color || FALLBACK[index % FALLBACK.length];
      if (round) {
        return {
          label: dataset.label, data: data, borderWidth: 2, borderColor: themeColour("--hd-surface", "#fff"),
          backgroundColor: spec.labels.map(function (_label, i) { return FALLBACK[i % FALLBACK.length]; }),
        };
      }
      const line = spec.type === "line";
      return {
        label: dataset.label, data: data, borderColor: color,
        backgroundColor: line ? alpha(color, 0.12) : alpha(color, 0.85),
        borderWidth: line ? 2 : 0, borderRadius: line ? 0 : 3, maxBarThickness: 36,
        pointRadius: line && points > 45 && !gaps ? 0 : 2.5, pointHoverRadius: 4,
        cubicInterpolationMode: "monotone", fill: line && spec.datasets.length === 1 && !gaps, spanGaps: true,
      };
    });
    const tooltip = {
      callbacks: {
        label: function (context) {
          const value = round ? context.parsed : context.parsed.y;
          if (value === null || value === undefined) return context.dataset.label + ": —";
          return (round ? context.label : context.dataset.label) + ": " + format(value);
        },
      },
    };
    const options = {
      responsive: true, maintainAspectRatio: false, animation: false,
      interaction: { mode: round ? "nearest" : "index", intersect: round },
      plugins: {
        legend: {
          display: round || spec.datasets.length > 1, position: round ? "right" : "top", align: "end",
          labels: { boxWidth: 10, boxHeight: 10, usePointStyle: true, font: { size: 11 } },
        },
        tooltip: tooltip,
      },
    };
    if (!round) {
      options.scales = {
        x: {
          stacked: spec.stacked, grid: { display: false },
          ticks: { autoSkip: true, maxRotation: 0, autoSkipPadding: 12, font: { size: 11 } },
        },
        y: {
          stacked: spec.stacked, beginAtZero: spec.unit !== "nps",
          ticks: { callback: function (v) { return format(v); }, font: { size: 11 }, maxTicksLimit: 7 },
          grid: { color: themeColour("--hd-border", "#eef0f4") }, border: { display: false },
        },
      };
      const y = options.scales.y;
      const top = largest(spec);
      if (spec.yMin !== null && spec.yMin !== undefined) y.min = spec.yMin;
      if (spec.yMax !== null && spec.yMax !== undefined && top <= spec.yMax) y.max = spec.yMax;
      if (spec.unit === "int") y.ticks.precision = 0;
      if (spec.unit === "minutes") y.ticks.stepSize = minuteStep(top);
    }
    return { type: spec.type, data: { labels: spec.labels, datasets: datasets }, options: options };
  }

  const charts = [];

  function drawCharts() {
    if (typeof window.Chart === "undefined") return;
    window.Chart.defaults.color = themeColour("--hd-muted", "#5b6270");
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      const source = document.getElementById(canvas.dataset.chart);
      if (!source) return;
      try {
        const spec = JSON.parse(source.textContent);
        const existing = window.Chart.getChart(canvas);
        if (existing) {
          charts.splice(charts.indexOf(existing), 1);
          existing.destroy();
        }
        charts.push(new window.Chart(canvas, buildConfig(spec)));
        canvas.dataset.drawn = "true";
      } catch (error) {
        canvas.closest(".chart-box").hidden = true;  // the table under it still says everything
        if (window.console) window.console.error(error);
      }
    });
  }

  // Charts sized for the screen are redrawn for the paper, and back.
  function resizeAll() { charts.forEach(function (chart) { chart.resize(); }); }
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);
  // A switch of colour mode (static/js/theme.js) redraws the charts in the new colours.
  document.addEventListener("helpdesk:themechange", drawCharts);

  function syncRange(form) {
    const preset = form.querySelector("select[name=preset]");
    if (!preset) return;
    form.dataset.preset = preset.value;
  }

  document.addEventListener("change", function (event) {
    const target = event.target;
    const form = target.closest("[data-report-filters]");
    if (!form) return;
    if (target.name === "date_from" || target.name === "date_to") {
      const preset = form.querySelector("select[name=preset]");
      if (preset) preset.value = "custom";
    }
    syncRange(form);
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-report-print]")) {
      event.preventDefault();
      window.print();
    }
  });

  // On a phone the tabs scroll sideways: bring the current one into view.
  function showActiveTab() {
    const strip = document.querySelector(".report-tabs");
    const active = strip && strip.querySelector(".nav-link.active");
    if (!active || strip.scrollWidth <= strip.clientWidth) return;
    strip.scrollLeft = active.offsetLeft - (strip.clientWidth - active.offsetWidth) / 2;
  }

  function start() {
    document.querySelectorAll("[data-report-filters]").forEach(syncRange);
    showActiveTab();
    drawCharts();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
