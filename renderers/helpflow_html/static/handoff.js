/* helpflow hand-off packet: what a reader who escalates hands to support, built in the
   browser as helpflow.handoff builds it on the server: the same summary text, line for line.
   Its reference is the answers' path (`node:choice,…`, the URL-state form), not a session
   token: a browser walk has no server session to point at, and holds no signing secret. */

/* `%(name)s` in a translated string, as Python's `%` fills it. */
function hfFormat(text, values) {
  return text.replace(/%\((\w+)\)[sd]/g, function (whole, name) {
    return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
  });
}

/* `answers`: [[node, choice], …] as given; `at`: the node reached; `key`: the URL-state key;
   `t`: the interface strings (the reader's language, as helpflow.handoff uses the flow's). */
function hfHandoff(engine, answers, at, key, t) {
  var table = engine.table;
  /* As the engine's shared content shows a recalled answer where there is no session. */
  var generic = function (text) { return text.replace(HF_RECALL, t("your answer")); };
  var lines = [hfFormat(t("%(title)s (version %(version)s)"),
    { title: table.title, version: table.version })], fixes = [], asked = 0;
  answers.forEach(function (a) {
    var node = engine.node(a[0]);
    var picked = node.choices.filter(function (c) { return c.id === a[1]; })[0];
    var question = generic(node.title);
    if (node.kind === "fix") {
      if (a[1] === "not_solved") fixes.push(question);
      return;
    }
    asked += 1;
    lines.push("- " + question + (/[?\u061f\uff1f]$/.test(question) ? "" : ":") + " " +
               (picked ? generic(picked.label) : a[1]));
  });
  if (fixes.length) {
    lines.push(t("Tried, and it did not work:"));
    fixes.forEach(function (title) { lines.push("- " + title); });
  }
  lines.push(hfFormat(t("Ended at: %(title)s"), { title: generic(engine.node(at).title) }));
  var reference = hfWriteHash(key, answers).slice(key.length + 2);
  lines.push(hfFormat(t("Reference: %(reference)s"), { reference: reference }));
  /* Shown, as on the server's pages, only when there is something to hand over. */
  return { text: lines.join("\n"), reference: reference, shown: asked + fixes.length > 0 };
}

/* Python's quote(text, safe=""): encodeURIComponent leaves !'()* as they are. */
function hfQuote(text) {
  return encodeURIComponent(text).replace(/[!'()*]/g, function (ch) {
    return "%" + ch.charCodeAt(0).toString(16).toUpperCase();
  });
}

/* `{handoff.summary}` and `{handoff.reference}` in a contact's URL or e-mail, URL-encoded
   (helpflow.handoff.fill_contacts). */
function hfFillHandoff(contact, packet) {
  var fill = function (text) {
    return text && text.split("{handoff.summary}").join(hfQuote(packet.text))
      .split("{handoff.reference}").join(hfQuote(packet.reference));
  };
  return Object.assign({}, contact, { url: fill(contact.url), email: fill(contact.email) });
}
