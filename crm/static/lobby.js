// Pitch timer: counts up while you practise; past one minute it turns red with a text cue.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-pitch-timer]").forEach(function (box) {
    var display = box.querySelector("[data-timer-display]");
    var toggle = box.querySelector("[data-timer-toggle]");
    var reset = box.querySelector("[data-timer-reset]");
    var started = null, elapsed = 0, handle = null;
    toggle.hidden = false; reset.hidden = false;
    function show(ms) {
      var s = Math.floor(ms / 1000);
      var text = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
      if (s >= 60) { text += " — over de minuut"; display.classList.add("timer-over"); }
      else { display.classList.remove("timer-over"); }
      display.textContent = text;
    }
    function tick() { show(elapsed + (Date.now() - started)); }
    toggle.addEventListener("click", function () {
      if (handle) {
        elapsed += Date.now() - started; clearInterval(handle); handle = null;
        toggle.textContent = "Verder";
      } else {
        started = Date.now(); handle = setInterval(tick, 250);
        toggle.textContent = "Pauze";
      }
    });
    reset.addEventListener("click", function () {
      if (handle) { clearInterval(handle); handle = null; }
      elapsed = 0; show(0); toggle.textContent = "Start de timer";
    });
  });
});
