"""The interactive network view: one self-contained HTML file that works offline.

The page is our own (``view_page/``), not pyvis' template: pyvis' pages link Bootstrap from a CDN,
and its ``add_edge`` drops parallel relations. From pyvis we take the vis-network library it ships,
inlined into the page with the data, so the file renders with no network and can be e-mailed.
Data goes in as JSON inside ``<script type="application/json">`` and the page sets every piece
of data text with ``textContent``: a label cannot become markup or script.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import math
import os
import re
from functools import cache
from pathlib import Path

from .atomic import write_atomic
from .errors import KzError

_PAGE = Path(__file__).resolve().parent / "view_page"
#: Up to this many nodes, networkx lays out the whole graph; beyond, only this many best-connected
#: ones, the rest placed in rings around their neighbours (a full spring layout of 5,000 nodes
#: takes tens of seconds).
SKELETON = 600
#: Up to this many nodes in a connected part, the Kamada-Kawai layout (quadratic) is used.
EVEN = 150
#: Above this many nodes edges are drawn straight and hidden while dragging, to keep panning smooth.
LARGE = 1000

#: Colour and vis-network shape per class; a class not listed takes its nearest listed superclass's
#: shape and a colour of its own from PALETTE.
STYLES = {
    "Person": ("#4e79a7", "dot"),
    "Group": ("#9c755f", "dot"),
    "PoliticalParty": ("#e15759", "diamond"),
    "StateInstitution": ("#59a14f", "square"),
    "Country": ("#8cd17d", "square"),
    "Organization": ("#76b7b2", "square"),
    "Agent": ("#bab0ac", "dot"),
    "Office": ("#f28e2b", "triangle"),
    "Election": ("#edc948", "star"),
    "PresidentialElection": ("#f1ce63", "star"),
    "LegislativeElection": ("#d4a017", "star"),
    "TransferOfPower": ("#ff9da7", "hexagon"),
    "Founding": ("#86bcb6", "hexagon"),
    "LegalReform": ("#b07aa1", "triangleDown"),
    "Abolition": ("#d4a6c8", "triangleDown"),
    "Restriction": ("#a0522d", "triangleDown"),
    "Protest": ("#d37295", "hexagon"),
    "Detention": ("#79706e", "hexagon"),
    "Event": ("#b6992d", "hexagon"),
}
PALETTE = ["#499894", "#fabfd2", "#8f6d31", "#a5c8e1", "#c7a0cb", "#9d7660", "#d7b5a6", "#b9ca5d"]


def render(graph, focus=None, depth=1, types=(), start=None, end=None) -> str:
    """The HTML page of ``graph``'s network, narrowed as :func:`narrow` says."""
    return page(narrow(graph, focus, depth, types, start, end), title=title(focus, types, start, end))


def write_view(graph, path: str | os.PathLike, **narrowing) -> Path:
    """Write :func:`render`'s page to ``path`` atomically; return the path."""
    return write_atomic(path, render(graph, **narrowing))


def narrow(graph, focus=None, depth=1, types=(), start=None, end=None):
    """The network of ``graph``, cut down to what the options ask for.

    ``focus``: a thing (IRI, prefixed name or any of its names) whose neighbourhood up to ``depth``
    relations is kept; ``types``: class names (``Person``, ``kz:Event``, ``"political party"``;
    subclasses count); ``start``/``end``: partial dates (``2019``, ``2019-03``, ``2019-03-20``, or a
    :class:`datetime.date`) outside which dated things and relations are left out. User errors raise
    :class:`KzError`.
    """
    from . import network

    net = network.project(graph)
    keep = []
    if focus is not None:
        from .lookup import resolve

        centre = str(resolve(graph, focus))
        if centre not in net:
            raise KzError(f"--focus {focus}: {centre} is a statement or a vocabulary term, not a thing in the network")
        keep = [centre]
        net = network.ego(net, centre, depth)
    if types:
        net = network.of_kinds(net, _kinds(graph, types), keep)
    if start is not None or end is not None:
        first = _day(start, "start") if start is not None else network.EARLIEST
        last = _day(end, "end") if end is not None else network.LATEST
        if first > last:
            raise KzError(f"--from {start} is after --to {end}")
        net = network.within(net, first, last, keep)
    return net


