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
  // The transcript follows the audio: the sentence being heard is highlighted (a switch
  // turns that off, remembered); it is scrolled into view only when the reader has not
  // asked for reduced motion. The sentences are one Tab stop (a roving tabindex): the
  // arrow keys move between them and Enter plays from the one that has focus.
  var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)");
  Array.prototype.forEach.call(document.querySelectorAll("div.follow"), function (box) {
    var audio = document.getElementById(box.getAttribute("data-player"));
    var cues = document.querySelectorAll('span.cue[data-player="' + box.getAttribute("data-player") + '"]');
    if (!audio || !cues.length) { return; }
    var toggle = box.querySelector("input");
    var key = "pressaudio-follow";
    var stored = null;
    try { stored = window.localStorage.getItem(key); } catch (err) { stored = null; }
    toggle.checked = stored !== "off";
    box.hidden = false;
    var help = box.querySelector("p.muted");
    Array.prototype.forEach.call(cues, function (c, i) {
      c.tabIndex = i === 0 ? 0 : -1;
      if (help) { c.setAttribute("aria-describedby", help.id); }
    });
    var current = null;
    function mark(el) {
      if (el === current) { return; }
      if (current) { current.classList.remove("now"); }
      current = el;
      if (!el || !toggle.checked) { return; }
      el.classList.add("now");
      var inside = document.activeElement && box.parentNode.contains(document.activeElement) &&
        document.activeElement.classList.contains("cue");
      if (!(still && still.matches) && !inside) {
        var r = el.getBoundingClientRect();
        if (r.top < 0 || r.bottom > window.innerHeight) { el.scrollIntoView({ block: "center" }); }
      }
    }
    audio.addEventListener("timeupdate", function () {
      var t = audio.currentTime, found = null;
      for (var i = 0; i < cues.length; i++) {
        var c = cues[i];
        if (parseFloat(c.getAttribute("data-start")) <= t + 0.05) {
          if (t < parseFloat(c.getAttribute("data-end"))) { found = c; }
        } else { break; }
      }
      mark(found);
    });
    toggle.addEventListener("change", function () {
      try { window.localStorage.setItem(key, toggle.checked ? "on" : "off"); } catch (err) {}
      var was = current;
      current = null;
      if (was) { was.classList.remove("now"); }
      if (toggle.checked) { mark(was); }
    });
    function focusCue(i) {
      if (i < 0 || i >= cues.length) { return; }
      Array.prototype.forEach.call(cues, function (c) { c.tabIndex = -1; });
      cues[i].tabIndex = 0;
      cues[i].focus();
    }
    Array.prototype.forEach.call(cues, function (c, i) {
      c.addEventListener("keydown", function (e) {
        if (e.altKey || e.ctrlKey || e.metaKey) { return; }
        if (e.key === "ArrowDown" || e.key === "ArrowRight") { focusCue(i + 1); }
        else if (e.key === "ArrowUp" || e.key === "ArrowLeft") { focusCue(i - 1); }
        else if (e.key === "Home") { focusCue(0); }
        else if (e.key === "End") { focusCue(cues.length - 1); }
        else if (e.key === "Enter" || e.key === " ") {
          seek(audio, parseFloat(c.getAttribute("data-start")));
        } else { return; }
        e.preventDefault();
      });
      c.addEventListener("focus", function () {
        Array.prototype.forEach.call(cues, function (o) { o.tabIndex = o === c ? 0 : -1; });
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
