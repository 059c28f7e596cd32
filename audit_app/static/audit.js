// Answer page enhancement: autosave every answer, keep unsent answers on this device
// (localStorage) until the server has them, resolve "changed elsewhere" conflicts,
// show/hide conditional questions live and keep the progress up to date.
// Without this file the page still works: "Save and continue" posts the section.
(function () {
  "use strict";

  var form = document.getElementById("answer-form");
  if (!form || !form.dataset.saveUrl || !window.fetch || !window.JSON) {
    return;
  }

  var auditId = form.dataset.auditId;
  var keyPrefix = "audit-pending-" + auditId + "-";
  var csrfInput = form.querySelector('input[name="csrf_token"]');
  var csrf = csrfInput ? csrfInput.value : "";
  var statusEl = document.getElementById("save-status");
  var lang = document.documentElement.lang || undefined;
  // The installation's time zone (TIMEZONE), as every other time the app shows.
  var timeZone = form.dataset.timeZone || undefined;
  var DEBOUNCE_MS = 600;
  var REQUEST_TIMEOUT_MS = 20000;
  var BACKOFF_MS = [1000, 2000, 4000, 8000, 15000, 30000];

  var pending = {}; // question id -> entry {q, value, note, evidence, base, token, conflict?}
  var holds = {}; // question id -> debounce timer (text being typed)
  var inflight = false;
  var inflightQid = null;
  var attempt = 0;
  var retryTimer = null;
  var lastSavedAt = null;
  var sessionProblem = false;
  var locked = false;
  var lastProblem = "";
  var submitWhenDone = false;
  var snapshot = {}; // question id -> content last known to be stored

  // ------------------------------------------------------------------ helpers

  function msg(name, values) {
    var text = form.dataset["msg" + name] || "";
    if (values) {
      Object.keys(values).forEach(function (key) {
        text = text.split("{" + key + "}").join(String(values[key]));
      });
    }
    return text;
  }

  function cssEscape(value) {
    return window.CSS && CSS.escape ? CSS.escape(value) : value.replace(/["\\]/g, "\\$&");
  }

  function box(qid) {
    var el = document.getElementById("q-" + qid);
    return el && form.contains(el) ? el : null;
  }

  function named(container, name) {
    return Array.prototype.slice.call(
      container.querySelectorAll('[name="' + cssEscape(name) + '"]')
    );
  }

  function checked(input) {
    return input.checked;
  }

  function newToken() {
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function count(predicate) {
    return Object.keys(pending).filter(function (qid) {
      return predicate(pending[qid]);
    }).length;
  }

  function waitingCount() {
    return count(function (entry) { return !entry.conflict; });
  }

  function conflictCount() {
    return count(function (entry) { return !!entry.conflict; });
  }

  function conflictsHere() {
    return Object.keys(pending).filter(function (qid) {
      return pending[qid].conflict && box(qid);
    });
  }

  // ------------------------------------------------------------------ storage (per question)

  var storageOk = true;

  function store(entry) {
    try {
      localStorage.setItem(keyPrefix + entry.q, JSON.stringify(entry));
      storageOk = true;
    } catch (e) {
      storageOk = false; // private mode or full: the queue still works in memory
    }
  }

  function unstore(qid, token) {
    try {
      var raw = localStorage.getItem(keyPrefix + qid);
      if (raw === null) return;
      var stored = JSON.parse(raw);
      // Another tab may have stored a newer entry for the same question meanwhile.
      if (!stored || !token || stored.token === token) {
        localStorage.removeItem(keyPrefix + qid);
      }
    } catch (e) {
      /* ignore */
    }
  }

  function restore() {
    var found = [];
    try {
      for (var i = 0; i < localStorage.length; i++) {
        var key = localStorage.key(i);
        if (key && key.indexOf(keyPrefix) === 0) {
          found.push(key);
        }
      }
      found.forEach(function (key) {
        var entry = JSON.parse(localStorage.getItem(key) || "null");
        if (entry && entry.q) {
          pending[entry.q] = entry;
        }
      });
    } catch (e) {
      /* ignore */
    }
  }

  function drop(qid) {
    var entry = pending[qid];
    delete pending[qid];
    unstore(qid, entry && entry.token);
  }

  // ------------------------------------------------------------------ reading and writing inputs

  function readValue(b) {
    var qid = b.dataset.questionId;
    var type = b.dataset.type;
    var answers = named(b, "a-" + qid);
    var special = named(b, "s-" + qid).filter(checked)[0];
    if (type === "scale" || type === "single") {
      var choice = answers.filter(checked)[0];
      return { value: choice ? choice.value : null };
    }
    if (type === "multiple") {
      if (special) return { value: special.value };
      var values = answers.filter(checked).map(function (i) { return i.value; });
      return { value: values.length ? values : null };
    }
    if (type === "number") {
      if (special) return { value: special.value };
      var input = answers[0];
      if (!input) return { value: null };
      if (input.validity && input.validity.badInput) return { invalid: true };
      var raw = input.value.trim();
      if (!raw) return { value: null };
      var number = Number(raw.replace(/\s/g, "").replace(",", "."));
      if (!isFinite(number)) return { invalid: true };
      return { value: number };
    }
    return { value: answers[0] ? answers[0].value : null };
  }

  function fieldValue(b, name) {
    var field = named(b, name + "-" + b.dataset.questionId)[0];
    return field ? field.value : "";
  }

  function applyValue(b, value, note, evidence) {
    var qid = b.dataset.questionId;
    var type = b.dataset.type;
    var answers = named(b, "a-" + qid);
    named(b, "s-" + qid).forEach(function (i) { i.checked = i.value === value; });
    if (type === "scale" || type === "single") {
      answers.forEach(function (i) { i.checked = i.value === value; });
    } else if (type === "multiple") {
      answers.forEach(function (i) {
        i.checked = Array.isArray(value) && value.indexOf(i.value) >= 0;
      });
    } else if (type === "number") {
      if (answers[0]) {
        if (typeof value === "number") {
          answers[0].type = "number";
          answers[0].value = String(value);
        } else {
          answers[0].value = "";
        }
      }
    } else if (answers[0]) {
      answers[0].value = typeof value === "string" ? value : "";
    }
    var noteField = named(b, "note-" + qid)[0];
    var evidenceField = named(b, "evidence-" + qid)[0];
    if (noteField && typeof note === "string") noteField.value = note;
    if (evidenceField && typeof evidence === "string") evidenceField.value = evidence;
  }

  function revisionOf(qid) {
    var b = box(qid);
    return b ? parseInt(b.dataset.revision || "0", 10) || 0 : 0;
  }

  function setRevision(qid, revision) {
    var b = box(qid);
    if (!b) return;
    b.dataset.revision = String(revision);
    var input = named(b, "rev-" + qid)[0];
    if (input) input.value = String(revision);
  }

  // "Don't know" / "Not applicable" exclude the other answers of number and multiple questions.
  function exclusivity(b, target) {
    var qid = b.dataset.questionId;
    if (target.type !== "checkbox" || !target.checked) return;
    if (target.name === "s-" + qid) {
      named(b, "s-" + qid).forEach(function (i) { if (i !== target) i.checked = false; });
      named(b, "a-" + qid).forEach(function (i) {
        if (i.type === "checkbox") i.checked = false;
        else i.value = "";
      });
    } else if (target.name === "a-" + qid) {
      named(b, "s-" + qid).forEach(function (i) { i.checked = false; });
    }
  }

  // ------------------------------------------------------------------ per-question state

  var STATE_TEXT = {
    unsaved: "Unsaved",
    saving: "Saving",
    saved: "Saved",
    retrying: "Retrying",
    conflict: "Conflict",
    error: "Error"
  };

  function setQState(qid, state) {
    var el = document.getElementById("status-" + qid);
    if (!el || !box(qid)) return;
    el.dataset.status = state || "";
    el.textContent = state ? msg(STATE_TEXT[state]) : "";
  }

  function showError(qid, text) {
    var b = box(qid);
    var el = document.getElementById("err-" + qid);
    if (!b || !el) return;
    el.textContent = text || "";
    el.hidden = !text;
    b.classList.toggle("has-error", !!text);
    named(b, "a-" + qid).concat(named(b, "s-" + qid)).forEach(function (input) {
      if (text) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", "err-" + qid);
      } else {
        input.removeAttribute("aria-invalid");
        input.removeAttribute("aria-describedby");
      }
    });
  }

  function paragraph(text, className) {
    var p = document.createElement("p");
    if (className) p.className = className;
    p.textContent = text;
    return p;
  }

  function showConflict(qid) {
    var entry = pending[qid];
    var el = document.getElementById("conflict-" + qid);
    var b = box(qid);
    if (!entry || !entry.conflict || !el || !b) return;
    var theirs = entry.conflict;
    setQState(qid, "conflict");
    b.classList.add("has-conflict");
    el.textContent = "";
    var first = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = msg("Conflict") + ". ";
    first.appendChild(strong);
    first.appendChild(document.createTextNode(msg("ConflictText") + " "));
    var value = document.createElement("span");
    value.className = "their-value";
    value.textContent = theirs.display || "";
    first.appendChild(value);
    el.appendChild(first);
    if (theirs.note) el.appendChild(paragraph(msg("TheirNote") + " " + theirs.note));
    if (theirs.evidence) el.appendChild(paragraph(msg("TheirEvidence") + " " + theirs.evidence));
    var actions = document.createElement("p");
    actions.className = "conflict-actions";
    var keep = document.createElement("button");
    keep.type = "button";
    keep.className = "keep-mine";
    keep.textContent = msg("KeepMine");
    keep.addEventListener("click", function () { keepMine(qid); });
    var take = document.createElement("button");
    take.type = "button";
    take.className = "take-theirs";
    take.textContent = msg("TakeTheirs");
    take.addEventListener("click", function () { takeTheirs(qid); });
    actions.appendChild(keep);
    actions.appendChild(document.createTextNode(" "));
    actions.appendChild(take);
    el.appendChild(actions);
    el.hidden = false;
  }

  function hideConflict(qid) {
    var el = document.getElementById("conflict-" + qid);
    var b = box(qid);
    if (el) {
      el.hidden = true;
      el.textContent = "";
    }
    if (b) b.classList.remove("has-conflict");
  }

  function focusQuestion(qid) {
    var b = box(qid);
    var target = b && b.querySelector("input:not([type=hidden]), textarea");
    if (target) target.focus();
  }

  function keepMine(qid) {
    var entry = pending[qid];
    if (!entry || !entry.conflict) return;
    entry.base = entry.conflict.revision;
    setRevision(qid, entry.conflict.revision);
    delete entry.conflict;
    store(entry);
    hideConflict(qid);
    setQState(qid, "saving");
    focusQuestion(qid);
    renderGlobal();
    pump();
  }

  function takeTheirs(qid) {
    var entry = pending[qid];
    if (!entry || !entry.conflict) return;
    var theirs = entry.conflict;
    var b = box(qid);
    if (b) applyValue(b, theirs.value, theirs.note, theirs.evidence);
    setRevision(qid, theirs.revision);
    snapshot[qid] = b ? payloadKey(readValue(b).value, fieldValue(b, "note"), fieldValue(b, "evidence")) : "";
    drop(qid);
    hideConflict(qid);
    showError(qid, "");
    setQState(qid, "saved");
    evaluateShowIf();
    focusQuestion(qid);
    renderGlobal();
    pump();
  }

  // ------------------------------------------------------------------ global status, progress

  function timeLabel(date) {
    try {
      return date.toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit", timeZone: timeZone });
    } catch (e) {
      return date.toLocaleTimeString();
    }
  }

  function renderGlobal() {
    if (!statusEl) return;
    var waiting = waitingCount();
    var conflicts = conflictCount();
    var text;
    var state;
    if (locked) {
      text = msg("Locked");
      state = "error";
    } else if (conflicts) {
      text = msg("Conflicts");
      state = "conflict";
    } else if (waiting && navigator.onLine === false) {
      text = msg("Offline", { n: waiting });
      state = "offline";
    } else if (waiting && sessionProblem) {
      text = msg("Session");
      state = "error";
    } else if (waiting && attempt > 0) {
      text = msg("Pending", { n: waiting });
      state = "retrying";
    } else if (waiting) {
      text = submitWhenDone ? msg("Wait") : msg("Saving");
      state = "saving";
    } else if (lastProblem) {
      text = msg("Error") + ": " + lastProblem;
      state = "error";
    } else if (lastSavedAt) {
      text = msg("AllSavedAt", { time: timeLabel(lastSavedAt) });
      state = "saved";
    } else {
      text = msg("Autosave");
      state = "idle";
    }
    var away = null;
    if (conflicts && !conflictsHere().length) {
      away = Object.keys(pending).filter(function (qid) {
        return pending[qid].conflict && pending[qid].s;
      })[0];
    }
    if (away) {
      var href = "?section=" + encodeURIComponent(pending[away].s) + "#q-" + away;
      var link = statusEl.querySelector("a");
      if (statusEl.firstChild && statusEl.firstChild.nodeValue === text + " " && link &&
          link.getAttribute("href") === href) {
        return;
      }
      statusEl.textContent = text + " ";
      link = document.createElement("a");
      link.href = href;
      link.textContent = msg("ShowConflict");
      statusEl.appendChild(link);
    } else if (statusEl.textContent !== text) {
      statusEl.textContent = text;
    }
    statusEl.dataset.state = state;
    document.body.classList.toggle("audit-unsaved", waiting + conflicts > 0);
  }

  function applyProgress(data) {
    var progress = data.progress;
    var bar = document.getElementById("progress");
    var label = document.getElementById("progress-text");
    if (progress && bar) {
      bar.max = Math.max(progress.total, 1);
      bar.value = progress.answered;
      bar.textContent = progress.percent + "%";
    }
    if (progress && label) label.textContent = msg("Progress", progress);
    if (data.sections) {
      Object.keys(data.sections).forEach(function (sid) {
        var counts = data.sections[sid];
        var el = document.querySelector('[data-section-count="' + cssEscape(sid) + '"]');
        if (!el) return;
        el.textContent = msg("SectionCount", counts);
        el.classList.toggle("complete", counts.total > 0 && counts.answered === counts.total);
      });
    }
  }

  // ------------------------------------------------------------------ show_if

  function matches(value, equals) {
    if (value === null || value === undefined) return false;
    if (Array.isArray(value)) {
      return value.some(function (v) { return equals.indexOf(v) >= 0; });
    }
    if (typeof value === "number") {
      return equals.some(function (listed) { return Number(listed) === value; });
    }
    return equals.indexOf(value) >= 0;
  }

  function setVisible(b, show) {
    if (b.hidden === !show) return;
    b.hidden = !show;
    b.disabled = !show;
    if (show) {
      b.classList.add("appeared");
      window.setTimeout(function () { b.classList.remove("appeared"); }, 2000);
    }
  }

  // `equals` conditions whose controlling question is on this page are decided here,
  // at once; everything else (min_score, other sections) comes from the server.
  function evaluateShowIf() {
    var boxes = form.querySelectorAll(".question[data-show-if-question]");
    Array.prototype.forEach.call(boxes, function (b) {
      if (b.dataset.showIfEquals === undefined) return;
      var controller = box(b.dataset.showIfQuestion);
      if (!controller) return;
      var equals;
      try {
        equals = JSON.parse(b.dataset.showIfEquals);
      } catch (e) {
        return;
      }
      var data = readValue(controller);
      setVisible(b, !controller.hidden && !data.invalid && matches(data.value, equals));
    });
  }

  function applyVisible(visible) {
    if (!Array.isArray(visible)) return;
    Array.prototype.forEach.call(form.querySelectorAll(".question"), function (b) {
      setVisible(b, visible.indexOf(b.dataset.questionId) >= 0);
    });
  }

  // ------------------------------------------------------------------ the save queue

  function saveUrl(qid) {
    return form.dataset.saveUrl.replace("__QID__", encodeURIComponent(qid));
  }

  function nextEntry() {
    var ids = Object.keys(pending);
    for (var i = 0; i < ids.length; i++) {
      var entry = pending[ids[i]];
      if (!entry.conflict && !holds[ids[i]]) return entry;
    }
    return null;
  }

  function pump() {
    if (inflight || locked || retryTimer) return;
    var entry = nextEntry();
    if (!entry) {
      renderGlobal();
      finishSubmitIfDone();
      return;
    }
    inflight = true;
    inflightQid = entry.q;
    setQState(entry.q, "saving");
    renderGlobal();
    var controller = window.AbortController ? new AbortController() : null;
    var timer = window.setTimeout(function () {
      if (controller) controller.abort();
    }, REQUEST_TIMEOUT_MS);
    fetch(saveUrl(entry.q), {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrf
      },
      body: JSON.stringify({
        value: entry.value,
        note: entry.note,
        evidence: entry.evidence,
        base_revision: entry.base
      }),
      signal: controller ? controller.signal : undefined
    })
      .then(function (response) {
        return response.json().then(
          function (data) { return { response: response, data: data }; },
          function () { return { response: response, data: null }; }
        );
      })
      .then(
        function (result) {
          window.clearTimeout(timer);
          inflight = false;
          handle(entry, result.response, result.data);
        },
        function () {
          window.clearTimeout(timer);
          inflight = false;
          retryLater();
        }
      );
  }

  function handle(sent, response, data) {
    var qid = sent.q;
    var current = pending[qid];
    var same = !!current && current.token === sent.token;
    var status = response.status;
    if (response.ok && data && data.ok) {
      attempt = 0;
      sessionProblem = false;
      lastProblem = "";
      lastSavedAt = new Date();
      setRevision(qid, data.revision);
      snapshot[qid] = payloadKey(sent.value, sent.note, sent.evidence);
      if (same) {
        drop(qid);
        setQState(qid, "saved");
      } else if (current) {
        current.base = data.revision; // the newer edit builds on what we just saved
        store(current);
      }
      applyProgress(data);
      if (!waitingCount()) applyVisible(data.visible);
      pump();
      return;
    }
    if ((status === 409 || status === 410) && data && data.locked) {
      locked = true;
      Object.keys(pending).forEach(drop);
      Array.prototype.forEach.call(form.querySelectorAll("input, textarea, button"), function (el) {
        el.disabled = true;
      });
      renderGlobal();
      return;
    }
    if (status === 409 && data && data.conflict) {
      attempt = 0;
      var target = current || sent;
      target.conflict = {
        value: data.value,
        note: data.note,
        evidence: data.evidence,
        revision: data.revision,
        display: data.display
      };
      pending[qid] = target;
      store(target);
      submitWhenDone = false;
      showConflict(qid);
      renderGlobal();
      pump();
      return;
    }
    if ((status === 400 && data && data.code) || status === 403 || status === 404) {
      // Nothing to retry: the value is refused (or the question/audit is out of reach).
      attempt = 0;
      if (same) drop(qid);
      var text = (data && (data.message || data.error)) || msg("Error");
      showError(qid, text);
      setQState(qid, "error");
      lastProblem = text;
      submitWhenDone = false;
      renderGlobal();
      pump();
      return;
    }
    // Server error, lost session (login page instead of JSON), expired CSRF token: retry.
    sessionProblem = !data || status === 400 || status === 401 || response.redirected;
    retryLater();
  }

  function retryLater() {
    var delay = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)];
    attempt += 1;
    Object.keys(pending).forEach(function (qid) {
      if (!pending[qid].conflict) setQState(qid, "retrying");
    });
    renderGlobal();
    if (retryTimer) window.clearTimeout(retryTimer);
    retryTimer = window.setTimeout(function () {
      retryTimer = null;
      pump();
    }, delay);
  }

  function retryNow() {
    if (retryTimer) {
      window.clearTimeout(retryTimer);
      retryTimer = null;
    }
    attempt = 0;
    pump();
  }

  function release(qid) {
    if (holds[qid]) {
      window.clearTimeout(holds[qid]);
      delete holds[qid];
    }
  }

  function payloadKey(value, note, evidence) {
    return JSON.stringify([value === undefined ? null : value, note || "", evidence || ""]);
  }

  function queueSave(b, debounce) {
    var qid = b.dataset.questionId;
    var data = readValue(b);
    if (data.invalid) {
      // While typing ("12," on the way to "12,5") stay quiet; complain when the field is left.
      if (debounce) {
        setQState(qid, "unsaved");
      } else {
        showError(qid, msg("NotNumber"));
        setQState(qid, "error");
        lastProblem = msg("NotNumber");
        renderGlobal();
      }
      return;
    }
    showError(qid, "");
    var note = fieldValue(b, "note");
    var evidence = fieldValue(b, "evidence");
    var key = payloadKey(data.value, note, evidence);
    var old = pending[qid];
    if (!debounce && old && !old.conflict && payloadKey(old.value, old.note, old.evidence) === key) {
      release(qid); // already queued with exactly this content: just send it now
      pump();
      return;
    }
    if (!old && snapshot[qid] === key) {
      release(qid); // nothing changed since the last save
      return;
    }
    var entry = {
      q: qid,
      value: data.value,
      note: note,
      evidence: evidence,
      base: old ? old.base : revisionOf(qid),
      token: newToken(),
      s: form.dataset.sectionId,
      at: Date.now()
    };
    if (old && old.conflict) entry.conflict = old.conflict;
    pending[qid] = entry;
    store(entry);
    release(qid);
    if (debounce) {
      holds[qid] = window.setTimeout(function () {
        delete holds[qid];
        pump();
      }, DEBOUNCE_MS);
    }
    if (entry.conflict) {
      setQState(qid, "conflict");
    } else {
      setQState(qid, debounce ? "unsaved" : "saving");
    }
    renderGlobal();
    pump();
  }

  // ------------------------------------------------------------------ "Save and continue"

  function finishSubmitIfDone() {
    if (submitWhenDone && !waitingCount() && !conflictsHere().length) {
      submitWhenDone = false;
      form.submit();
    }
  }

  form.addEventListener("submit", function (event) {
    Object.keys(holds).forEach(release);
    var here = conflictsHere();
    if (!waitingCount() && !here.length) return; // nothing unsaved: a normal post
    event.preventDefault();
    if (here.length) {
      renderGlobal();
      var b = box(here[0]);
      if (b) {
        b.scrollIntoView({ block: "center" });
        var button = b.querySelector(".keep-mine");
        if (button) button.focus();
      }
      return;
    }
    submitWhenDone = true;
    renderGlobal();
    retryNow();
  });

  // ------------------------------------------------------------------ wiring

  function questionOf(target) {
    var b = target.closest ? target.closest(".question") : null;
    return b && b.dataset.questionId ? b : null;
  }

  form.addEventListener("change", function (event) {
    var target = event.target;
    var b = questionOf(target);
    if (!b) return;
    if (target.type === "radio" || target.type === "checkbox") {
      exclusivity(b, target);
      queueSave(b, false);
      evaluateShowIf();
    } else {
      // Text fields fire "change" when they lose focus: save at once.
      queueSave(b, false);
    }
  });

  form.addEventListener("input", function (event) {
    var target = event.target;
    if (target.type === "radio" || target.type === "checkbox") return;
    var b = questionOf(target);
    if (!b) return;
    var qid = b.dataset.questionId;
    if (target.name === "a-" + qid && target.value.trim()) {
      named(b, "s-" + qid).forEach(function (i) { i.checked = false; });
    }
    queueSave(b, true);
    if (b.dataset.type === "number") evaluateShowIf();
  });

  form.addEventListener("focusout", function (event) {
    var b = questionOf(event.target);
    if (!b) return;
    var qid = b.dataset.questionId;
    if (holds[qid]) {
      release(qid);
      pump();
    }
  });

  window.addEventListener("online", function () {
    renderGlobal();
    retryNow();
  });
  window.addEventListener("offline", renderGlobal);

  // Unsent answers stay in localStorage and are replayed on the next visit; only when
  // the browser refuses storage is there something to lose by leaving.
  window.addEventListener("beforeunload", function (event) {
    if (!storageOk && (waitingCount() || conflictsHere().length)) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Leaving the page (another section, another site): send what is still waiting
  // with keepalive so it reaches the server even as the page goes away. The entries
  // stay stored; replaying a save that did arrive is harmless (nothing changes).
  window.addEventListener("pagehide", function () {
    Object.keys(holds).forEach(release);
    Object.keys(pending).forEach(function (qid) {
      var entry = pending[qid];
      if (entry.conflict || (inflight && inflightQid === qid)) return;
      try {
        fetch(saveUrl(qid), {
          method: "POST",
          credentials: "same-origin",
          keepalive: true,
          headers: {
            "Content-Type": "application/json",
            Accept: "application/json",
            "X-CSRFToken": csrf
          },
          body: JSON.stringify({
            value: entry.value,
            note: entry.note,
            evidence: entry.evidence,
            base_revision: entry.base
          })
        }).catch(function () { /* replayed on the next visit */ });
      } catch (e) {
        /* replayed on the next visit */
      }
    });
  });

  // ------------------------------------------------------------------ start

  Array.prototype.forEach.call(form.querySelectorAll(".question"), function (b) {
    var data = readValue(b);
    if (!data.invalid) {
      snapshot[b.dataset.questionId] = payloadKey(
        data.value, fieldValue(b, "note"), fieldValue(b, "evidence")
      );
    }
  });
  restore();
  Object.keys(pending).forEach(function (qid) {
    var entry = pending[qid];
    var b = box(qid);
    if (!b) return;
    applyValue(b, entry.value, entry.note, entry.evidence);
    if (entry.conflict) {
      showConflict(qid);
    } else {
      setQState(qid, "saving");
    }
  });
  evaluateShowIf();
  renderGlobal();
  pump();
})();