def _kinds(graph, types) -> list[str]:
    """The kz: class local names that ``types`` name; an unknown name raises :class:`KzError`."""
    import difflib

    from rdflib.namespace import OWL, RDF, RDFS

    from .namespaces import KZ

    squash = lambda text: re.sub(r"[\W_]+", "", str(text)).casefold()  # noqa: E731
    known = {}
    for cls in graph.subjects(RDF.type, OWL.Class):
        if str(cls).startswith(str(KZ)):
            local = str(cls)[len(str(KZ)):]
            known[squash(local)] = local
            for label in graph.objects(cls, RDFS.label):
                known.setdefault(squash(label), local)
    out = []
    for name in types:
        local = known.get(squash(str(name).removeprefix("kz:")))
        if local is None:
            close = difflib.get_close_matches(squash(name), list(known), n=3)
            hint = f"; did you mean {', '.join(sorted({known[c] for c in close}))}?" if close else ""
            raise KzError(f"--type {name}: unknown class{hint} (classes: {', '.join(sorted(set(known.values())))})")
        out.append(local)
    return out


def _day(value, side: str) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    from .dates import parse_date

    try:
        span = parse_date(value)
    except KzError as exc:
        raise KzError(f"--{'from' if side == 'start' else 'to'} {value}: {exc}") from None
    return (span.start if side == "start" else span.end).isoformat()


def title(focus=None, types=(), start=None, end=None) -> str:
    """The page's title, saying how it was narrowed."""
    parts = [f"around {focus}" if focus else "", ", ".join(types), f"{start or '…'} – {end or '…'}" if start or end else ""]
    return " · ".join(["kzgraph network", *(p for p in parts if p)])


def page(net, title: str = "kzgraph network") -> str:
    """The self-contained HTML page drawing ``net`` (a :func:`kzgraph.network.project` graph)."""
    parts = {
        "title": html.escape(title),
        "vis_css": _asset("vis-network.css"),
        "vis_js": _asset("vis-network.min.js"),
        "page_css": (_PAGE / "page.css").read_text(encoding="utf-8"),
        "page_js": (_PAGE / "page.js").read_text(encoding="utf-8"),
        "data": script_json(payload(net, title)),
    }
    template = (_PAGE / "page.html").read_text(encoding="utf-8")
    # one pass, so that text inside an inserted part is never taken for a placeholder
    return re.sub(r"\{\{(\w+)\}\}", lambda m: parts[m[1]], template)


@cache
def _asset(name: str) -> str:
    """vis-network's file ``name`` as shipped inside the pyvis package."""
    from importlib.resources import files

    text = (files("pyvis") / "templates" / "lib" / "vis-9.1.2" / name).read_text(encoding="utf-8")
    closing = "</script" if name.endswith(".js") else "</style"
    if closing in text.lower():  # would end the inline element early
        raise RuntimeError(f"pyvis' {name} contains {closing}; it cannot be inlined as it is")
    return text


def script_json(value) -> str:
    """``value`` as JSON safe inside an HTML ``<script>`` element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def payload(net, title: str) -> dict:
    """What the page needs: nodes and edges with their details, the classes' styles, vis options."""
    from .lookup import normalise
    from .network import interval

    ids = {node: i for i, node in enumerate(sorted(net))}
    positions = layout(net)
    degree = dict(net.degree())
    nodes = []
    for node, i in ids.items():
        attrs = net.nodes[node]
        x, y = positions[node]
        names = [attrs["label"], *attrs["alt_labels"]]
        nodes.append({
            "id": i, "label": attrs["label"], "cls": attrs["class"], "iri": _short(attrs["iri"]),
            "alt": attrs["alt_labels"], "keys": [normalise(n) for n in names],
            "wd": [_short(w) for w in attrs["wikidata"]], "facts": attrs["facts"],
            "dates": _dates(attrs), "span": interval(attrs), "ev": _evidence(attrs["evidence"]),
            "assess": [[a["statement"], _evidence(a["evidence"])] for a in attrs["assessments"]],
            "x": round(x, 1), "y": round(y, 1), "size": round(8 + 5 * math.sqrt(degree[node]), 1),
        })
    edges, seen = [], {}
    for source, target, attrs in sorted(net.edges(data=True), key=lambda e: (ids[e[0]], ids[e[1]], e[2]["label"])):
        pair = tuple(sorted((ids[source], ids[target])))
        seen[pair] = seen.get(pair, -1) + 1  # parallel relations bend apart, so that each stays visible
        edges.append({
            "from": ids[source], "to": ids[target], "label": attrs["label"], "rel": attrs["relation"],
            "cls": attrs["class"], "stmt": _short(attrs["statement"]) if attrs["statement"] else "",
            "alt": attrs["alt_labels"], "dates": _dates(attrs), "span": interval(attrs),
            "ev": _evidence(attrs["evidence"]), "bend": seen[pair],
        })
    return {"title": title, "nodes": nodes, "edges": edges, "classes": _classes(net), "large": len(nodes) > LARGE}


def _dates(attrs: dict) -> str:
    if "date" in attrs:
        return attrs["date"]
    if "start" in attrs or "end" in attrs:
        return f"{attrs.get('start', '?')} – {attrs.get('end', 'now')}"
    return ""


