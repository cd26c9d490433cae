// Answering an inspection on a phone: every answer is saved to the server as it is given and
// kept in localStorage (keyed by the inspection) until the server acknowledges it, so nothing
// is lost when the connection drops; unsent answers are re-sent on reconnect and on reload.
// Photos are uploaded at once and retried from memory while the page is open.
// Without this script every card is a plain form with a 保存本项 button.
(function () {
  "use strict";
  var root = document.querySelector("[data-inspection]");
  if (!root) return;
  document.documentElement.classList.add("js");

  var key = "huxiao.inspection." + root.getAttribute("data-inspection");
  var saveUrl = root.getAttribute("data-save-url");
  var photoUrl = root.getAttribute("data-photo-url");
  var csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;
  var bar = root.querySelector("[data-sync]");
  var answeredEl = root.querySelector("[data-answered-count]");
  var pending = load();        // item id -> {rev, values}
  var inflight = {};           // item id -> rev being sent
  var photos = [];             // [{item, file, busy}]
  var lastRev = 0;
  var timers = {};
  var recorded = {};           // item id -> the values last recorded (a blur re-sends nothing new)
  var submitting = null;       // the submit form, waiting for the pending answers to be acknowledged

  function load() {
    try { return JSON.parse(window.localStorage.getItem(key)) || {}; } catch (e) { return {}; }
  }
  function store() {
    try {
      if (Object.keys(pending).length) window.localStorage.setItem(key, JSON.stringify(pending));
      else window.localStorage.removeItem(key);
    } catch (e) { /* storage full or disabled: the server copy still counts */ }
  }
  function card(item) { return document.getElementById("item-" + item); }
  function nextRev() { lastRev = Math.max(Date.now(), lastRev + 1); return lastRev; }

  function values(form) {
    var out = {};
    var checked = form.querySelector("input[name=result]:checked");
    out.result = checked ? checked.value : "";
    ["number", "text", "note"].forEach(function (name) {
      var field = form.querySelector("[name=" + name + "]");
      if (field) out[name] = field.value;
    });
    return out;
  }
  function apply(form, v) {
    form.querySelectorAll("input[name=result]").forEach(function (r) { r.checked = r.value === v.result; });
    ["number", "text", "note"].forEach(function (name) {
      var field = form.querySelector("[name=" + name + "]");
      if (field && v[name] !== undefined) field.value = v[name];
    });
  }
  function answered(form) {
    var v = values(form), type = form.getAttribute("data-type");
    if (v.result === "na") return true;
    if (type === "pass_fail") return v.result === "pass" || v.result === "fail";
    if (type === "number") return (v.number || "").trim() !== "";
    if (type === "text") return (v.text || "").trim() !== "";
    return form.querySelectorAll("[data-photo]").length > 0;
  }
  function refresh(form) {
    var v = values(form), item = form.getAttribute("data-item");
    // a number's verdict (below the minimum: 不合格) is the server's, shown once it answers
    var verdict = v.result || (form.getAttribute("data-type") === "number" && (v.number || "").trim() !== "" ? form.getAttribute("data-verdict") || "" : "");
    form.setAttribute("data-result", verdict);
    form.setAttribute("data-answered", answered(form) ? "1" : "0");
    var label = form.querySelector("[data-card-state]");
    var waiting = pending[item] || photos.some(function (p) { return p.item === item; });
    label.textContent = waiting ? "未同步" : (answered(form) ? "已保存" : "未作答");
    form.classList.toggle("unsynced", !!waiting);
    form.classList.toggle("missing-photo",
      v.result === "fail" && form.hasAttribute("data-photo-required") && !form.querySelector("[data-photo]"));
  }
  function status() {
    var n = Object.keys(pending).length + photos.length;
    bar.textContent = n ? "未同步 " + n + " 项" : "已保存";
    bar.parentNode.classList.toggle("offline", n > 0);
    var count = 0;
    root.querySelectorAll(".answer-card").forEach(function (f) { if (f.getAttribute("data-answered") === "1") count += 1; });
    answeredEl.textContent = count;
  }
  function error(form, message) {
    var el = form.querySelector("[data-card-error]");
    if (el) el.textContent = message || "";
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: {"X-CSRFToken": csrf, "Accept": "application/json"}
    }).then(function (r) {
      return r.json().then(function (data) { return {ok: r.ok, status: r.status, data: data}; },
                           function () { return {ok: false, status: r.status, data: {error: "服务器返回了无法识别的内容（" + r.status + "）。"}}; });
    });
  }

  function send(item) {
    var entry = pending[item];
    if (!entry || inflight[item] === entry.rev) return;
    inflight[item] = entry.rev;
    var body = new FormData();
    body.append("item", item);
    body.append("rev", entry.rev);
    Object.keys(entry.values).forEach(function (k) { body.append(k, entry.values[k]); });
    post(saveUrl, body).then(function (res) {
      delete inflight[item];
      var form = card(item), current = pending[item];
      if (res.ok) {
        if (current && current.rev <= res.data.rev) { delete pending[item]; store(); }
        if (res.data.status === "stale" && form && !pending[item]) apply(form, res.data);
        if (form) { error(form, ""); form.setAttribute("data-verdict", res.data.result); }
      } else if (res.status >= 400 && res.status < 500) {
        // refused for good (read-only, no right, bad value): keep the message, stop re-sending
        delete pending[item]; store();
        if (form) error(form, res.data.error);
        if (res.status === 409) lock(res.data.error);
      }
      if (form) refresh(form);
      status();
      if (res.ok && pending[item]) send(item);  // changed again while this one was on its way
      else if (!res.ok && submitting) {
        submitting = null;
        if (res.status !== 409) lock("有检查项未能保存（见该项下的提示），改正后再提交。");
      }
      submitWhenSynced();
    }, function () {
      delete inflight[item];   // offline: keep it pending, retried on reconnect
      if (submitting) lock("网络不通，还有 " + waitingCount() + " 项未同步到服务器；联网后会自动上传，同步完成后再提交。");
      submitting = null;
      status();
    });
  }

  function waitingCount() { return Object.keys(pending).length + photos.length; }
  function submitWhenSynced() {
    if (!submitting || waitingCount()) return;
    var form = submitting;
    submitting = null;
    lock("");
    form.submit();
  }

  function record(form) {
    var item = form.getAttribute("data-item"), v = values(form);
    clearTimeout(timers[item]);
    if (!pending[item] && JSON.stringify(recorded[item]) === JSON.stringify(v)) return;
    recorded[item] = v;
    pending[item] = {rev: nextRev(), values: v};
    store();
    refresh(form);
    status();
    send(item);
  }

  function addThumb(form, data) {
    var box = form.querySelector("[data-photos]");
    if (box.querySelector('[data-photo="' + data.photo + '"]')) return;
    var wrap = document.createElement("span");
    wrap.className = "thumb-wrap";
    wrap.setAttribute("data-photo", data.photo);
    var link = document.createElement("a");
    link.className = "thumb"; link.href = data.full;
    var img = document.createElement("img");
    img.src = data.thumb; img.alt = "照片"; img.width = 96; img.height = 72;
    link.appendChild(img);
    var del = document.createElement("button");
    del.className = "link photo-del"; del.type = "submit"; del.textContent = "删除";
    del.setAttribute("formaction", data["delete"]);
    del.setAttribute("data-photo-delete", "");
    wrap.appendChild(link); wrap.appendChild(del);
    box.appendChild(wrap);
  }

  function sendPhoto(job) {
    if (job.busy) return;
    job.busy = true;
    var body = new FormData();
    body.append("item", job.item);
    body.append("photo", job.file, job.file.name || "photo.jpg");
    post(photoUrl, body).then(function (res) {
      job.busy = false;
      var form = card(job.item);
      if (res.ok || res.status < 500) photos = photos.filter(function (p) { return p !== job; });
      if (!res.ok && submitting) {
        submitting = null;
        if (res.status !== 409) lock("有照片未能上传（见该项下的提示），处理后再提交。");
      }
      if (res.ok) { addThumb(form, res.data); error(form, ""); }
      else if (res.status < 500) { error(form, res.data.error); if (res.status === 409) lock(res.data.error); }
      refresh(form); status();
      submitWhenSynced();
    }, function () { job.busy = false; submitting = null; status(); });
  }

  function flush() {
    Object.keys(pending).forEach(send);
    photos.forEach(sendPhoto);
  }

  function lock(message) {
    var el = root.querySelector("[data-submit-error]");
    if (el) el.textContent = message;
  }

  root.addEventListener("change", function (event) {
    var form = event.target.closest(".answer-card");
    if (!form) return;
    if (event.target.matches("[data-photo-input]")) {
      var files = Array.prototype.slice.call(event.target.files || []);
      files.forEach(function (file) { var job = {item: form.getAttribute("data-item"), file: file, busy: false}; photos.push(job); sendPhoto(job); });
      event.target.value = "";
      refresh(form); status();
      return;
    }
    record(form);
  });
  root.addEventListener("input", function (event) {
    var form = event.target.closest(".answer-card");
    if (!form || event.target.tagName !== "TEXTAREA") return;
    var item = form.getAttribute("data-item");
    clearTimeout(timers[item]);
    timers[item] = setTimeout(function () { record(form); }, 800);
  });
  root.addEventListener("click", function (event) {
    var del = event.target.closest("[data-photo-delete]");
    if (!del) return;
    event.preventDefault();
    var form = del.closest(".answer-card"), wrap = del.closest("[data-photo]");
    post(del.getAttribute("formaction"), new FormData()).then(function (res) {
      if (res.ok) { wrap.parentNode.removeChild(wrap); error(form, ""); } else { error(form, res.data.error); }
      refresh(form); status();
    }, function () { error(form, "网络不通，照片未删除，请稍后再试。"); });
  });
  root.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.classList.contains("answer-card")) { event.preventDefault(); record(form); return; }
    if (form.hasAttribute("data-submit-form")) {
      // a note still being typed counts: record it now rather than 0.8 s later
      Object.keys(timers).forEach(function (item) { var f = card(item); if (f) record(f); });
      var n = waitingCount();
      if (n) {
        event.preventDefault();
        submitting = form;
        lock("正在同步 " + n + " 项，同步完成后自动提交……");
        flush();
      }
    }
  });

  // Unsent answers from an earlier visit (the page may show older server values): show and re-send.
  Object.keys(pending).forEach(function (item) {
    var form = card(item);
    if (!form) { delete pending[item]; return; }
    apply(form, pending[item].values);
    lastRev = Math.max(lastRev, pending[item].rev);
  });
  store();
  root.querySelectorAll(".answer-card").forEach(function (form) {
    if (!pending[form.getAttribute("data-item")]) recorded[form.getAttribute("data-item")] = values(form);
    refresh(form);
  });
  status();
  flush();
  window.addEventListener("online", flush);
  setInterval(flush, 3000);
})();
