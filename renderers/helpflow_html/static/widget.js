/* helpflow widget fragment: starts a view on every [data-helpflow] block of the page, from
   the table in its <script type="application/json">. The state lives in the URL fragment. */
function hfStartWidget(root) {
  var table = JSON.parse(root.querySelector("script.hf-table").textContent);
  var app = root.querySelector(".hf-app");
  root.querySelector(".hf-article").hidden = true;
  app.hidden = false;
  hfView({
    engine: hfEngine(table),
    app: app,
    live: root.querySelector(".hf-live"),
    urlState: true,
    setTitle: true,
    emit: function (name, detail) {
      root.dispatchEvent(new CustomEvent("helpflow:" + name,
        { detail: detail, bubbles: true, composed: true }));
    }
  });
}

document.querySelectorAll("[data-helpflow]").forEach(hfStartWidget);
