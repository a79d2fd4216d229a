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
from .layout import layout

_PAGE = Path(__file__).resolve().parent / "view_page"
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
        net = network.of_kinds(net, network.kinds_named(graph, types), keep)
    if start is not None or end is not None:
        first = _day(start, "start") if start is not None else network.EARLIEST
        last = _day(end, "end") if end is not None else network.LATEST
        if first > last:
            raise KzError(f"--from {start} is after --to {end}")
        net = network.within(net, first, last, keep)
    return net


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
            "x": round(x, 1), "y": round(y, 1), "size": round(min(8 + 5 * math.sqrt(degree[node]), 40), 1),
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
