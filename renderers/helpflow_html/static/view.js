/* helpflow view: draws one step of the engine's walk into `app` and reacts to the reader.
   Shared by the widget fragment and the <help-flow> component. Text is set with textContent;
   the prose HTML in the table was sanitized by the engine and is inserted through a
   <template> element, never evaluated. */
var HF_SAFE_URL = /^(https?:|mailto:|tel:)/i;
/* `{answers.NODE}` reaches the table as these markers around NODE (helpflow_html.table). */
var HF_RECALL = /\ue000([A-Za-z0-9][A-Za-z0-9_-]*)\ue001/g;
var HF_ASSET = /^_assets\//;
var HF_SAFE_PROTOCOLS = ["http:", "https:", "mailto:", "tel:"];

function hfEl(tag, attrs, text) {
  var node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(function (kv) { node.setAttribute(kv[0], kv[1]); });
  if (text !== undefined) node.textContent = text;
  return node;
}

function hfEscape(text) {
  /* split/join, not a regex, for the quotes: Babel's extractor of the interface strings
     (helpflow.uicatalog) reads a quote inside a regex literal as the start of a string. */
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .split("\"").join("&quot;").split("'").join("&#x27;");
}

/* Sanitized HTML as nodes; local images (`_assets/…`) are addressed from `assets`, the URL of
   the folder the build wrote them to, not from the host page. A recalled answer can form an
   address (`[x]({answers.q})`) after the sanitizer ran, so addresses are checked again here,
   as the Python engine sanitizes again after filling. */
function hfHtml(html, assets) {
  var template = document.createElement("template");
  template.innerHTML = html;
  template.content.querySelectorAll("img[src]").forEach(function (img) {
    var src = img.getAttribute("src");
    if (assets && HF_ASSET.test(src)) img.setAttribute("src", new URL(src, assets).href);
  });
  template.content.querySelectorAll("[href], [src]").forEach(function (el) {
    ["href", "src"].forEach(function (name) {
      var value = el.getAttribute(name);
      if (value === null) return;
      var protocol;
      try { protocol = new URL(value, document.baseURI).protocol; } catch (e) { protocol = ""; }
      if (HF_SAFE_PROTOCOLS.indexOf(protocol) === -1) el.removeAttribute(name);
    });
  });
  return template.content;
}

/* The answers in the URL fragment: `#hf-<flow>=node:choice,node:choice`. Anything that does
   not parse is ignored; the engine's walk drops answers that do not fit. */
function hfReadHash(hash, key) {
  var found = [];
  hash.replace(/^#/, "").split("&").forEach(function (part) {
    if (part.slice(0, key.length + 1) !== key + "=") return;
    found = part.slice(key.length + 1).split(",").filter(Boolean).map(function (pair) {
      var bits = pair.split(":");
      try { return bits.map(decodeURIComponent); } catch (e) { return []; }
    }).filter(function (bits) { return bits.length === 2; });
  });
  return found;
}

function hfWriteHash(key, answers) {
  var value = answers.map(function (a) {
    return encodeURIComponent(a[0]) + ":" + encodeURIComponent(a[1]);
  }).join(",");
  return "#" + key + "=" + value;
}

/* options: engine, app (element to draw in), live (polite live region), urlState (bool),
   emit(name, detail) for the host's DOM events, setTitle (bool), assets (URL that
   `_assets/…` image paths are resolved against), eventsUrl (where "Was this helpful?"
   answers are also sent, as `POST /api/v1/events` takes them; none: not sent). */
