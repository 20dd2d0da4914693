/* helpflow widget fragment: starts a view on every [data-helpflow] block of the page, from
   the table in its <script type="application/json">. The state lives in the URL fragment.
   Local images are in `_assets/` of the fragment's folder: `data-assets-url` when the build
   was given a base URL, else beside the host page. */
function hfStartWidget(root) {
  var table = JSON.parse(root.querySelector("script.hf-table").textContent);
  var app = root.querySelector(".hf-app");
  root.querySelector(".hf-article").hidden = true;
  app.hidden = false;
  /* The widget's own `lang`, else the page's (an ancestor's), else the flow's. */
  var lang = root.closest("[lang]");
  var strings = hfStrings(table, lang ? lang.getAttribute("lang") : "");
  hfContentLanguage(table, app);
  hfView({
    engine: hfEngine(table), strings: strings,
    app: app,
    live: root.querySelector(".hf-live"),
    assets: new URL(root.getAttribute("data-assets-url") || "", document.baseURI).href,
    eventsUrl: root.getAttribute("data-events-url")
      ? new URL(root.getAttribute("data-events-url"), document.baseURI).href : "",
    urlState: true,
    setTitle: true,
    emit: function (name, detail) {
      root.dispatchEvent(new CustomEvent("helpflow:" + name,
        { detail: detail, bubbles: true, composed: true }));
    }
  });
}

document.querySelectorAll("[data-helpflow]").forEach(hfStartWidget);
