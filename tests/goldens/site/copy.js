/* helpflow: Copy buttons on code blocks. The buttons are in the page, hidden; this shows
   them where the clipboard can be written, and copies the block's text on click. */
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) return;
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var block = button.parentNode.querySelector("pre");
    if (!block) return;
    var label = button.firstChild, idle = label.nodeValue;
    /* The page's language: the build wrote the word in `data-copied` (English when not). */
    var done = button.getAttribute("data-copied") || "Copied";
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(block.textContent).then(function () {
        label.nodeValue = done;
        setTimeout(function () { label.nodeValue = idle; }, 2000);
      });
    });
  });
})();
