/* helpflow: "Was this helpful?" on a static site built with an events URL. The question is
   in the page but hidden: only this script shows it, and only where the answer can be sent,
   so a reader without JavaScript is never asked something that goes nowhere. The answer
   goes as one `feedback` event, the shape `POST /api/v1/events` takes, with
   navigator.sendBeacon: text/plain, so no CORS preflight, and it survives leaving the page.
   A file, not inline, so the site keeps working under `script-src 'self'`. */
(function () {
  "use strict";
  var box = document.querySelector("[data-feedback-url]");
  if (!box || !navigator.sendBeacon || !window.crypto || !crypto.getRandomValues) return;
  /* An anonymous visit id for this page view (96 random bits, as the server makes them),
     kept nowhere: no cookie, no storage. */
  var visit = Array.prototype.map.call(crypto.getRandomValues(new Uint8Array(12)),
    function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  box.hidden = false;
  box.querySelectorAll("button[data-helpful]").forEach(function (button) {
    button.addEventListener("click", function () {
      var event = { type: "feedback", flow: box.getAttribute("data-flow"),
                    version: box.getAttribute("data-version"), visit: visit,
                    node: box.getAttribute("data-node"),
                    helpful: button.getAttribute("data-helpful") === "yes" };
      navigator.sendBeacon(box.getAttribute("data-feedback-url"),
                           JSON.stringify({ events: [event] }));
      var thanks = document.createElement("p");
      thanks.setAttribute("role", "status");
      thanks.setAttribute("tabindex", "-1");
      /* The page's language: the build wrote the thanks in `data-thanks`. */
      thanks.textContent = box.getAttribute("data-thanks") || "Thank you for your feedback.";
      box.replaceChildren(thanks);
      thanks.focus();  /* the button that had focus is gone */
    });
  });
})();
