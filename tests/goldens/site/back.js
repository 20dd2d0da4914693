/* helpflow static site: pages reached from several places cannot link "Back" to one of them,
   so with JavaScript the browser's history provides it; without, the browser's own back
   button does. */
(function () {
  "use strict";
  var button = document.querySelector("[data-history-back]");
  if (!button || window.history.length < 2) return;
  button.hidden = false;
  button.addEventListener("click", function () { window.history.back(); });
})();
