// 护学岗 check-in page: ask the browser for the phone's position once and put it into the
// hidden latitude/longitude/accuracy fields of every [data-geo-form]. Optional: without
// permission (or without this file) check-in still works, only without a position.
(function () {
  "use strict";
  var status = document.querySelector("[data-geo-status]");
  var forms = document.querySelectorAll("[data-geo-form]");
  if (!forms.length) return;
  function say(text) { if (status) status.textContent = text; }
  if (!("geolocation" in navigator)) { say("定位：此浏览器不支持定位，将不记录位置。"); return; }
  navigator.geolocation.getCurrentPosition(
    function (pos) {
      forms.forEach(function (form) {
        form.querySelector("[data-geo=latitude]").value = pos.coords.latitude.toFixed(6);
        form.querySelector("[data-geo=longitude]").value = pos.coords.longitude.toFixed(6);
        form.querySelector("[data-geo=accuracy]").value = Math.round(pos.coords.accuracy);
      });
      say("定位：已获取位置（精度约 " + Math.round(pos.coords.accuracy) + " 米）。");
    },
    function () { say("定位：未获得授权或定位失败，将不记录位置。"); },
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
  );
})();
