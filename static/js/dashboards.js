// 数据大屏: a clock (Beijing time, 2026年11月29日 星期日 08:05:09) and the data fragment
// reloaded every minute. The page works without this file; it just does not refresh itself.
(function () {
  "use strict";
  var root = document.querySelector("[data-screen]");
  if (!root) return;
  var clock = root.querySelector("[data-clock]");
  var status = root.querySelector("[data-status]");
  var box = document.getElementById("screen-data");
  var every = (parseInt(box.getAttribute("data-refresh"), 10) || 60) * 1000;
  var parts = new Intl.DateTimeFormat("zh-CN", {
    timeZone: "Asia/Shanghai", year: "numeric", month: "numeric", day: "numeric",
    weekday: "long", hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false
  });

  function now() {
    var p = {};
    parts.formatToParts(new Date()).forEach(function (x) { p[x.type] = x.value; });
    return { date: p.year + "年" + p.month + "月" + p.day + "日", weekday: p.weekday,
             time: (p.hour === "24" ? "00" : p.hour) + ":" + p.minute + ":" + p.second };
  }

  function tick() {
    var t = now();
    clock.textContent = t.date + " " + t.weekday + " " + t.time;
  }

  function refresh() {
    fetch(box.getAttribute("data-src"), { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        // signed out (session expired): reload, which lands on the login page
        if (response.redirected || response.status === 401 || response.status === 403) {
          window.location.reload();
          return null;
        }
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        if (html === null) return;
        box.innerHTML = html;
        status.classList.remove("failed");
        status.textContent = "每" + every / 1000 + "秒自动刷新";
      })
      .catch(function () {
        status.classList.add("failed");
        status.textContent = "刷新失败（" + now().time + "），仍显示上次数据，稍后自动重试";
      });
  }

  tick();
  window.setInterval(tick, 1000);
  window.setInterval(refresh, every);
})();
