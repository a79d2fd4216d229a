"""The interactive network view: a pyvis Network drawn by kzgraph's own page, one offline HTML file.

:func:`network` returns a :class:`View`, a ``pyvis.network.Network`` holding the things, relations,
options and precomputed layout; its ``generate_html()`` renders ``view_page/page.html`` through
pyvis' template mechanism (``set_template_dir``), so a notebook's ``net.show("x.html",
notebook=True)`` and ``kzgraph view`` write the same page. pyvis 0.3.2 has no API that hands out
vis-network's source: the only copies are its package data, which its own ``in_line`` template
includes from pyvis' template directory. Ours includes the same file the same way (pyvis' template
directory is searched after ours), so the page has vis-network inlined and links no CDN and no
Bootstrap. Data text reaches the page as JSON (Jinja's ``tojson``) and the page sets it with
``textContent``: a label cannot become markup or script.
"""
from __future__ import annotations

import datetime as dt
import math
import os
import re
from pathlib import Path

from pyvis.network import Network

from .atomic import write_atomic
from .errors import KzError
from .layout import labelled, layout, wrapped

PAGE_DIR = Path(__file__).resolve().parent / "view_page"
#: Above this many nodes edges are drawn straight and hidden while dragging, to keep panning smooth.
LARGE = 1000

#: Labels smaller than this many pixels on screen are not drawn (vis-network's drawThreshold): at the
#: first view only the best-connected things' labels are large enough.
DRAWN = 9

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
#: The relation types of the page's filter, where the edge label is not one already ("holds (1995 – 1999)").
RELATIONS = {"holds": "holds office", "membership": "member of", "result": "election result"}
PALETTE = ["#499894", "#fabfd2", "#8f6d31", "#a5c8e1", "#c7a0cb", "#9d7660", "#d7b5a6", "#b9ca5d"]


class View(Network):
    """A directed pyvis Network (parallel relations kept) that renders kzgraph's offline page."""

    def __init__(self, heading: str = "kzgraph network", height: str = "600px", width: str = "100%"):
        super().__init__(height=height, width=width, directed=True, heading=heading, cdn_resources="in_line")
        self.set_template_dir([str(PAGE_DIR), self.template_dir], "page.html")
        self.prep_notebook()  # show(..., notebook=True) renders the same template
        self.toggle_physics(False)  # the layout is computed up front
        self.options.layout = {"improvedLayout": False}
        self.options.edges.smooth.enabled = False
        self.options.edges.color = {"color": "#9aa3ad", "highlight": "#333", "hover": "#333"}
        self.options.edges.width = 1
        self.options.edges.arrows = {"to": {"enabled": True, "scaleFactor": 0.5}}
        self.options.edges.font = {"size": 10, "color": "#555", "strokeWidth": 3, "strokeColor": "#ffffff",
                                   "align": "middle"}
        self.options.edges.scaling = {"label": {"drawThreshold": DRAWN}}
        self.options.nodes = {"borderWidth": 1, "font": {"size": 13, "face": "arial, sans-serif", "strokeWidth": 3,
                                                         "strokeColor": "#ffffff"},
                              "scaling": {"label": {"drawThreshold": DRAWN}}}
        self.options.interaction.hover = True
        self.options.interaction.tooltipDelay = 150


def network(graph, focus=None, depth=1, types=(), start=None, end=None) -> View:
    """The :class:`View` of ``graph``'s network, narrowed as :func:`narrow` says, laid out."""
    return draw(narrow(graph, focus, depth, types, start, end), title(focus, types, start, end))


def render(graph, **narrowing) -> str:
    """The HTML page of :func:`network`."""
    return network(graph, **narrowing).generate_html()


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
    from . import network as projection

    net = projection.project(graph)
    keep = []
    if focus is not None:
        from .lookup import resolve

        centre = str(resolve(graph, focus))
        if centre not in net:
            raise KzError(f"--focus {focus}: {centre} is a statement or a vocabulary term, not a thing in the network")
        keep = [centre]
        net = projection.ego(net, centre, depth)
    if types:
        net = projection.of_kinds(net, projection.kinds_named(graph, types), keep)
    if start is not None or end is not None:
        first = _day(start, "start") if start is not None else projection.EARLIEST
        last = _day(end, "end") if end is not None else projection.LATEST
        if first > last:
            raise KzError(f"--from {start} is after --to {end}")
        net = projection.within(net, first, last, keep)
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


