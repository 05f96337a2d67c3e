// The hall display: the board is polled by htmx. When a poll fails the last board stays on the screen
// with a notice; the next successful poll clears it. A new call is spoken where the screen has a voice.
(() => {
  const board = document.getElementById("board");
  const offline = document.getElementById("board-offline");
  if (!board || !offline) return;
  const latest = () => board.querySelector("[data-latest]");
  let last = latest() ? latest().dataset.latest : "";
  const down = () => { offline.hidden = false; board.classList.add("board-stale"); };
  document.body.addEventListener("htmx:sendError", down);
  document.body.addEventListener("htmx:responseError", down);
  document.body.addEventListener("htmx:timeout", down);
  document.body.addEventListener("htmx:afterSwap", () => {
    offline.hidden = true;
    board.classList.remove("board-stale");
    const now = latest();
    if (!now || !now.dataset.latest || now.dataset.latest === last) return;
    last = now.dataset.latest;
    if ("speechSynthesis" in window && now.dataset.announce) {
      const words = new SpeechSynthesisUtterance(now.dataset.announce);
      words.lang = document.documentElement.lang || "zh-CN";
      window.speechSynthesis.speak(words);
    }
  });
})();
