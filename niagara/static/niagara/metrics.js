// The cockpit's week in numbers: reads the figures the panel names and draws them with
// Chart.js (served from this site). Each canvas says it is drawn in data-rendered.
(function () {
  "use strict";
  var box = document.getElementById("week-metrics");
  if (!box || typeof Chart === "undefined") { return; }
  var state = document.getElementById("week-metrics-state");

  function sumBy(items, keyOf) {
    var totals = {};
    items.forEach(function (item) {
      var key = keyOf(item);
      totals[key] = (totals[key] || 0) + item.value;
    });
    return totals;
  }

  function draw(id, type, labels, values, label) {
    var canvas = document.getElementById(id);
    if (!canvas) { return; }
    new Chart(canvas, {
      type: type,
      data: { labels: labels, datasets: [{ label: label, data: values }] },
      options: { animation: false, responsive: true, plugins: { legend: { display: false } } }
    });
    canvas.dataset.rendered = String(values.length);
  }

  function of(items, name) {
    return items.filter(function (item) { return item.metric === name; });
  }

  function dimension(item, key) {
    var found = item.dimensions.filter(function (d) { return d.key === key; })[0];
    return found ? found.label : "";
  }

  fetch(box.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    })
    .then(function (body) {
      var items = body.metrics;
      var perDay = sumBy(of(items, "throughput"), function (i) { return i.date.slice(0, 10); });
      var days = Object.keys(perDay).sort();
      draw("chart-throughput", "bar", days, days.map(function (d) { return perDay[d]; }), "Cycles");
      var yieldItems = of(items, "first_pass_yield");
      draw("chart-first-pass-yield", "bar",
        yieldItems.map(function (i) { return dimension(i, "customer"); }),
        yieldItems.map(function (i) { return Math.round(i.value * 1000) / 10; }), "% first time");
      var steps = sumBy(of(items, "cycle_time"), function (i) { return dimension(i, "step"); });
      var stepNames = Object.keys(steps).sort();
      draw("chart-cycle-time", "bar", stepNames, stepNames.map(function (s) { return steps[s]; }), "Seconds");
      var techs = sumBy(of(items, "technician_output"), function (i) { return dimension(i, "technician"); });
      var techNames = Object.keys(techs).sort();
      draw("chart-technician-output", "bar", techNames, techNames.map(function (t) { return techs[t]; }), "Steps");
      state.textContent = items.length ? "" : "Nothing finished this week yet.";
      box.dataset.rendered = "true";
    })
    .catch(function (error) {
      state.textContent = "The figures could not be read (" + error.message + ").";
    });
})();
