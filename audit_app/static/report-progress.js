// The report progress page (templates/reports/progress.html): while the report waits or
// renders, ask the server for its state and reload the page when it changes, so the
// download button appears by itself. Without script, the page's "Check again" link works.
(function () {
  "use strict";
  var card = document.querySelector(".report-progress[data-status-url]");
  if (!card) return;
  var status = card.getAttribute("data-status");
  var position = card.getAttribute("data-position");
  if (status !== "queued" && status !== "started") return;
  var delay = 1000;
  var maxDelay = 5000;

  function check() {
    fetch(card.getAttribute("data-status-url"), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      cache: "no-store",
    })
      .then(function (response) {
        // Logged out meanwhile (redirected to the login page): let the page show it.
        if (response.redirected) return { reload: true };
        if (!response.ok) throw new Error("status " + response.status);
        return response.json();
      })
      .then(function (state) {
        if (state.reload) {
          window.location.reload();
          return;
        }
        var newPosition = state.position === null ? "" : String(state.position);
        if (state.status !== status || newPosition !== position) {
          window.location.reload();
          return;
        }
        delay = Math.min(delay * 1.5, maxDelay);
        window.setTimeout(check, delay);
      })
      .catch(function () {
        // A dropped connection or a restart: keep asking, more slowly.
        delay = maxDelay;
        window.setTimeout(check, delay);
      });
  }
  window.setTimeout(check, delay);
})();
