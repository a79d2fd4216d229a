// The kzgraph network page. Every piece of data text goes in through textContent, never as markup.
(function () {
  "use strict";
  var byId = function (id) { return document.getElementById(id); };
  var read = function (id) { return JSON.parse(byId(id).textContent); };
  var items = read("kzgraph-nodes"), links = read("kzgraph-edges"), options = read("kzgraph-options");
  var node = {};  // id → the node as kzgraph wrote it (a node added the pyvis way may lack kzgraph's fields)
  items.forEach(function (n) { node[n.id] = n; });
  links.forEach(function (e, i) { e.id = i; });
  var large = items.length > 1000;

  function el(tag, className, text) {
    var made = document.createElement(tag);
    if (className) made.className = className;
    if (text !== undefined && text !== null) made.textContent = String(text);
    return made;
  }
  function labelOf(id) { return node[id] ? String(node[id].name || node[id].label) : String(id); }
  function kindOf(n) { return n.kind || n.cls || "Other"; }

  // Names compare without case, accents or punctuation, as kzgraph.lookup.normalise does in Python.
  function normalise(text) {
    return String(text).normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }

  // ---- the network -------------------------------------------------------------------------------
  var nodes = new vis.DataSet(items.map(function (n) {
    return Object.assign({}, n, { opacity: 1, hidden: false });
  }));
  var edges = new vis.DataSet(links.map(function (e) {
    var item = Object.assign({}, e, { hidden: false, color: { opacity: 1 } });
    if (large) item.smooth = false;
    return item;
  }));
  var network = new vis.Network(byId("network"), { nodes: nodes, edges: edges }, options);

  // The first view: everything, unless the labels of the best-connected things would be too small to
  // read (a phone): then as close as reads well, around the best-connected thing.
  var readable = 12;
  var smallest = Math.min.apply(null, items.map(function (n) { return n.font ? n.font.size : 14; }).concat([14]));
  function firstView() {
    network.fit({ animation: false });
    var top = items.filter(function (n) { return n.top; });
    if (top.length) {
      var size = Math.min.apply(null, top.map(function (n) { return n.font ? n.font.size : 14; }));
      if (size * network.getScale() < readable) {
        var hub = top.reduce(function (a, b) { return (b.degree || 0) > (a.degree || 0) ? b : a; });
        network.moveTo({ position: { x: hub.x, y: hub.y }, scale: readable / size, animation: false });
      }
    }
    window.kzgraph.ready = true;
  }
  network.once("afterDrawing", firstView);

  // Zoomed in, labels grow with everything else; past `largest` pixels they are drawn no larger
  // (vis-network's scaling.label.maxVisible does not shrink them).
  var largest = 18, capped = {}, pending = false;
  function capLabels() {
    pending = false;
    var scale = network.getScale(), updates = [];
    items.forEach(function (n) {
      if (!n.font) return;
      var size = Math.min(n.font.size, largest / scale);
      if (size < n.font.size || capped[n.id]) {
        if (capped[n.id] && Math.abs(capped[n.id] - size) < 0.02 * size) return;
        capped[n.id] = size < n.font.size ? size : 0;
        updates.push({ id: n.id, font: { size: size } });
      }
    });
    if (updates.length) nodes.update(updates);
  }
  network.on("zoom", function () {
    if (!pending) { pending = true; window.requestAnimationFrame(capLabels); }
  });  // once drawn, the labels' sizes are known and fit() counts them

  // ---- the side panel ----------------------------------------------------------------------------
  var details = byId("details");

  function heading(title) { details.appendChild(el("h3", null, title)); }
  function sourceLine(ev) {
    var cite = el("cite");
    if (!ev[1]) return cite;
    cite.appendChild(document.createTextNode("— "));
    if (ev[2] && /^https?:\/\//.test(ev[2])) {
      var a = el("a", null, ev[1]);
      a.href = ev[2];
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      cite.appendChild(a);
    } else {
      cite.appendChild(document.createTextNode(ev[1]));
    }
    return cite;
  }
  function quotes(list) {
    (list || []).forEach(function (ev) {
      details.appendChild(el("blockquote", null, ev[0]));
      details.appendChild(sourceLine(ev));
    });
  }
  function evidence(list) {
    if (!list || !list.length) return;
    heading("Evidence");
    quotes(list);
  }
  function list(title, texts) {
    if (!texts || !texts.length) return;
    heading(title);
    var ul = el("ul");
    texts.forEach(function (text) { ul.appendChild(el("li", null, text)); });
    details.appendChild(ul);
  }
  function claims(list) {
    if (!list || !list.length) return;
    heading("Contested values");
    list.forEach(function (c) {
      var p = el("p", "claim");
      p.appendChild(el("span", null, c.property + ": "));
      p.appendChild(el("strong", null, c.value));
      p.appendChild(el("span", "rank " + c.rank, c.rank));
      details.appendChild(p);
      if (c.reason) details.appendChild(el("div", "reason", c.reason));
      quotes(c.ev);
    });
  }
  function link(text, onClick) {
    var a = el("a", null, text);
    a.tabIndex = 0;
    a.addEventListener("click", onClick);
    return a;
  }
  function open() { byId("panel").hidden = false; }
  function close() { byId("panel").hidden = true; focus = null; network.unselectAll(); refresh(); }

  function showNode(id) {
    var n = node[id];
    details.replaceChildren();
    details.appendChild(el("h2", null, labelOf(id)));
    details.appendChild(el("div", "meta", kindOf(n) + (n.dates ? " · " + n.dates : "")));
    details.appendChild(el("div", "iri", n.id));
    list("Other names", n.alt);
    list("Facts", (n.facts || []).map(function (f) { return f[0] + ": " + f[1]; }));
    claims(n.claims);
    list("Wikidata", n.wd);
    evidence(n.ev);
    if (n.assess && n.assess.length) {
      heading("Assessments");
      n.assess.forEach(function (a) { details.appendChild(el("p", null, a[0])); quotes(a[1]); });
    }
    var related = network.getConnectedEdges(id);
    if (related.length) {
      heading("Relations (" + related.length + ")");
      var ul = el("ul");
      related.slice(0, 200).forEach(function (edgeId) {
        var e = links[edgeId], li = el("li"), outgoing = e.from === id, other = outgoing ? e.to : e.from;
        li.appendChild(document.createTextNode(outgoing ? e.label + " → " : "← " + e.label + " · "));
        li.appendChild(link(labelOf(other), function () { select(other); }));
        ul.appendChild(li);
      });
      details.appendChild(ul);
    }
    open();
  }

  function showEdge(id) {
    var e = links[id];
    details.replaceChildren();
    var h = el("h2");
    h.appendChild(link(labelOf(e.from), function () { select(e.from); }));
    h.appendChild(document.createTextNode(" —" + e.label + "→ "));
    h.appendChild(link(labelOf(e.to), function () { select(e.to); }));
    details.appendChild(h);
    var kind = e.cls ? e.cls.replace(/([a-z])([A-Z])/g, "$1 $2") : "relation";
    details.appendChild(el("div", "meta", kind + " · " + (e.rel || "") + (e.dates ? " · " + e.dates : "")));
    if (e.stmt) details.appendChild(el("div", "iri", e.stmt));
    list("Other names", e.alt);
    claims(e.claims);
    evidence(e.ev);
    open();
  }

  // Clicking a thing shows it and its neighbourhood: the rest fades until the panel is closed.
  var focus = null;
  function select(id) {
    focus = id;
    network.selectNodes([id]);
    // close enough to read the labels around it
    network.focus(id, { scale: Math.max(network.getScale(), readable / smallest), animation: false });
    capLabels();
    refresh();
    showNode(id);
  }

  network.on("click", function (params) {
    if (params.nodes.length) { focus = params.nodes[0]; refresh(); showNode(focus); }
    else if (params.edges.length) showEdge(params.edges[0]);
    else close();
  });
  byId("close").addEventListener("click", close);

  // ---- search ------------------------------------------------------------------------------------
  var search = byId("search"), matches = byId("matches"), found = [], active = 0;

  function find(text) {
    var wanted = normalise(text);
    if (!wanted) return [];
    var hits = [];
    items.forEach(function (n) {
      var best = null;
      (n.keys || [normalise(labelOf(n.id))]).forEach(function (key, k) {
        var at = key.indexOf(wanted);
        if (at < 0) return;
        var rank = key === wanted ? 0 : at === 0 ? 1 : 2;
        if (!best || rank < best.rank) best = { rank: rank, name: k ? n.alt[k - 1] : null };
      });
      if (best) hits.push({ id: n.id, rank: best.rank, via: best.name });
    });
    hits.sort(function (a, b) { return a.rank - b.rank || labelOf(a.id).localeCompare(labelOf(b.id)); });
    return hits.slice(0, 12);
  }

  function choose(hit) {
    matches.hidden = true;
    search.value = labelOf(hit.id);
    select(hit.id);
  }

  search.addEventListener("input", function () {
    found = find(search.value);
    active = 0;
    matches.replaceChildren();
    found.forEach(function (hit, k) {
      var li = el("li", k === 0 ? "active" : null, labelOf(hit.id));
      li.setAttribute("role", "option");
      if (hit.via) li.appendChild(el("span", "via", "“" + hit.via + "”"));
      li.appendChild(el("span", "cls", kindOf(node[hit.id])));
      li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(hit); });
      matches.appendChild(li);
    });
    if (!found.length && search.value.trim()) matches.appendChild(el("li", null, "no match"));
    matches.hidden = !search.value.trim();
  });
  function highlight(k) {
    var options = matches.querySelectorAll("li[role=option]");
    if (!options.length) return;
    active = (k + options.length) % options.length;
    options.forEach(function (li, i) { li.className = i === active ? "active" : ""; });
    options[active].scrollIntoView({ block: "nearest" });
  }
  search.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      highlight(active + (event.key === "ArrowDown" ? 1 : -1));
    }
    if (event.key === "Enter" && found.length) choose(found[active] || found[0]);
    if (event.key === "Escape") matches.hidden = true;
  });
  search.addEventListener("blur", function () { matches.hidden = true; });

  // ---- filters: classes, relation types, a date --------------------------------------------------
  // One checkbox per value of `key`, most frequent first; `shown[value]` says whether it is ticked.
  function checkboxes(into, list, key, swatch, shown) {
    var counts = {}, first = {};
    list.forEach(function (x) {
      var value = key(x);
      counts[value] = (counts[value] || 0) + 1;
      if (!(value in first)) first[value] = x;
    });
    Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a] || a.localeCompare(b); })
      .forEach(function (value) {
        shown[value] = true;
        var li = el("li"), label = el("label"), box = el("input");
        box.type = "checkbox";
        box.checked = true;
        box.dataset.value = value;
        box.addEventListener("change", function () { shown[value] = box.checked; refresh(); });
        label.append(box);
        if (swatch) label.append(swatch(first[value]));
        label.append(el("span", null, value), el("span", "count", counts[value]));
        li.appendChild(label);
        into.appendChild(li);
      });
  }
  var shownClasses = {}, shownRelations = {};
  checkboxes(byId("legend"), items, kindOf, function (n) {
    var swatch = el("span", "swatch " + (n.shape || "dot"));
    swatch.style.background = typeof n.color === "string" ? n.color : "#97c2fc";
    return swatch;
  }, shownClasses);
  function relationOf(e) { return e.kind || e.rel || e.label || "relation"; }
  checkboxes(byId("relations"), links, relationOf, null, shownRelations);

  // The slider runs over the days the data covers; off, nothing is left out for its date.
  var DAY = 86400000, onDate = byId("on-date"), slider = byId("date-slider"), useDate = byId("use-date");
  var days = [];
  items.concat(links).forEach(function (x) {
    (x.span || []).forEach(function (day) {
      if (day > "0001-01-01" && day < "9999-12-31") days.push(day);
    });
  });
  days.sort();
  function iso(time) { return new Date(time).toISOString().slice(0, 10); }
  if (days.length) {
    var first = Date.parse(days[0]), last = Date.parse(days[days.length - 1]);
    slider.min = 0;
    slider.max = Math.round((last - first) / DAY);
    slider.value = slider.max;
    onDate.min = days[0];
    onDate.max = days[days.length - 1];
    onDate.value = onDate.max;
    slider.addEventListener("input", function () {
      onDate.value = iso(first + slider.value * DAY);
      useDate.checked = true;
      refresh();
    });
    onDate.addEventListener("change", function () {
      if (!onDate.value) return;
      slider.value = Math.round((Date.parse(onDate.value) - first) / DAY);
      useDate.checked = true;
      refresh();
    });
    useDate.addEventListener("change", refresh);
  } else {
    byId("dates").hidden = true;
  }
  function current(x, day) { return !x.span || (x.span[0] <= day && day <= x.span[1]); }

  // Everything the filters and the selection say, worked out afresh and given to vis in one update.
  var INK = "#343434", FADED = "rgba(52, 52, 52, 0.2)", degree = {};
  links.forEach(function (e) { degree[e.from] = (degree[e.from] || 0) + 1; degree[e.to] = (degree[e.to] || 0) + 1; });
  function refresh() {
    var day = useDate.checked && onDate.value ? onDate.value : null;
    var nodeHidden = {}, edgeHidden = {}, linked = {}, near = {};
    items.forEach(function (n) { nodeHidden[n.id] = !shownClasses[kindOf(n)] || (day !== null && !current(n, day)); });
    links.forEach(function (e) {
      var gone = nodeHidden[e.from] || nodeHidden[e.to] || !shownRelations[relationOf(e)] || (day !== null && !current(e, day));
      edgeHidden[e.id] = gone;
      if (!gone) { linked[e.from] = true; linked[e.to] = true; }
    });
    if (day !== null) {  // as kzgraph.network.within does for `kzgraph view --from/--to`: an undated thing with no relation left goes
      items.forEach(function (n) { if (!n.span && degree[n.id] && !linked[n.id]) nodeHidden[n.id] = true; });
    }
    if (focus !== null) {
      near[focus] = true;
      links.forEach(function (e) {
        if (!edgeHidden[e.id] && (e.from === focus || e.to === focus)) { near[e.from] = true; near[e.to] = true; }
      });
    }
    nodes.update(items.map(function (n) {
      var lit = focus === null || near[n.id];
      return { id: n.id, hidden: nodeHidden[n.id], opacity: lit ? 1 : 0.15, font: { color: lit ? INK : FADED } };
    }));
    edges.update(links.map(function (e) {
      var lit = focus === null || e.from === focus || e.to === focus;
      return { id: e.id, hidden: edgeHidden[e.id], color: { opacity: lit ? 1 : 0.08 }, font: { color: lit ? INK : FADED } };
    }));
    counts(nodeHidden);
  }

  function counts(nodeHidden) {
    var shown = items.filter(function (n) { return !nodeHidden[n.id]; }).length;
    var text = items.length + " things · " + links.length + " relations";
    if (shown !== items.length) text += " · " + shown + " shown";
    if (useDate.checked && onDate.value) text += " · on " + onDate.value;
    byId("counts").textContent = text;
  }

  byId("reset").addEventListener("click", function () {
    document.querySelectorAll("#legend input, #relations input").forEach(function (box) { box.checked = true; });
    Object.keys(shownClasses).forEach(function (k) { shownClasses[k] = true; });
    Object.keys(shownRelations).forEach(function (k) { shownRelations[k] = true; });
    useDate.checked = false;
    if (days.length) { slider.value = slider.max; onDate.value = onDate.max; }
    focus = null;
    refresh();
  });
  byId("toggle-filters").addEventListener("click", function () { byId("filters").classList.toggle("open"); });

  counts({});
  window.kzgraph = { network: network, nodes: nodes, edges: edges, items: items, links: links, node: node,
                     select: select, refresh: refresh };
})();
