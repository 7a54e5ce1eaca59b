/*
 * The dashboard's charts (/insights/). Each chart sits above the table that holds its
 * figures; the table stays on the page as the accessible alternative, and without
 * JavaScript the chart is never shown. A chart is a <figure data-chart="ID"> (hidden until
 * drawn) holding a <canvas role="img" aria-label="...">, and ID names the json_script
 * element with its data: {type, horizontal, labels, datasets: [{label, data}]}, money as
 * strings of pounds and pence.
 */
(function () {
  "use strict";

  var Chart = window.Chart;
  if (typeof Chart === "undefined") {
    return;
  }
  // GOV.UK colours with enough contrast against white.
  var COLOURS = ["#1d70b8", "#00703c", "#4c2c92", "#d4351c"];
  var reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var pounds = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP" });
  var poundsShort = new Intl.NumberFormat("en-GB", {
    style: "currency",
    currency: "GBP",
    notation: "compact",
    maximumFractionDigits: 1,
  });

  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 14;
  Chart.defaults.color = "#0b0c0c";

  function draw(figure) {
    var source = document.getElementById(figure.getAttribute("data-chart"));
    var canvas = figure.querySelector("canvas");
    if (!source || !canvas) {
      return;
    }
    var config = JSON.parse(source.textContent);
    var horizontal = Boolean(config.horizontal);
    var valueAxis = horizontal ? "x" : "y";
    var scales = {};
    scales[valueAxis] = {
      beginAtZero: true,
      ticks: {
        callback: function (value) {
          return poundsShort.format(value);
        },
      },
    };
    figure.hidden = false;
    new Chart(canvas, {
      type: config.type || "bar",
      data: {
        labels: config.labels,
        datasets: config.datasets.map(function (dataset, index) {
          return {
            label: dataset.label,
            data: dataset.data.map(Number),
            backgroundColor: COLOURS[index % COLOURS.length],
            borderColor: COLOURS[index % COLOURS.length],
          };
        }),
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: reducedMotion ? false : undefined,
        scales: scales,
        plugins: {
          legend: { display: config.datasets.length > 1, position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (context) {
                var value = horizontal ? context.parsed.x : context.parsed.y;
                return context.dataset.label + ": " + pounds.format(value);
              },
            },
          },
        },
      },
    });
  }

  var figures = document.querySelectorAll("figure[data-chart]");
  for (var i = 0; i < figures.length; i += 1) {
    draw(figures[i]);
  }
})();