function hfView(options) {
  var engine = options.engine, table = engine.table, app = options.app;
  var key = "hf-" + table.id;
  var state = { node: table.start, answers: [] };
  var pending = null; /* later answers to keep while an earlier one is being changed */
  var strings = options.strings || hfStrings(table, ""), t = strings.t;
  var tags = hfTags(t);

  function detail(extra) {
    var node = engine.node(state.node);
    var base = { flow: table.id, version: table.version, node: state.node,
                 resolution: node.resolution, answers: state.answers.map(function (a) {
                   return { node: a[0], choice: a[1] }; }) };
    return Object.assign(base, extra || {});
  }

  function announce(text) { options.live.textContent = text; }

  /* The label of the latest answer at each node, for `{answers.NODE}`; "" when unanswered,
     as the Python engine fills it. */
  function recalled() {
    var labels = new Map();
    engine.latest(state.answers).forEach(function (choiceId, nodeId) {
      var picked = engine.node(nodeId).choices.filter(function (c) { return c.id === choiceId; })[0];
      labels.set(nodeId, picked ? picked.label.replace(HF_RECALL, t("your answer")) : choiceId);
    });
    return labels;
  }

  /* Flow text with recalled answers filled in: escaped for HTML when `html`. */
  function filled(text, html) {
    if (text.indexOf("\ue000") === -1) return text;
    var labels = recalled();
    return text.replace(HF_RECALL, function (_, nodeId) {
      var label = labels.get(nodeId) || "";
      return html ? hfEscape(label) : label;
    });
  }

  function prose(html) { return hfHtml(filled(html, true), options.assets); }

  function go(next, message) {
    state = { node: next.node, answers: next.answers };
    show(message, true);
  }

  function choose(choice) {
    var answers = state.answers.concat([[state.node, choice.id]]);
    if (pending) {
      var result = engine.walk(answers.concat(pending));
      var dropped = pending.length - (result.answers.length - answers.length);
      pending = null;
      go(result, dropped > 0 ? strings.n("%(num)d later answer no longer applied and was removed.",
        "%(num)d later answers no longer applied and were removed.", dropped) : "");
      return;
    }
    go({ node: engine.next(choice, engine.latest(state.answers)), answers: answers }, "");
  }

  function button(label, part, onClick, attrs) {
    var b = hfEl("button", Object.assign({ type: "button", part: part }, attrs || {}), label);
    b.addEventListener("click", onClick);
    return b;
  }

  function list(tag, cls, items, fill) {
    var ul = hfEl(tag, { "class": cls });
    items.forEach(function (item) { var li = hfEl("li"); fill(li, item); ul.appendChild(li); });
    return ul;
  }

  function link(parent, label, url, external) {
    if (!url || !HF_SAFE_URL.test(url)) {
      parent.appendChild(document.createTextNode(label));
      return;
    }
    var attrs = external === false ? { href: url, part: "link" }
      : { href: url, rel: "noopener noreferrer", part: "link" };
    parent.appendChild(hfEl("a", attrs, label));
  }

  function copyButton(label, text, attrs) {
    return button(label, "copy", function () {
      navigator.clipboard.writeText(text()).then(
        function () { announce(t("Copied to the clipboard.")); },
        function () { announce(t("Copying is not allowed here: select the text instead.")); });
    }, attrs);
  }

  /* Code blocks get a Copy button; the live region confirms the copy. */
  function addCopyButtons(holder) {
    holder.querySelectorAll("pre > code").forEach(function (code) {
      var copy = copyButton(t("Copy"), function () { return code.textContent; },
        { "class": "hf-linkbutton hf-copy", "data-copy": "" });
      code.parentNode.parentNode.insertBefore(copy, code.parentNode.nextSibling);
    });
  }

  function proseBlock(holder, html) {
    if (!html) return;
    var block = hfEl("div", { "class": "hf-body", part: "body" });
    block.appendChild(prose(html));
    holder.appendChild(block);
  }

  /* Per-variant steps: only those whose `when` holds for the answers given. */
  function shownSteps(node) {
    var given = engine.latest(state.answers), whens = node.step_when || [];
    return node.steps.filter(function (html, i) { return engine.holds(whens[i], given); });
  }

  /* Contacts with the hand-off filled in (escalations only, as the engine does). */
  function withHandoff(c) {
    if (engine.node(state.node).resolution !== "escalate") return c;
    return hfFillHandoff(c, hfHandoff(engine, state.answers, state.node, key, t));
  }

  /* As _parts.html `contacts`: labelled lines, tel:/mailto: links where the engine made one. */
  function contacts(holder, node) {
    holder.appendChild(list("ul", "hf-contacts", node.contacts.map(withHandoff), function (li, c) {
      li.appendChild(hfEl("strong", {}, c.name));
      if (c.url) { li.appendChild(hfEl("br")); link(li, c.url, c.url); }
      [["phone", t("Phone:")], ["email", t("Email:")]].forEach(function (f) {
        if (!c[f[0]]) return;
        li.appendChild(hfEl("br"));
        li.appendChild(document.createTextNode(f[1] + " "));
        link(li, c[f[0]], c[f[0] + "_href"], false);
      });
      if (c.hours) {
        li.appendChild(hfEl("br"));
        li.appendChild(document.createTextNode(t("Hours:") + " " + c.hours));
      }
      if (c.note) { li.appendChild(hfEl("br")); li.appendChild(hfEl("span", { "class": "hf-note" }, c.note)); }
    }));
  }

  function links(holder, node) {
    var title = hfEl("p", { "class": "hf-links-title" });
    title.appendChild(hfEl("strong", {}, filled(node.links_title || t("Related"), false)));
    holder.appendChild(title);
    holder.appendChild(list("ul", "hf-links", node.links, function (li, l) {
      link(li, l.label, l.url);
    }));
  }

  function content(holder, node) {
    proseBlock(holder, node.body);
    var steps = shownSteps(node);
    if (steps.length) {
      holder.appendChild(list("ol", "hf-steps", steps, function (li, html) {
        li.appendChild(prose(html));
      }));
    }
    proseBlock(holder, node.after || "");
    if (node.contacts.length) contacts(holder, node);
    if (node.resolution === "escalate") handoff(holder);
    if (node.links.length) links(holder, node);
    addCopyButtons(holder);
  }

  function handoff(holder) {
    var packet = hfHandoff(engine, state.answers, state.node, key, t), text = packet.text;
    if (!packet.shown) return;
    var box = hfEl("section", { "class": "hf-handoff", part: "handoff",
                                "aria-label": t("Details for the support team") });
    box.appendChild(hfEl("h3", {}, t("Details for the support team")));
    box.appendChild(hfEl("p", {}, t("Copy these details into your message, so you don't have to explain again.")));
    box.appendChild(hfEl("pre", { "class": "hf-handoff-text", tabindex: "0" }, text));
    box.appendChild(copyButton(t("Copy the details"), function () { return text; },
      { "class": "hf-linkbutton hf-copy", "data-copy-handoff": "" }));
    holder.appendChild(box);
  }

  function choices(holder, node) {
    var offered = node.resolution ? [] : engine.offered(state.node, engine.latest(state.answers));
    if (!offered.length) return;
    var group = holder;
    if (node.kind === "fix") {
      group = hfEl("fieldset");
      var legend = hfEl("legend");
      legend.appendChild(hfEl("h3", {}, filled(node.ask || "", false) || t("When you're ready")));
      group.appendChild(legend);
      app.appendChild(group);
    }
    group.appendChild(list("ul", "hf-choices", offered, function (li, c) {
      li.appendChild(button(filled(c.label, false), "choice", function () { choose(c); },
        { "class": "hf-choice", "data-choice": c.id }));
    }));
  }

  function summary() {
    if (!state.answers.length) return;
    app.appendChild(hfEl("h3", {}, t("Your answers")));
    var dl = hfEl("dl", { "class": "hf-summary", part: "summary" });
    state.answers.forEach(function (a, i) {
      var row = hfEl("div");
      var asked = engine.node(a[0]);
      var picked = asked.choices.filter(function (c) { return c.id === a[1]; })[0];
      row.appendChild(hfEl("dt", {}, filled(asked.title, false)));
      row.appendChild(hfEl("dd", {}, picked ? filled(picked.label, false) : a[1]));
      var dd = hfEl("dd", { "class": "hf-change" });
      var change = button(t("Change"), "action", function () {
        pending = state.answers.slice(i + 1);
        go({ node: a[0], answers: state.answers.slice(0, i) }, "");
      }, { "class": "hf-linkbutton", "data-change": a[0] });
      change.appendChild(hfEl("span", { "class": "hf-visually-hidden" },
        " " + t("your answer to “%(question)s”").split("%(question)s").join(filled(asked.title, false))));
      dd.appendChild(change);
      row.appendChild(dd);
      dl.appendChild(row);
    });
    app.appendChild(dl);
  }

  /* A random id for this walk, as the events API wants one (8-64 of [A-Za-z0-9_-]). */
  var visit = Array.prototype.map.call(crypto.getRandomValues(new Uint8Array(12)),
    function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");

  /* The answer, with `sendBeacon` (survives the page closing; text/plain, so no CORS
     preflight), only where the host configured an events URL. */
  function sendFeedback(helpful) {
    if (!options.eventsUrl || !navigator.sendBeacon) return;
    var event = { type: "feedback", flow: table.id, version: table.version, visit: visit,
                  node: state.node, helpful: helpful };
    navigator.sendBeacon(options.eventsUrl, JSON.stringify({ events: [event] }));
  }

  /* "Was this helpful?" on outcomes: the answer goes to the host as a DOM event. */
  function feedback(node) {
    if (!node.resolution) return;
    var box = hfEl("div", { "class": "hf-feedback", part: "feedback" });
    var group = hfEl("fieldset");
    var legend = hfEl("legend");
    legend.appendChild(hfEl("h3", {}, t("Was this helpful?")));
    group.appendChild(legend);
    [["yes", t("Yes")], ["no", t("No")]].forEach(function (pair) {
      group.appendChild(button(pair[1], "action", function () {
        options.emit("feedback", detail({ helpful: pair[0] === "yes" }));
        sendFeedback(pair[0] === "yes");
        box.textContent = "";
        box.appendChild(hfEl("p", { role: "status" }, t("Thank you for your feedback.")));
      }, { "class": "hf-linkbutton", "data-helpful": pair[0] }));
      group.appendChild(document.createTextNode(" "));
    });
    box.appendChild(group);
    app.appendChild(box);
  }

  function actions() {
    var bar = hfEl("p", { "class": "hf-actions", part: "actions" });
    if (state.answers.length) {
      bar.appendChild(button(t("Back"), "action", function () {
        pending = null;
        go(engine.walk(state.answers.slice(0, -1)), "");
      }, { "class": "hf-linkbutton", "data-action": "back" }));
      bar.appendChild(button(t("Start again"), "action", function () {
        pending = null;
        go({ node: table.start, answers: [] }, "");
      }, { "class": "hf-linkbutton", "data-action": "restart" }));
    }
    app.appendChild(bar);
  }

  /* `acted`: the reader did something, so the URL records it and focus moves to the new
     heading. On first load neither happens: the host page keeps its focus. */
  function show(message, acted) {
    var node = engine.node(state.node);
    app.textContent = "";
    if (node.resolution) {
      app.appendChild(hfEl("p", { "class": "hf-tag", part: "outcome",
        "data-outcome": node.resolution }, tags.get(node.resolution)));
    }
    var title = filled(node.title, false);
    var heading = hfEl("h2", { tabindex: "-1", "data-node": state.node, part: "heading" },
      title);
    var holder = app;
    if (node.kind === "question") {
      holder = hfEl("fieldset");
      var legend = hfEl("legend");
      legend.appendChild(heading);
      holder.appendChild(legend);
      app.appendChild(holder);
    } else {
      app.appendChild(heading);
    }
    content(holder, node);
    choices(holder, node);
    feedback(node);
    summary();
    actions();
    if (acted) {
      if (options.urlState) {
        var hash = hfWriteHash(key, state.answers);
        if (window.location.hash !== hash) window.history.pushState(null, "", hash);
      }
      if (options.setTitle) document.title = title + " – " + table.title;
      announce((message ? message + " " : "") + title);
      heading.focus();
    }
    options.emit("step", detail());
    if (node.resolution) options.emit("outcome", detail());
  }

  function fromHash() {
    pending = null;
    var result = engine.walk(options.urlState ? hfReadHash(window.location.hash, key) : []);
    state = { node: result.node, answers: result.answers };
  }

  fromHash();
  if (options.urlState) {
    window.addEventListener("popstate", function () { fromHash(); show("", false); });
  }
  show("", false);
}