def _evidence(items: list[dict]) -> list[list[str]]:
    return [[e["quote"], e["document"]] for e in items]


def _short(iri: str) -> str:
    """``kzr:slug``, ``wd:Q…``: the prefixed name a researcher types, and no web address in the page."""
    from .namespaces import PREFIXES

    for prefix, namespace in PREFIXES.items():
        if iri.startswith(str(namespace)) and len(iri) > len(str(namespace)):
            return f"{prefix}:{iri[len(str(namespace)):]}"
    return iri


def _classes(net) -> list[dict]:
    """Each class present, with its colour, shape and count, in legend order."""
    counts: dict[str, int] = {}
    kinds: dict[str, list[str]] = {}
    for _, attrs in net.nodes(data=True):
        counts[attrs["class"]] = counts.get(attrs["class"], 0) + 1
        kinds[attrs["class"]] = attrs["kinds"]
    order = list(STYLES)
    out, spare = [], iter(PALETTE * (1 + len(counts) // len(PALETTE)))
    for name in sorted(counts, key=lambda c: (order.index(c) if c in order else len(order), c)):
        if name in STYLES:
            colour, shape = STYLES[name]
        else:
            nearest = next((k for k in order if k in kinds[name]), None)
            colour, shape = next(spare), STYLES[nearest][1] if nearest else "dot"
        words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()
        out.append({"name": name, "title": words[:1].upper() + words[1:], "color": colour, "shape": shape,
                    "count": counts[name]})
    return out


def layout(net, spacing: float = 110.0) -> dict:
    """Node → (x, y) in screen pixels, computed up front so that the page needs no physics.

    Each connected part is laid out on its own, then the parts are packed in rows, largest first,
    so that a few unconnected things do not squeeze the rest into a corner.
    """
    import networkx as nx

    simple = nx.Graph(net.to_undirected(as_view=True))
    parts = sorted(nx.connected_components(simple), key=lambda c: (-len(c), min(map(str, c))))
    placed = [_spread(simple.subgraph(part), spacing) for part in parts]
    half = {n: 3.5 * len(net.nodes[n]["label"]) for n in net}  # about half a label's width in pixels
    boxes = [(min(x - half[n] for n, (x, _) in p.items()), min(y for _, y in p.values()),
              max(x + half[n] for n, (x, _) in p.items()), max(y for _, y in p.values())) for p in placed]
    row_width = max(math.sqrt(sum((b[2] - b[0] + spacing) * (b[3] - b[1] + spacing) for b in boxes)) * 1.3,
                    max((b[2] - b[0] for b in boxes), default=0))
    out, x, y, row_height = {}, 0.0, 0.0, 0.0
    for part, (left, top, right, bottom) in zip(placed, boxes):
        if x > 0 and x + right - left > row_width:  # start a new row
            x, y, row_height = 0.0, y + row_height + spacing, 0.0
        for node, (px, py) in part.items():
            out[node] = (px - left + x, py - top + y)
        x += right - left + spacing
        row_height = max(row_height, bottom - top)
    return out


def _spread(part, spacing: float) -> dict:
    """Positions for one connected graph: a spring layout, of its best-connected nodes only when big."""
    import networkx as nx

    if len(part) == 1:
        return {next(iter(part)): (0.0, 0.0)}
    scale = spacing * math.sqrt(len(part))
    if len(part) <= EVEN:  # Kamada-Kawai spaces small graphs evenly (a spring layout crowds the hubs)
        return {n: (float(x) * scale, float(y) * scale) for n, (x, y) in nx.kamada_kawai_layout(part).items()}
    if len(part) <= SKELETON:
        return {n: (float(x) * scale, float(y) * scale)
                for n, (x, y) in nx.spring_layout(part, seed=7, iterations=60).items()}
    degree = dict(part.degree())
    core = sorted(part, key=lambda n: (-degree[n], str(n)))[:SKELETON]
    scale *= 1.5  # room for the rings below
    pos = {n: (float(x) * scale, float(y) * scale)
           for n, (x, y) in nx.spring_layout(part.subgraph(core), seed=7, iterations=60).items()}
    # grow outwards: each placed node takes its unplaced neighbours in a ring around it
    frontier = core
    while frontier:
        grown = []
        for hub in frontier:
            leaves = [n for n in part[hub] if n not in pos]
            radius = spacing * (0.5 + 0.2 * math.sqrt(len(leaves)))
            for k, leaf in enumerate(leaves):
                angle = 2 * math.pi * k / len(leaves) + 0.5 * len(grown)
                pos[leaf] = (pos[hub][0] + radius * math.cos(angle), pos[hub][1] + radius * math.sin(angle))
            grown.extend(leaves)
        frontier = grown
    return pos
