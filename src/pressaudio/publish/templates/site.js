(function () {
  "use strict";
  function seek(audio, t) {
    function go() {
      audio.currentTime = t;
      var p = audio.play();
      if (p && p.catch) { p.catch(function () {}); }
    }
    if (audio.readyState >= 1) { go(); return; }
    audio.addEventListener("loadedmetadata", go, { once: true });
    if (audio.networkState === 0 || audio.preload === "none") { audio.load(); }
  }
  document.addEventListener("click", function (e) {
    var a = e.target && e.target.closest ? e.target.closest("a[data-seek]") : null;
    if (!a || e.defaultPrevented || e.button !== 0 ||
        e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) { return; }
    var audio = document.getElementById(a.getAttribute("data-player"));
    if (!audio) { return; }
    e.preventDefault();
    seek(audio, parseFloat(a.getAttribute("data-seek")));
  });
  var players = document.querySelectorAll("audio");
  Array.prototype.forEach.call(players, function (audio) {
    audio.addEventListener("play", function () {
      Array.prototype.forEach.call(players, function (other) {
        if (other !== audio && !other.paused) { other.pause(); }
      });
    });
    var links = document.querySelectorAll(
      'ol.chapters a[data-player="' + audio.id + '"]');
    if (!links.length) { return; }
    audio.addEventListener("timeupdate", function () {
      var t = audio.currentTime, current = null;
      Array.prototype.forEach.call(links, function (a) {
        if (parseFloat(a.getAttribute("data-seek")) <= t + 0.05) { current = a; }
      });
      Array.prototype.forEach.call(links, function (a) {
        if (a === current) { a.setAttribute("aria-current", "true"); }
        else { a.removeAttribute("aria-current"); }
      });
    });
  });
  var copy = document.getElementById("copy-feed");
  var field = document.getElementById("feed-url");
  var status = document.getElementById("copy-status");
  if (copy && field && status) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      function done(ok) {
        status.textContent = ok ? "Feed URL copied." : "Press Control+C (or Command+C) to copy.";
      }
      field.focus();
      field.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(
          function () { done(true); },
          function () { done(document.execCommand && document.execCommand("copy")); });
      } else {
        done(document.execCommand && document.execCommand("copy"));
      }
    });
  }
})();
