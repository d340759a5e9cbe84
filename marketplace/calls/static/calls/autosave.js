// Keep everything a member types in a declaration's step: save it to the server a moment after each
// change, and keep a copy in this browser when the server cannot take it (a session that ended, no
// network). The copy is put back when the page is next opened, then forgotten once saved.
(function () {
  "use strict";
  var form = document.querySelector("form[data-draft-key]");
  var status = document.getElementById("autosave-status");
  if (!form || !status) return;
  var key = "gongzhi:" + form.dataset.draftKey;
  var url = form.dataset.autosave;
  var timer = null;

  function fields() {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || el.type === "submit" || el.type === "hidden") return;
      values[el.name] = el.value;
    });
    return values;
  }

  function keepCopy() {
    try {
      localStorage.setItem(key, JSON.stringify({ at: Date.now(), values: fields() }));
    } catch (e) { /* storage full or refused: the server copy is all there is */ }
  }

  function forgetCopy() {
    try { localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
  }

  function say(text) { status.textContent = text; }

  function save() {
    timer = null;
    if (!url) { keepCopy(); return; }
    var data = new FormData(form);
    data.set("autosave", "1");
    fetch(url, { method: "POST", body: data, credentials: "same-origin", redirect: "manual",
                 headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (response.type === "opaqueredirect" || !response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (body) {
        if (!body.saved) throw new Error("not saved");
        forgetCopy();
        say(status.dataset.saved + " " + body.at);
      })
      .catch(function () {
        keepCopy();
        say(status.dataset.failed);
      });
  }

  function restore() {
    var raw;
    try { raw = localStorage.getItem(key); } catch (e) { return; }
    if (!raw) return;
    var kept;
    try { kept = JSON.parse(raw); } catch (e) { forgetCopy(); return; }
    var savedAt = Number(form.dataset.savedAt || 0) * 1000;
    if (!kept || !kept.values || kept.at <= savedAt) { forgetCopy(); return; }
    Object.keys(kept.values).forEach(function (name) {
      var el = form.elements[name];
      if (el && typeof el.value === "string") el.value = kept.values[name];
    });
    say(status.dataset.restored);
  }

  restore();
  form.addEventListener("input", function () {
    keepCopy();
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, 1500);
  });
  form.addEventListener("submit", function () { keepCopy(); });
  if (!url) return;
})();
