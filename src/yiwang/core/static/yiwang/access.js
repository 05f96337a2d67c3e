/* Accessibility helpers for every page (GB/T 37668-2019, 适老化). No inline script: the CSP allows only files.

   1. A table too wide for the screen scrolls inside its .table-wrap; a keyboard reaches and scrolls it only
      if the wrapper takes focus, so a wrapper that overflows becomes a named, focusable group (a template
      may say so itself: tabindex="0" role="group" aria-label="…").
   2. 朗读 (read aloud): the button in the portal's header reads the page's main content with the browser's
      own speech synthesis — nothing is sent anywhere — and stops when pressed again. Where the browser has
      no speech synthesis the button stays hidden. */
(function () {
  "use strict";
  function nameOf(wrap) {
    var caption = wrap.querySelector("caption");
    if (caption && caption.textContent.trim()) { return caption.textContent.trim(); }
    var section = wrap.closest("section, .card, main");
    var heading = section && section.querySelector("h1, h2, h3");
    return heading ? heading.textContent.trim() : document.title;
  }
  function focusableWhenScrolling() {
    var wraps = document.querySelectorAll(".table-wrap:not([tabindex]), .chart-wrap:not([tabindex])");
    for (var i = 0; i < wraps.length; i++) {
      var wrap = wraps[i];
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "group");  // named, but no landmark: a section may bear the same name
        if (!wrap.hasAttribute("aria-label")) { wrap.setAttribute("aria-label", nameOf(wrap)); }
      }
    }
  }
  focusableWhenScrolling();
  document.addEventListener("htmx:afterSettle", focusableWhenScrolling);
})();

(function () {
  "use strict";
  var button = document.querySelector("[data-read-aloud]");
  if (!button || !("speechSynthesis" in window) || typeof window.SpeechSynthesisUtterance !== "function") {
    return;
  }
  var speech = window.speechSynthesis;
  var readLabel = button.textContent;
  var stopLabel = button.getAttribute("data-stop-label") || readLabel;

  function show(reading) {
    button.textContent = reading ? stopLabel : readLabel;
    button.setAttribute("aria-pressed", reading ? "true" : "false");
  }

  button.addEventListener("click", function () {
    if (speech.speaking || speech.pending) {
      speech.cancel();
      show(false);
      return;
    }
    var main = document.getElementById("main");
    var text = main ? main.innerText.trim() : "";
    if (!text) {
      return;
    }
    var utterance = new window.SpeechSynthesisUtterance(text);
    utterance.lang = document.documentElement.lang || "zh-CN";
    utterance.rate = 0.9;  // a little slower than the default, for older listeners
    utterance.onend = utterance.onerror = function () { show(false); };
    speech.cancel();
    speech.speak(utterance);
    show(true);
  });
  window.addEventListener("pagehide", function () { speech.cancel(); });
  button.setAttribute("aria-pressed", "false");
  button.hidden = false;
})();
