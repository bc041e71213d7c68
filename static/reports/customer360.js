// The customer 360 page: draws the CSAT/NPS history from the JSON the page embeds (json_script).
// The same numbers are in the table under the chart, so the page reads fine without this script.
(function () {
  "use strict";

  function draw() {
    const canvas = document.getElementById("satisfaction-chart");
    const source = document.getElementById("satisfaction-data");
    if (!canvas || !source || typeof window.Chart === "undefined") return;
    const data = JSON.parse(source.textContent);
    const muted = "#6b7280";
    const grid = "#eef0f5";
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          {
            label: data.csatLabel, data: data.csat, borderColor: "#4f46e5", backgroundColor: "rgba(79, 70, 229, .12)",
            pointRadius: 3, pointHoverRadius: 5, tension: 0.25, spanGaps: true, fill: false,
          },
          {
            label: data.npsLabel, data: data.nps, borderColor: "#f59e0b", backgroundColor: "rgba(245, 158, 11, .12)",
            pointRadius: 3, pointHoverRadius: 5, tension: 0.25, spanGaps: true, fill: false, borderDash: [5, 4],
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          y: { min: 0, max: 10, ticks: { stepSize: 2, color: muted }, grid: { color: grid } },
          x: { ticks: { color: muted, maxRotation: 0, autoSkip: true, autoSkipPadding: 12 }, grid: { display: false } },
        },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 14, color: "#1f2430" } },
          tooltip: {
            callbacks: {
              label: function (item) {
                return item.raw === null ? null : item.dataset.label + ": " + item.raw;
              },
            },
          },
        },
      },
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
