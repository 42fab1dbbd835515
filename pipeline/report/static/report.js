// healthclaims report: sorting and filtering the article index; jumping from a table row to
// its highlighted span. No network, no library: the page works from disk.
(function () {
  "use strict";
  var table = document.getElementById("articles");
  if (table) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var query = document.getElementById("q");
    var boxes = document.querySelectorAll("input[data-filter]");
    var shown = document.getElementById("shown");
    var apply = function () {
      var needle = (query.value || "").toLowerCase();
      var wanted = Array.prototype.filter.call(boxes, function (b) { return b.checked; })
        .map(function (b) { return b.getAttribute("data-filter"); });
      var count = 0;
      rows.forEach(function (row) {
        var ok = !needle || row.getAttribute("data-search").indexOf(needle) !== -1;
        wanted.forEach(function (key) { if (Number(row.getAttribute("data-" + key)) <= 0) { ok = false; } });
        row.hidden = !ok;
        if (ok) { count += 1; }
      });
      shown.textContent = String(count);
    };
    query.addEventListener("input", apply);
    Array.prototype.forEach.call(boxes, function (b) { b.addEventListener("change", apply); });
    Array.prototype.forEach.call(table.tHead.querySelectorAll("button[data-key]"), function (button, col) {
      button.addEventListener("click", function () {
        var th = button.parentNode;
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(table.tHead.querySelectorAll("th"), function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var numeric = button.getAttribute("data-numeric") === "1";
        rows.sort(function (a, b) {
          var x = a.cells[col].getAttribute("data-value"), y = b.cells[col].getAttribute("data-value");
          var d = numeric ? Number(x) - Number(y) : x.localeCompare(y);
          return ascending ? d : -d;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("a.goto[data-goto]"), function (link) {
    link.addEventListener("click", function (event) {
      var mark = document.querySelector('mark.hl[data-id="' + link.getAttribute("data-goto") + '"]');
      if (mark) { event.preventDefault(); mark.scrollIntoView({ block: "center" }); mark.focus(); }
    });
  });
})();
