/* helpflow widget: walks the compiled table exported by the engine, one step at a time.
   The only flow logic here is evaluating the `when` data grammar and the keyed replay of
   answers, both exactly as the engine does them. All text is set with textContent; the
   prose HTML in the table was sanitized by the engine. */
(function () {
  "use strict";
  var SAFE_URL = /^(https?:|mailto:|tel:)/i;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function holds(cond, given) {
    if (!cond) return true;
    if (cond.all) return cond.all.every(function (c) { return holds(c, given); });
    if (cond.any) return cond.any.some(function (c) { return holds(c, given); });
    if (cond.not) return !holds(cond.not, given);
    return Object.keys(cond.answer).every(function (n) {
      return cond.answer[n].indexOf(given[n]) !== -1;
    });
  }

  function init(root) {
    var table = JSON.parse(root.querySelector("script.hf-table").textContent);
    var app = root.querySelector(".hf-app");
    var live = root.querySelector(".hf-live");
    var key = "hf-" + table.id;
    var state = { node: table.start, answers: [] };
    var pending = null; /* later answers to keep while an earlier one is being changed */

    function latest(answers) {
      var given = {};
      answers.forEach(function (a) { given[a[0]] = a[1]; });
      return given;
    }
    function offered(node, given) {
      return table.nodes[node].choices.filter(function (c) { return holds(c.when, given); });
    }
    function next(choice, given) {
      for (var i = 0; i < choice.to.length; i++) {
        if (holds(choice.to[i].when, given)) return choice.to[i].to;
      }
      return null;
    }
    function readHash() {
      var match = new RegExp("[#&]" + key + "=([^&]*)").exec(window.location.hash);
      if (!match) return [];
      return match[1].split(",").filter(Boolean).map(function (pair) { return pair.split(":"); });
    }
    function writeHash() {
      var value = state.answers.map(function (a) { return a[0] + ":" + a[1]; }).join(",");
      var hash = "#" + key + "=" + value;
      if (window.location.hash !== hash) window.history.pushState(null, "", hash);
    }

    function choose(choice) {
      var given = latest(state.answers);
      var answers = state.answers.concat([[state.node, choice.id]]);
      if (pending) {
        var result = walk(answers.concat(pending));
        var dropped = pending.length - (result.answers.length - answers.length);
        pending = null;
        state = { node: result.node, answers: result.answers };
        show(dropped > 0 ? dropped + " later answer" + (dropped > 1 ? "s" : "") +
          " no longer applied and " + (dropped > 1 ? "were" : "was") + " removed." : "", true);
        return;
      }
      state = { node: next(choice, given), answers: answers };
      show("", true);
    }

    /* Apply answers keyed by node, as the engine's replay does: each answer applies when the
       walk reaches its node and the choice is still offered there. */
    function walk(answers) {
      var queue = {}, kept = [], node = table.start;
      answers.forEach(function (a) { (queue[a[0]] = queue[a[0]] || []).push(a[1]); });
      for (var step = 0; step < answers.length; step++) {
        var wanted = queue[node];
        if (!wanted || !wanted.length || !table.nodes[node]) break;
        var given = latest(kept);
        var choice = offered(node, given).filter(function (c) { return c.id === wanted[0]; })[0];
        if (!choice) break;
        wanted.shift();
        kept.push([node, choice.id]);
        node = next(choice, given);
      }
      return { node: node, answers: kept };
    }

    function button(label, cls, onClick, attrs) {
      var b = el("button", Object.assign({ type: "button", "class": cls }, attrs || {}), label);
      b.addEventListener("click", onClick);
      return b;
    }

    function list(tag, cls, items, fill) {
      var ul = el(tag, { "class": cls });
      items.forEach(function (item) { var li = el("li"); fill(li, item); ul.appendChild(li); });
      return ul;
    }

    function link(parent, label, url) {
      if (!SAFE_URL.test(url)) { parent.appendChild(document.createTextNode(label)); return; }
      var a = el("a", { href: url, rel: "noopener noreferrer" }, label);
      parent.appendChild(a);
    }

    /* `acted`: the reader did something, so the URL records it and focus moves to the new
       heading. On first load neither happens: the host page keeps its focus. */
    function show(message, acted) {
      var node = table.nodes[state.node];
      app.textContent = "";
      if (node.resolution) {
        var tag = { solved: "Solved", escalate: "Get help", external: "Continue elsewhere" };
        app.appendChild(el("p", { "class": "hf-tag", "data-outcome": node.resolution }, tag[node.resolution]));
      }
      var heading = el("h2", { tabindex: "-1", "data-node": state.node }, node.title);
      var choices = node.resolution ? [] : offered(state.node, latest(state.answers));
      var holder = app;
      if (node.kind === "question") {
        holder = el("fieldset");
        var legend = el("legend");
        legend.appendChild(heading);
        holder.appendChild(legend);
        app.appendChild(holder);
      } else {
        app.appendChild(heading);
      }
      if (node.body) { var body = el("div", { "class": "hf-body" }); body.innerHTML = node.body; holder.appendChild(body); }
      if (node.steps.length) {
        holder.appendChild(list("ol", "hf-steps", node.steps, function (li, html) { li.innerHTML = html; }));
      }
      if (node.contacts.length) {
        holder.appendChild(list("ul", "hf-contacts", node.contacts, function (li, c) {
          li.appendChild(el("strong", {}, c.name));
          if (c.url) { li.appendChild(el("br")); link(li, c.url, c.url); }
          ["phone", "email", "hours", "note"].forEach(function (f) {
            if (c[f]) { li.appendChild(el("br")); li.appendChild(document.createTextNode(c[f])); }
          });
        }));
      }
      if (node.links.length) {
        holder.appendChild(list("ul", "hf-links", node.links, function (li, l) { link(li, l.label, l.url); }));
      }
      if (choices.length) {
        var group = holder;
        if (node.kind === "fix") {
          group = el("fieldset");
          var fixLegend = el("legend");
          var solvedAsk = choices.some(function (c) { return c.id === "solved"; });
          fixLegend.appendChild(el("h3", {}, solvedAsk ? "Did this solve it?" : "When you're ready"));
          group.appendChild(fixLegend);
          app.appendChild(group);
        }
        group.appendChild(list("ul", "hf-choices", choices, function (li, c) {
          li.appendChild(button(c.label, "hf-choice", function () { choose(c); }, { "data-choice": c.id }));
        }));
      }
      if (state.answers.length) {
        app.appendChild(el("h3", {}, "Your answers"));
        var dl = el("dl", { "class": "hf-summary" });
        state.answers.forEach(function (a, i) {
          var row = el("div");
          var asked = table.nodes[a[0]];
          var picked = asked.choices.filter(function (c) { return c.id === a[1]; })[0];
          row.appendChild(el("dt", {}, asked.title));
          row.appendChild(el("dd", {}, picked ? picked.label : a[1]));
          var dd = el("dd", { "class": "hf-change" });
          var change = button("Change", "hf-linkbutton", function () {
            pending = state.answers.slice(i + 1);
            state = { node: a[0], answers: state.answers.slice(0, i) };
            show("", true);
          }, { "data-change": a[0] });
          change.appendChild(el("span", { "class": "hf-visually-hidden" }, " your answer to “" + asked.title + "”"));
          dd.appendChild(change);
          row.appendChild(dd);
          dl.appendChild(row);
        });
        app.appendChild(dl);
      }
      var actions = el("p", { "class": "hf-actions" });
      if (state.answers.length) {
        actions.appendChild(button("Back", "hf-linkbutton", function () {
          pending = null;
          var answers = state.answers.slice(0, -1);
          state = walk(answers);
          show("", true);
        }, { "data-action": "back" }));
        actions.appendChild(button("Start again", "hf-linkbutton", function () {
          pending = null;
          state = { node: table.start, answers: [] };
          show("", true);
        }, { "data-action": "restart" }));
      }
      app.appendChild(actions);
      if (acted) {
        writeHash();
        document.title = node.title + " – " + table.title;
        live.textContent = (message ? message + " " : "") + node.title;
        heading.focus();
      }
    }

    function fromHash() {
      pending = null;
      var result = walk(readHash());
      state = { node: result.node, answers: result.answers };
    }

    root.querySelector(".hf-article").hidden = true;
    app.hidden = false;
    fromHash();
    window.addEventListener("popstate", function () { fromHash(); show("", false); });
    show("", false);
  }

  var roots = document.querySelectorAll("[data-helpflow]");
  Array.prototype.forEach.call(roots, init);
})();
