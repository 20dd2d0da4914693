/* helpflow interface strings in the browser: the widget and the component show "Back",
   "Start again" and the rest in the reader's language, from the compiled table's `ui`
   (helpflow_html.uistrings), and mark their view with the flow's language. */
/* The interface strings of `lang` from the table's `ui` (helpflow.uitext, one entry per
   shipped language: `m` msgid → text, `p` msgid → plural forms, `n` the form for counts
   0-199 (past 199 a count takes the form of 100 + count % 100, true of every gettext rule
   shipped), `d` direction). `lang` is the element's, else the page's (inherited from an
   ancestor); without strings for it (or its primary language), the flow's language's are
   used, else the English msgids. */
function hfStrings(table, lang) {
  var all = table.ui || {}, found = null, used = "en";
  [lang, (lang || "").split("-")[0], table.lang, (table.lang || "").split("-")[0]]
    .forEach(function (tag) {
      Object.keys(all).forEach(function (key) {
        if (!found && tag && key.toLowerCase() === tag.toLowerCase()) { found = all[key]; used = key; }
      });
    });
  var ui = found || { m: {}, p: {}, n: [], d: "ltr" };
  return {
    lang: used,
    dir: ui.d || "ltr",
    t: function (text) { return Object.prototype.hasOwnProperty.call(ui.m, text) ? ui.m[text] : text; },
    /* `n` forms of a message, `%(num)d` filled in, as gettext's ngettext. */
    n: function (singular, plural, count) {
      var forms = Object.prototype.hasOwnProperty.call(ui.p, singular) ? ui.p[singular] : null;
      var index = forms ? ui.n[count < 200 ? count : 100 + count % 100] || 0 : (count === 1 ? 0 : 1);
      var text = forms ? forms[index] || forms[forms.length - 1] : (index ? plural : singular);
      return text.split("%(num)d").join(String(count));
    }
  };
}

/* The view's `lang` and `dir`: those of the flow's text, most of what it shows (the
   interface strings may be in the page's language: short, and in their own script). */
function hfContentLanguage(table, view) {
  var own = (table.ui || {})[table.lang];
  view.setAttribute("lang", table.lang || "en");
  view.setAttribute("dir", own ? own.d : "ltr");
}

/* As the HTML templates label outcomes (_parts.html `outcome_tag`). */
function hfTags(t) {
  return new Map([["solved", t("Solved")], ["escalate", t("Get help")],
                  ["external", t("Continue elsewhere")], ["info", t("Good to know")]]);
}
