// Live sentence preview of a structured condition in the editor. Without JavaScript, the
// "Preview" button shows the same sentence after a round trip.
(function () {
  "use strict";
  function rowParams(row) {
    var params = new URLSearchParams();
    row.querySelectorAll("input, select").forEach(function (el) {
      var m = el.name && el.name.match(/^crit\d+_(.+)$/);
      if (!m || m[1] === "delete" || m[1] === "json") return;
      if (el.type === "checkbox" && !el.checked) return;
      params.append(m[1], el.value);
    });
    return params;
  }
  function update(row) {
    var out = row.querySelector("output.sentence");
    if (!out) return;
    fetch("/redactie/voorwaarde?" + rowParams(row).toString(), {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (data) { out.textContent = data.text || data.errors.join("; "); })
      .catch(function () {});
  }
  document.querySelectorAll("fieldset.crit").forEach(function (row) {
    row.addEventListener("change", function () { update(row); });
    row.addEventListener("input", function () { update(row); });
  });
})();
