// The batch page's progress without reloading: polls the job's JSON (data-job) every second and
// moves the <progress> element; when the job has finished, reloads the page, which then shows
// the archive's link or the error. Without this script the page's «Обновить» link does the same.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) return;
  var url = box.getAttribute("data-job");
  var bar = document.getElementById("job-progress");
  var text = document.getElementById("job-text");
  function tick() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (j) {
        if (j.total > 0) { bar.max = j.total; bar.value = j.done; }
        text.textContent = "Состояние: " + (j.state === "running" ? "идёт сборка" : j.state === "queued" ? "в очереди" : "готово") +
          "; собрано " + j.done + " из " + j.total + ".";
        if (j.state === "done" || j.state === "failed") { window.location.reload(); return; }
        window.setTimeout(tick, 1000);
      })
      .catch(function () { window.setTimeout(tick, 3000); });
  }
  window.setTimeout(tick, 1000);
})();
