// Workshop pages in the browser: what Dash's callbacks cannot do alone.
// 1. The phone sends its composed vote (with the mark of a data slide it is about, if any) through the
//    JSON API with one button; an unsent vote is kept in the phone's storage and sent again (with the
//    reason said) after a lost connection, a 503 or a 429.
// 2. Focus: into the voting panel after joining and when the room moves on; on the facilitator page a
//    redrawn control gets the focus back instead of leaving it on <body>.
// 3. The projector pages tables and the comment wall that do not fit, instead of scrolling.
// 4. The phone polls the room's pulse (GET /api/workshops/<id>/pulse) and redraws only when it moved.
// Every word shown comes from the page (data-* attributes written through t() on the server).
(function () {
  "use strict";
  var UNSENT = "workshop-unsent-vote";
  var retryTimer = null;

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (_, k) {
      return values[k] === undefined ? "" : values[k];
    });
  }

  function labelOf(input) {
    var label = input && document.querySelector("label[for='" + input.id + "']");
    return label ? label.textContent.trim() : input ? input.value : "";
  }

  function say(text, waiting) {
    var out = document.getElementById("workshop-send-status");
    if (!out) { return; }
    out.textContent = text;
    out.classList.toggle("is-waiting", Boolean(waiting));
  }

  function message(name) {
    var out = document.getElementById("workshop-send-status");
    return out ? out.getAttribute("data-" + name) : "";
  }

  function token() {
    try {
      var stored = JSON.parse(window.localStorage.getItem("workshop-token") || "null");
      return stored && typeof stored.token === "string" ? stored.token : null;
    } catch (e) { return null; }
  }

  function keep(pending) {
    try { window.localStorage.setItem(UNSENT, JSON.stringify(pending)); } catch (e) { /* private mode */ }
  }

  function forget() {
    try { window.localStorage.removeItem(UNSENT); } catch (e) { /* private mode */ }
  }

  function send(pending, attempt) {
    clearTimeout(retryTimer);
    var retry = function (seconds) {
      var wait = seconds || Math.min(15, 2 * Math.pow(2, attempt));
      say(fill(message("retry"), {s: wait}), true);
      retryTimer = setTimeout(function () { send(pending, attempt + 1); }, wait * 1000);
    };
    fetch("/api/workshops/" + encodeURIComponent(pending.workshop) + "/votes", {
      method: "POST",
      headers: {"Content-Type": "application/json", "X-Participant-Token": pending.token},
      body: JSON.stringify(pending.body),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (response.ok) {
          forget();
          var text = fill(message(pending.body.comment ? "stored-comment" : "stored"), pending.shown);
          if (pending.body.mark) { text += " " + fill(message("about"), pending.shown); }
          say(answer.replaced ? text + " " + message("replaced") : text, false);
          // Read the room in full now (votes do not move the room's pulse), so the phone shows what
          // the server holds.
          if (window.dash_clientside && window.dash_clientside.set_props) {
            window.dash_clientside.set_props("workshop-vote-seen", {data: null});
            window.dash_clientside.set_props("workshop-vote-pulse", {data: {sent: Date.now()}});
          }
        } else if (response.status === 503 || response.status === 429 || response.status >= 500) {
          retry(parseInt(response.headers.get("Retry-After") || "0", 10) || 0);
        } else {
          forget();  // refused for a reason a retry cannot fix (voting closed, the room moved on)
          say(fill(message("refused"), {why: answer.error || response.status}), false);
        }
      });
    }).catch(function () { retry(0); });
  }

  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest && event.target.closest("#workshop-send");
    if (!button || button.disabled) { return; }
    var stance = document.querySelector("#workshop-stance-choice input:checked");
    if (!stance) {
      say(message("choose"), false);
      var first = document.querySelector("#workshop-stance-choice input");
      if (first) { first.focus(); }
      return;
    }
    var confidence = document.querySelector("#workshop-confidence input:checked");
    var comment = document.getElementById("workshop-comment");
    // On a data slide: the mark the vote is about ("pilot:turku"), or none for the whole view.
    var about = document.getElementById("workshop-mark");
    var field = document.getElementById("workshop-mark-field");
    var mark = about && field && !field.hidden && about.value.indexOf(":") > 0 ? about.value : null;
    var pending = {
      workshop: button.name,
      token: token(),
      body: {
        position: parseInt(button.value, 10),
        stance: stance.value,
        confidence: confidence ? parseInt(confidence.value, 10) : 3,
        comment: comment ? comment.value : "",
        mark: mark,
      },
      shown: {stance: labelOf(stance), confidence: labelOf(confidence),
              mark: mark ? about.options[about.selectedIndex].text : ""},
    };
    keep(pending);
    say(message("sending"), false);
    send(pending, 0);
  });

  // A vote left unsent when the page was closed or reloaded is sent again when it opens.
  function resume() {
    var pending = null;
    try { pending = JSON.parse(window.localStorage.getItem(UNSENT) || "null"); } catch (e) { pending = null; }
    if (pending && document.getElementById("workshop-send-status")) { send(pending, 0); }
  }

  // --- focus ------------------------------------------------------------------------------------
  var lastFocused = null;
  document.addEventListener("focusin", function (event) {
    if (event.target && event.target.id) { lastFocused = event.target.id; }
  });

  var panelShown = false;
  var shownPosition = null;
  function followFocus() {
    var panel = document.getElementById("workshop-vote-panel");
    var heading = document.getElementById("workshop-vote-item");
    var send = document.getElementById("workshop-send");
    if (panel && heading) {
      var visible = !panel.hidden;
      var position = send ? send.value : null;
      if (visible && (!panelShown || position !== shownPosition) && heading.textContent) {
        if (!panelShown) { resume(); }
        var typing = document.activeElement && document.activeElement.id === "workshop-comment";
        if (!panelShown || !typing) { heading.focus({preventScroll: false}); }
        shownPosition = position;
        panelShown = true;
      }
      if (!visible) { panelShown = false; }
    }
    // The facilitator's page: a control drawn again gets the focus back.
    var active = document.activeElement;
    if ((!active || active === document.body) && lastFocused &&
        document.querySelector(".workshop-facilitate")) {
      var again = document.getElementById(lastFocused);
      if (again && again.isConnected) { again.focus({preventScroll: true}); }
    }
  }

  // --- the projector's pages ----------------------------------------------------------------------
  function pageBoxes() {
    document.querySelectorAll(".workshop-present .workshop-paged").forEach(function (box) {
      if (box.scrollHeight <= box.clientHeight + 2) { box.scrollTop = 0; return; }
      var next = box.scrollTop + box.clientHeight;
      box.scrollTop = next >= box.scrollHeight - 2 ? 0 : next;
    });
  }
  setInterval(pageBoxes, 8000);

  // --- the phone's pulse ---------------------------------------------------------------------------
  // Every 1.5 s the phone asks the room's pulse (one small JSON answer, no page callback); it redraws
  // through Dash only when the room moved or while a timer counts down. A 200-person room stays cheap.
  var lastPulse = null;
  function room() {
    try {
      var stored = JSON.parse(window.localStorage.getItem("workshop-token") || "null");
      return stored && typeof stored.workshop === "string" ? stored.workshop : null;
    } catch (e) { return null; }
  }
  function pulse() {
    var workshop = room();
    if (!workshop || !document.getElementById("workshop-vote-pulse") || !window.dash_clientside ||
        !window.dash_clientside.set_props) { return; }
    fetch("/api/workshops/" + encodeURIComponent(workshop) + "/pulse", {cache: "no-store"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (!answer) { return; }
        var key = workshop + ":" + answer.version;
        if (key !== lastPulse || answer.timer) {
          lastPulse = key;
          window.dash_clientside.set_props("workshop-vote-pulse", {data: {version: answer.version, at: Date.now()}});
        }
      })
      .catch(function () { /* offline for now: the next pulse tries again */ });
  }
  setInterval(pulse, 1500);

  // --- the projector's pulse -----------------------------------------------------------------------
  // The projector redraws its live counts every 1.5 s through Dash; when the facilitator moves the
  // room on, it follows within half a second: one projector per room asks the small pulse that often.
  var lastPresented = null;
  function presentPulse() {
    var workshop = new URLSearchParams(window.location.search).get("w");
    if (!workshop || !window.dash_clientside || !window.dash_clientside.set_props ||
        !document.querySelector(".workshop-present")) { return; }
    fetch("/api/workshops/" + encodeURIComponent(workshop) + "/pulse", {cache: "no-store"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (!answer) { return; }
        var key = workshop + ":" + answer.version;
        // The first answer redraws too: the room may have moved since the page drew it.
        if (key !== lastPresented) {
          window.dash_clientside.set_props("workshop-present-pulse", {data: {version: answer.version}});
        }
        lastPresented = key;
      })
      .catch(function () { /* offline for now: the next pulse tries again */ });
  }
  setInterval(presentPulse, 500);

  var observer = new MutationObserver(function () { followFocus(); });
  function start() {
    var root = document.getElementById("react-entry-point") || document.body;
    observer.observe(root, {subtree: true, childList: true, attributes: true,
                            attributeFilter: ["hidden", "value"]});
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else { start(); }
})();
