/* helpflow engine: the JavaScript twin of the Python engine, walking the compiled table
   (helpflow_html.table.flow_table). Shared by the widget fragment and the <help-flow> component.
   Every lookup keyed by a flow's ids goes through a Map, never a plain object, so an id
   such as `constructor` or `__proto__` is just an id. */
function hfEngine(table) {
  var nodes = new Map(Object.entries(table.nodes));

  function node(id) { return nodes.get(id); }

  /* The `when` grammar, as helpflow.when evaluates it. `given`: Map node id -> choice id. */
  function holds(cond, given) {
    if (!cond) return true;
    if (cond.all) return cond.all.every(function (c) { return holds(c, given); });
    if (cond.any) return cond.any.some(function (c) { return holds(c, given); });
    if (cond.not) return !holds(cond.not, given);
    return Object.entries(cond.answer).every(function (entry) {
      return given.has(entry[0]) && entry[1].indexOf(given.get(entry[0])) !== -1;
    });
  }

  /* The latest answer at each node: later answers at the same node (loops) win. */
  function latest(answers) {
    var given = new Map();
    answers.forEach(function (a) { given.set(a[0], a[1]); });
    return given;
  }

  function offered(id, given) {
    return node(id).choices.filter(function (c) { return holds(c.when, given); });
  }

  function choiceAt(id, choiceId, given) {
    return offered(id, given).filter(function (c) { return c.id === choiceId; })[0] || null;
  }

  function next(choice, given) {
    for (var i = 0; i < choice.to.length; i++) {
      if (holds(choice.to[i].when, given)) return choice.to[i].to;
    }
    return null;
  }

  /* Replay answers keyed by node, as the engine's replay does: each answer applies when the
     walk reaches its node and the choice is still offered there; the rest are dropped. */
  function walk(answers) {
    var queue = new Map(), kept = [], at = table.start;
    answers.forEach(function (a) {
      if (!queue.has(a[0])) queue.set(a[0], []);
      queue.get(a[0]).push(a[1]);
    });
    for (var step = 0; step < answers.length; step++) {
      var wanted = queue.get(at);
      if (!wanted || !wanted.length || !nodes.has(at)) break;
      var given = latest(kept);
      var choice = choiceAt(at, wanted[0], given);
      if (!choice) break;
      wanted.shift();
      kept.push([at, choice.id]);
      at = next(choice, given);
    }
    return { node: at, answers: kept };
  }

  return { table: table, node: node, holds: holds, latest: latest, offered: offered,
           choiceAt: choiceAt, next: next, walk: walk };
}
