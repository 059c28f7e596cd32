// Evidence from contacts (templates/evidence/_question_evidence.html): the picker sits
// inside a question of the answer form but belongs to its own form, so its events must
// not reach the answer form's autosave (audit.js).
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll(".q-evidence"), function (box) {
    ["change", "input", "focusout"].forEach(function (type) {
      box.addEventListener(type, function (event) { event.stopPropagation(); });
    });
  });
})();
