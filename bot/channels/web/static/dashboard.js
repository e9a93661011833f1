// Dashboard niceties; every form also works without this script.
"use strict";

(function () {
  for (const id of ["directive-select", "commune-select", "province-directive"]) {
    const picker = document.getElementById(id);
    if (picker) picker.addEventListener("change", () => picker.form.submit());
  }
  // A status form is sent once: a second click while the first is on its way would only
  // be deduped by the engine anyway (same uuid), so say so by disabling the buttons.
  document.querySelectorAll("form.status-buttons").forEach((form) => {
    form.addEventListener("submit", () => {
      setTimeout(() => form.querySelectorAll("button").forEach((b) => { b.disabled = true; }), 0);
    });
  });
  // The current period is the grid's last column: on a phone, show it first (the older
  // weeks are a swipe to the left).
  document.querySelectorAll(".grid-scroll").forEach((box) => {
    box.scrollLeft = box.scrollWidth;
  });
  const flash = document.getElementById("flash");
  if (flash) setTimeout(() => { flash.hidden = true; }, 6000);
})();
