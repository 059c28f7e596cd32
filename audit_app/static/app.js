// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Single submission with a busy state (forms with data-busy-label, e.g. "make PDF",
  // which renders for seconds): the first submit disables the button and says what is
  // happening; later clicks or Enter presses are ignored. The server also refuses a
  // double post of the same report (services/report_requests.recent_twin).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-busy-label")) return;
    if (form.getAttribute("data-submitting") === "true") {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-submitting", "true");
    form.setAttribute("aria-busy", "true");
    var button = event.submitter || form.querySelector("button[type=submit]");
    if (button) {
      button.setAttribute("data-idle-label", button.textContent);
      button.textContent = form.getAttribute("data-busy-label");
      button.disabled = true;
    }
  });

  // Back to a page kept in the browser's cache: the form works again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-submitting]").forEach(function (form) {
      form.removeAttribute("data-submitting");
      form.removeAttribute("aria-busy");
      form.querySelectorAll("button[data-idle-label]").forEach(function (button) {
        button.textContent = button.getAttribute("data-idle-label");
        button.disabled = false;
      });
    });
  });
})();

// A "Copy the link" button next to each link to hand on (respondent links, share links):
// the address goes to the clipboard and a visible status says "Copied". Without script
// (or clipboard) the field is still there to select and copy by hand.
(function () {
  "use strict";
  document.querySelectorAll("input.copy-link[data-copy-label]").forEach(function (input) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = input.getAttribute("data-copy-label");
    var status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    input.insertAdjacentElement("afterend", status);
    input.insertAdjacentElement("afterend", button);
    button.addEventListener("click", function () {
      var done = function () {
        status.textContent = input.getAttribute("data-copied-label");
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () {
          input.select();
        });
      } else {
        input.select();
        if (document.execCommand && document.execCommand("copy")) done();
      }
    });
  });
})();
