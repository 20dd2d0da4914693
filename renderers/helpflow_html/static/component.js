/* <help-flow src="flow.json">: the flow as a custom element with an open Shadow DOM. It
   loads the compiled table from `src` (its only request besides the flow's images, and the
   "Was this helpful?" beacon when `events-url` is set), styles itself through a
   constructed stylesheet (no inline style, so `style-src 'self'` holds) and tells the host
   what the reader does through composed DOM events: helpflow:step, helpflow:outcome,
   helpflow:feedback (and helpflow:error when the table cannot be loaded; the fallback
   content then stays). HF_CSS is prepended by the build. */
var HF_TABLE_FORMAT = "helpflow.table/1";
var hfSheet = null;

function hfStyles() {
  if (!hfSheet) {
    hfSheet = new CSSStyleSheet();
    hfSheet.replaceSync(HF_CSS);
  }
  return hfSheet;
}

class HelpFlowElement extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) return; /* moved in the page: keep the walk as it is */
    var shadow = this.attachShadow({ mode: "open" });
    shadow.adoptedStyleSheets = [hfStyles()];
    var reset = hfEl("div", { "class": "hf-reset" });
    var root = hfEl("div", { "class": "helpflow-widget hf-root", part: "root" });
    /* The light-DOM children (the no-JS fallback) show until the flow has loaded. */
    var slot = document.createElement("slot");
    var app = hfEl("div", { "class": "hf-app", part: "step" });
    var live = hfEl("p", { "class": "hf-live hf-visually-hidden", "aria-live": "polite" });
    app.hidden = true;
    root.append(slot, app, live);
    reset.appendChild(root);
    shadow.appendChild(reset);
    this.load(slot, app, live);
  }

  emit(name, detail) {
    this.dispatchEvent(new CustomEvent("helpflow:" + name,
      { detail: detail, bubbles: true, composed: true }));
  }

  load(slot, app, live) {
    var host = this;
    var src = new URL(this.getAttribute("src") || "", document.baseURI);
    fetch(src, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (table) {
      if (!table || table.format !== HF_TABLE_FORMAT) {
        throw new Error("not a helpflow table (" + HF_TABLE_FORMAT + ")");
      }
      slot.remove();
      app.hidden = false;
      var urlState = host.hasAttribute("url-state");
      /* The element's own `lang`, else the page's (an ancestor's), else the flow's. */
      var lang = host.closest("[lang]");
      var strings = hfStrings(table, lang ? lang.getAttribute("lang") : "");
      hfContentLanguage(table, app);
      hfView({
        engine: hfEngine(table), strings: strings, app: app, live: live, urlState: urlState,
        assets: src.href, /* `_assets/…` sits beside the flow's JSON */
        eventsUrl: host.getAttribute("events-url")
          ? new URL(host.getAttribute("events-url"), document.baseURI).href : "",
        setTitle: urlState, emit: function (name, detail) { host.emit(name, detail); }
      });
    }).catch(function (error) {
      host.emit("error", { src: src.href, message: String(error.message || error) });
    });
  }
}

if (!customElements.get("help-flow")) customElements.define("help-flow", HelpFlowElement);
