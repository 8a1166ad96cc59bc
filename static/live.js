// Progressive enhancement: the filter form works without JavaScript; with it, results
// update as you type or tick a box, without reloading the page.
(function () {
  var form = document.querySelector("form[data-live]");
  var results = document.getElementById("results");
  if (!form || !results || !window.fetch) return;
  var timer = null, controller = null;
  function refresh() {
    var params = new URLSearchParams(new FormData(form));
    var url = form.action + "?" + params.toString();
    params.set("partial", "1");
    if (controller) controller.abort();
    controller = new AbortController();
    fetch(form.action + "?" + params.toString(), {signal: controller.signal})
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) { results.innerHTML = html; history.replaceState(null, "", url); })
      .catch(function () {});
  }
  form.addEventListener("input", function (event) {
    clearTimeout(timer);
    timer = setTimeout(refresh, event.target.type === "checkbox" ? 0 : 200);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); refresh(); });
})();
