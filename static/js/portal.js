// Public portal: keep the server-rendered countdowns ("3 hari 4 jam lagi") true while the page stays open.
// The server text is the fallback; the unit words are read from the page so the language stays the page's.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "id";
  var words = lang.indexOf("en") === 0
    ? { d: "days", h: "hours", m: "minutes", left: "left", past: "passed" }
    : { d: "hari", h: "jam", m: "menit", left: "lagi", past: "sudah lewat" };
  function text(ms) {
    var s = Math.floor(ms / 1000);
    if (s <= 0) { return words.past; }
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    if (d) { return d + " " + words.d + " " + h + " " + words.h + " " + words.left; }
    if (h) { return h + " " + words.h + " " + m + " " + words.m + " " + words.left; }
    return Math.max(m, 1) + " " + words.m + " " + words.left;
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-deadline]").forEach(function (el) {
      var at = Date.parse(el.getAttribute("data-deadline"));
      if (!isNaN(at)) { el.textContent = text(at - now); }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { tick(); window.setInterval(tick, 30000); });
})();