def draw(net, heading: str = "kzgraph network") -> View:
    """A :class:`View` of ``net`` (a :func:`kzgraph.network.project` graph), every node placed."""
    from .lookup import normalise
    from .network import interval
    from .namespaces import prefixed

    view = View(heading=heading)
    degree = dict(net.degree())
    sizes = {n: min(8 + 5 * math.sqrt(degree[n]), 40) for n in net}
    positions, best, font, grow = labelled(net, layout(net), sizes)
    top = set(best)
    view.options.edges.font["size"] = round(font / 2, 1)  # too small to be drawn at the first view
    styles = _styles(net)
    # the best-connected last: drawn last, their labels lie over other things
    for node in sorted(net, key=lambda n: (n in top, n)):
        attrs = net.nodes[node]
        x, y = positions[node]
        colour, shape, kind = styles[attrs["class"]]
        names = [attrs["label"], *attrs["alt_labels"]]
        dates = _dates(attrs)
        view.add_node(
            prefixed(node), label=wrapped(attrs["label"]), name=attrs["label"], shape=shape, color=colour,
            title=f"{attrs['label']} ({kind}{', ' + dates if dates else ''})",
            x=round(x, 1), y=round(y, 1), size=round(sizes[node] * grow, 1),
            font={"size": round(font if node in top else font / 2, 1)}, top=node in top,
            cls=attrs["class"], kind=kind, alt=attrs["alt_labels"], keys=[normalise(n) for n in names],
            wd=[prefixed(w) for w in attrs["wikidata"]], facts=attrs["facts"], dates=dates,
            span=interval(attrs), ev=_evidence(attrs["evidence"]), degree=degree[node],
            assess=[[a["statement"], _evidence(a["evidence"])] for a in attrs["assessments"]],
            claims=_claims(attrs["claims"]),
        )
    seen: dict = {}
    for source, target, attrs in sorted(net.edges(data=True), key=lambda e: (e[0], e[1], e[2]["label"])):
        pair = tuple(sorted((source, target)))
        seen[pair] = seen.get(pair, -1) + 1  # parallel relations bend apart, so that each stays visible
        bend = seen[pair]
        view.add_edge(
            prefixed(source), prefixed(target), label=attrs["label"], title=attrs["label"],
            rel=attrs["relation"], kind=RELATIONS.get(attrs["relation"], attrs["label"]), cls=attrs["class"],
            stmt=prefixed(attrs["statement"]) if attrs["statement"] else "", alt=attrs["alt_labels"],
            dates=_dates(attrs), span=interval(attrs), ev=_evidence(attrs["evidence"]), claims=_claims(attrs["claims"]),
            smooth={"enabled": True, "type": "curvedCW", "roundness": 0.18 * bend} if bend else {"enabled": False},
        )
    large = view.num_nodes() > LARGE
    view.toggle_hide_edges_on_drag(large)
    view.options.interaction.hideEdgesOnZoom = large
    return view


def _dates(attrs: dict) -> str:
    if "date" in attrs:
        return attrs["date"]
    if "start" in attrs or "end" in attrs:
        return f"{attrs.get('start', '?')} – {attrs.get('end', 'now')}"
    return ""


def _evidence(items: list[dict]) -> list[list[str]]:
    return [[e["quote"], e["document"], e["url"]] for e in items]


def _claims(items: list[dict]) -> list[dict]:
    return [{**{k: v for k, v in c.items() if k != "evidence"}, "ev": _evidence(c["evidence"])} for c in items]


def _styles(net) -> dict[str, tuple[str, str, str]]:
    """Each class present → its colour, shape and name as a reader says it ("Political party")."""
    kinds = {attrs["class"]: attrs["kinds"] for _, attrs in net.nodes(data=True)}
    order = list(STYLES)
    out, spare = {}, iter(PALETTE * (1 + len(kinds) // len(PALETTE)))
    for name in sorted(kinds, key=lambda c: (order.index(c) if c in order else len(order), c)):
        if name in STYLES:
            colour, shape = STYLES[name]
        else:
            nearest = next((k for k in order if k in kinds[name]), None)
            colour, shape = next(spare), STYLES[nearest][1] if nearest else "dot"
        words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()
        out[name] = (colour, shape, words[:1].upper() + words[1:])
    return out
