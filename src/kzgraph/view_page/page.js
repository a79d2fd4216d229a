// The kzgraph network page. Every piece of data text goes in through textContent, never as markup.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kzgraph-data").textContent);
  var byId = function (id) { return document.getElementById(id); };
  var styles = {};
  data.classes.forEach(function (c) { styles[c.name] = c; });

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // Names compare without case, accents or punctuation, as kzgraph.lookup.normalise does in Python.
  function normalise(text) {
    return String(text).normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }

  // ---- the network -------------------------------------------------------------------------------
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var style = styles[n.cls];
    return {
      id: n.id, label: n.label, x: n.x, y: n.y, size: n.size, shape: style.shape,
      title: n.label + " (" + style.title + (n.dates ? ", " + n.dates : "") + ")",
      color: { background: style.color, border: "#555", highlight: { background: style.color, border: "#000" } },
      opacity: 1, hidden: false
    };
  }));
  var edges = new vis.DataSet(data.edges.map(function (e, i) {
    var item = { id: i, from: e.from, to: e.to, label: e.label, title: e.label, hidden: false,
                 color: { color: "#9aa3ad", highlight: "#333", hover: "#333", opacity: 1 } };
    if (data.large) item.smooth = false;
    else item.smooth = e.bend ? { enabled: true, type: "curvedCW", roundness: 0.18 * e.bend } : { enabled: false };
    return item;
  }));
  var options = {
    physics: { enabled: false },
    layout: { improvedLayout: false },
    nodes: { borderWidth: 1, font: { size: 13, strokeWidth: 3, strokeColor: "#ffffff" } },
    edges: {
      width: 1, arrows: { to: { enabled: true, scaleFactor: 0.5 } },
      font: { size: 10, color: "#555", strokeWidth: 3, strokeColor: "#ffffff", align: "middle" }
    },
    interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: data.large, hideEdgesOnZoom: data.large }
  };
  var network = new vis.Network(byId("network"), { nodes: nodes, edges: edges }, options);

  // ---- the side panel ----------------------------------------------------------------------------
  var details = byId("details");

  function section(title, items, render) {
    if (!items || !items.length) return;
    details.appendChild(el("h3", null, title));
    items.forEach(function (item) { render(item); });
  }
  function evidence(items, title) {
    section(title || "Evidence", items, function (ev) {
      details.appendChild(el("blockquote", null, ev[0]));
      if (ev[1]) details.appendChild(el("cite", null, "— " + ev[1]));
    });
  }
  function list(title, items) {
    if (!items || !items.length) return;
    details.appendChild(el("h3", null, title));
    var ul = el("ul");
    items.forEach(function (text) { ul.appendChild(el("li", null, text)); });
    details.appendChild(ul);
  }
  function link(text, onClick) {
    var a = el("a", null, text);
    a.tabIndex = 0;
    a.addEventListener("click", onClick);
    return a;
  }
  function open() { byId("panel").hidden = false; }

  function showNode(id) {
    var n = data.nodes[id];
    details.replaceChildren();
    details.appendChild(el("h2", null, n.label));
    details.appendChild(el("div", "meta", styles[n.cls].title + (n.dates ? " · " + n.dates : "")));
    details.appendChild(el("div", "iri", n.iri));
    list("Other names", n.alt);
    list("Facts", n.facts.map(function (f) { return f[0] + ": " + f[1]; }));
    list("Wikidata", n.wd);
    evidence(n.ev);
    section("Assessments", n.assess, function (a) {
      details.appendChild(el("p", null, a[0]));
      a[1].forEach(function (ev) {
        details.appendChild(el("blockquote", null, ev[0]));
        if (ev[1]) details.appendChild(el("cite", null, "— " + ev[1]));
      });
    });
    var related = network.getConnectedEdges(id);
    if (related.length) {
      details.appendChild(el("h3", null, "Relations (" + related.length + ")"));
      var ul = el("ul");
      related.slice(0, 200).forEach(function (edgeId) {
        var e = data.edges[edgeId];
        var li = el("li");
        var outgoing = e.from === id;
        li.appendChild(document.createTextNode(outgoing ? e.label + " → " : "← " + e.label + " · "));
        li.appendChild(link(data.nodes[outgoing ? e.to : e.from].label, function () { select(outgoing ? e.to : e.from); }));
        ul.appendChild(li);
      });
      details.appendChild(ul);
    }
    open();
  }

  function showEdge(id) {
    var e = data.edges[id];
    details.replaceChildren();
    var h = el("h2");
    h.appendChild(link(data.nodes[e.from].label, function () { select(e.from); }));
    h.appendChild(document.createTextNode(" —" + e.label + "→ "));
    h.appendChild(link(data.nodes[e.to].label, function () { select(e.to); }));
    details.appendChild(h);
    var kind = e.cls ? (styles[e.cls] ? styles[e.cls].title : e.cls.replace(/([a-z])([A-Z])/g, "$1 $2")) : "relation";
    details.appendChild(el("div", "meta", kind + " · " + e.rel + (e.dates ? " · " + e.dates : "")));
    if (e.stmt) details.appendChild(el("div", "iri", e.stmt));
    list("Other names", e.alt);
    evidence(e.ev);
    open();
  }

  function select(id) {
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.1), animation: { duration: 300 } });
    showNode(id);
  }

  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
    else byId("panel").hidden = true;
  });
  byId("close").addEventListener("click", function () { byId("panel").hidden = true; network.unselectAll(); });

  // ---- search ------------------------------------------------------------------------------------
  var search = byId("search"), matches = byId("matches"), found = [];

  function find(text) {
    var wanted = normalise(text);
    if (!wanted) return [];
    var hits = [];
    data.nodes.forEach(function (n) {
      var best = null;
      n.keys.forEach(function (key, k) {
        var at = key.indexOf(wanted);
        if (at < 0) return;
        var rank = key === wanted ? 0 : at === 0 ? 1 : 2;
        if (!best || rank < best.rank) best = { rank: rank, name: k ? n.alt[k - 1] : null };
      });
      if (best) hits.push({ id: n.id, rank: best.rank, via: best.name });
    });
    hits.sort(function (a, b) {
      return a.rank - b.rank || data.nodes[a.id].label.localeCompare(data.nodes[b.id].label);
    });
    return hits.slice(0, 12);
  }

  function choose(hit) {
    matches.hidden = true;
    search.value = data.nodes[hit.id].label;
    select(hit.id);
  }

  search.addEventListener("input", function () {
    found = find(search.value);
    active = 0;
    matches.replaceChildren();
    found.forEach(function (hit, k) {
      var li = el("li", k === 0 ? "active" : null, data.nodes[hit.id].label);
      li.setAttribute("role", "option");
      if (hit.via) li.appendChild(el("span", "via", "“" + hit.via + "”"));
      li.appendChild(el("span", "cls", styles[data.nodes[hit.id].cls].title));
      li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(hit); });
      matches.appendChild(li);
    });
    if (!found.length && search.value.trim()) matches.appendChild(el("li", null, "no match"));
    matches.hidden = !search.value.trim();
  });
  var active = 0;
  function highlight(k) {
    var items = matches.querySelectorAll("li[role=option]");
    if (!items.length) return;
    active = (k + items.length) % items.length;
    items.forEach(function (li, i) { li.className = i === active ? "active" : ""; });
    items[active].scrollIntoView({ block: "nearest" });
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

  // ---- filters: class and date range ------------------------------------------------------------
  var legend = byId("legend"), shownClasses = {};
  data.classes.forEach(function (c) {
    shownClasses[c.name] = true;
    var li = el("li"), label = el("label"), box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.dataset.cls = c.name;
    box.addEventListener("change", function () { shownClasses[c.name] = box.checked; refresh(); });
    var swatch = el("span", "swatch " + c.shape);
    swatch.style.background = c.color;
    label.append(box, swatch, el("span", null, c.title), el("span", "count", c.count));
    li.appendChild(label);
    legend.appendChild(li);
  });

  var years = [];
  data.nodes.concat(data.edges).forEach(function (item) {
    if (!item.span) return;
    item.span.forEach(function (day) {
      var year = parseInt(day.slice(0, 4), 10);
      if (year > 1 && year < 9999) years.push(year);
    });
  });
  var fromYear = byId("from-year"), toYear = byId("to-year"), hideOutside = byId("hide-outside");
  if (years.length) {
    var first = Math.min.apply(null, years), last = Math.max.apply(null, years);
    [fromYear, toYear].forEach(function (input) { input.min = first; input.max = last; });
    fromYear.value = first;
    toYear.value = last;
    [fromYear, toYear, hideOutside].forEach(function (input) { input.addEventListener("change", refresh); });
  } else {
    byId("dates").hidden = true;
  }

  function pad(year) { return ("000" + year).slice(-4); }
  function outside(item) {
    if (!item.span || !years.length) return false;
    var lo = pad(parseInt(fromYear.value, 10) || 1) + "-01-01";
    var hi = pad(parseInt(toYear.value, 10) || 9998) + "-12-31";
    return item.span[1] < lo || item.span[0] > hi;
  }

  function refresh() {
    var hide = hideOutside.checked, nodeState = [];
    var nodeUpdates = data.nodes.map(function (n) {
      var out = outside(n);
      var hidden = !shownClasses[n.cls] || (out && hide);
      nodeState[n.id] = { hidden: hidden, faded: out };
      return { id: n.id, hidden: hidden, opacity: out ? 0.2 : 1 };
    });
    var edgeUpdates = data.edges.map(function (e, i) {
      var out = outside(e);
      var hidden = nodeState[e.from].hidden || nodeState[e.to].hidden || (out && hide);
      var faded = out || nodeState[e.from].faded || nodeState[e.to].faded;
      return { id: i, hidden: hidden, color: { opacity: faded ? 0.15 : 1 } };
    });
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
    counts();
  }

  function counts() {
    var shown = nodes.get({ filter: function (n) { return !n.hidden; } }).length;
    var text = data.nodes.length + " things · " + data.edges.length + " relations";
    if (shown !== data.nodes.length) text += " · " + shown + " shown";
    byId("counts").textContent = text;
  }

  byId("reset").addEventListener("click", function () {
    legend.querySelectorAll("input").forEach(function (box) { box.checked = true; shownClasses[box.dataset.cls] = true; });
    if (years.length) { fromYear.value = fromYear.min; toYear.value = toYear.max; }
    hideOutside.checked = false;
    refresh();
  });

  counts();
  window.kzgraph = { network: network, nodes: nodes, edges: edges, data: data, select: select, refresh: refresh };
})();
