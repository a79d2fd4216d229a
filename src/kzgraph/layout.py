"""Positions for the network view, computed up front so that the page needs no physics simulation.

A browser running vis-network's physics on thousands of nodes takes minutes to settle; networkx
lays out a few hundred in well under a second, and the rest are placed around them.
"""
from __future__ import annotations

import math

#: Up to this many nodes in a connected part, the Kamada-Kawai layout (quadratic) is used.
EVEN = 150
#: Up to this many nodes in a connected part, a spring layout places them all; beyond, only this
#: many best-connected ones, the rest in rings around their neighbours (a spring layout of 5,000
#: nodes takes tens of seconds).
SKELETON = 300


def layout(net, spacing: float = 110.0) -> dict:
    """Node → (x, y) in screen pixels, computed up front so that the page needs no physics.

    Each connected part is laid out on its own, then the parts are packed in rows, largest first,
    so that a few unconnected things do not squeeze the rest into a corner.
    """
    import networkx as nx

    simple = _ordered(net, net)
    parts = sorted(nx.connected_components(simple), key=lambda c: (-len(c), min(map(str, c))))
    placed = [_spread(_ordered(simple, part), spacing) for part in parts]
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


def _ordered(graph, nodes):
    """The undirected simple graph on ``nodes`` (and their links in ``graph``), nodes and links sorted.

    Layouts depend on the order of nodes; a networkx subgraph iterates a set, which differs from run to run.
    """
    import networkx as nx

    keep = set(nodes)
    out = nx.Graph()
    out.add_nodes_from(sorted(keep, key=str))
    out.add_edges_from(sorted(((u, v) for u, v in graph.edges() if u in keep and v in keep), key=lambda e: (str(e[0]), str(e[1]))))
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
                for n, (x, y) in nx.spring_layout(part, seed=7, iterations=50).items()}
    degree = dict(part.degree())
    best = _ordered(part, sorted(part, key=lambda n: (-degree[n], str(n)))[:SKELETON])
    # the biggest connected piece of the best-connected nodes: a stray one would fly to the edge
    core = max(nx.connected_components(best), key=lambda c: (len(c), sorted(map(str, c))))
    scale *= 3  # room for the rings below
    pos = {n: (float(x) * scale, float(y) * scale)
           for n, (x, y) in nx.spring_layout(_ordered(best, core), seed=7, iterations=50).items()}
    # grow outwards: each placed node takes its unplaced neighbours in a ring around it
    frontier = sorted(core, key=lambda n: (-degree[n], str(n)))
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


#: The part of a 1400×900 window that shows the network (less the filters and the header): the first
#: view, which fits the whole network, is planned for it.
FIRST_VIEW = (1150.0, 840.0)
#: How many of the best-connected things have labels to read at the first view, and at what size
#: (CSS pixels); other labels are half that size, too small to be drawn until one zooms in.
TOP, READABLE = 30, 14.0
#: Width of a character and height of a line of a label, in font sizes (generous for sans-serif fonts).
CHAR, LINE = 0.62, 1.3
#: Labels are drawn in lines of at most this many characters (a longer word keeps its line).
WRAP = 20


def wrapped(label: str) -> str:
    """``label`` as drawn: in lines of at most :data:`WRAP` characters."""
    import textwrap

    return "\n".join(textwrap.wrap(label, WRAP, break_long_words=False)) or label


def labelled(net, positions: dict, sizes: dict, top: int = TOP) -> tuple[dict, list, float, float]:
    """Room for the labels of the ``top`` best-connected nodes at the first view.

    Returns new positions, those nodes (best first), their font size in canvas units (large enough
    to read at :data:`READABLE` pixels once the network is fitted into :data:`FIRST_VIEW`) and how
    much larger than ``sizes`` (at scale 1) nodes are to be drawn (:func:`grown`); the nodes are
    pushed apart until no two of their labels (and shapes) overlap, at any zoom.
    """
    import networkx as nx

    if not net:
        return dict(positions), [], READABLE, 1.0
    degree = dict(net.degree())
    best = sorted(net, key=lambda n: (-degree[n], net.nodes[n]["label"], str(n)))[:top]
    simple = nx.Graph(net.to_undirected(as_view=True))
    # leaves go with their hub when it moves, so that the rings around it stay
    leaves = {n: [m for m in simple[n] if simple.degree(m) == 1 and m not in best] for n in best}
    grow = grown(_planned(positions, {}))  # from the nodes alone: growing with the labels would feed back
    # Pushing labels apart widens the network, which shrinks the first view and its labels: aim larger
    # and start again from the layout, until the labels come out readable (at most a few times).
    aim, best_try = READABLE, None
    for _ in range(4):
        pos = dict(positions)
        font = _planned(pos, {}) * aim / READABLE
        boxes = {n: _box(net.nodes[n]["label"], sizes[n] * grow, font) for n in best}
        _separate(pos, best, leaves, boxes, font / 6)
        _clear(pos, [n for n in net if n not in boxes], boxes, {n: sizes[n] * grow + font / 4 for n in net})
        shown = READABLE * font / _planned(pos, boxes)  # pixels on screen once fitted, labels included
        if best_try is None or shown > best_try[0]:
            best_try = (shown, pos, font)
        if shown >= READABLE - 0.5:
            break
        aim *= READABLE / shown
    _, pos, font = best_try
    return pos, best, font, grow


def _planned(pos: dict, boxes: dict) -> float:
    """The font size (canvas units) that reads as :data:`READABLE` pixels once ``pos`` with the labels'
    ``boxes`` is fitted into :data:`FIRST_VIEW` (never larger than at scale 1)."""
    none = (0.0, 0.0, 0.0, 0.0)
    reach = [(x + boxes.get(n, none)[0], y + boxes.get(n, none)[1], x + boxes.get(n, none)[2], y + boxes.get(n, none)[3])
             for n, (x, y) in pos.items()]
    width = max(r[2] for r in reach) - min(r[0] for r in reach)
    height = max(r[3] for r in reach) - min(r[1] for r in reach)
    return READABLE / min(1.0, FIRST_VIEW[0] / max(width, 1.0), FIRST_VIEW[1] / max(height, 1.0))


def grown(font: float) -> float:
    """How much larger than at scale 1 nodes are drawn, for a top label of ``font``: seen from far
    away (a big network fitted into the window), they stay large enough to see and to click."""
    return max(1.0, 0.5 * font / READABLE)


def _box(label: str, size: float, font: float) -> tuple[float, float, float, float]:
    """A node's shape and the label under it, as (left, top, right, bottom) around the node's centre."""
    lines = wrapped(label).split("\n")
    half = max(size, CHAR * font * max(map(len, lines)) / 2)
    return -half, -size, half, size + font * 0.4 + LINE * font * len(lines)


def _separate(pos: dict, nodes: list, leaves: dict, boxes: dict, gap: float, rounds: int = 400) -> bool:
    """Push ``nodes`` apart, each overlapping pair along the line between them, until their ``boxes``
    (plus ``gap``) overlap no more; their leaves move with them. Whether any moved."""
    import numpy as np

    if len(nodes) < 2:
        return False
    start = np.array([pos[n] for n in nodes], dtype=float)
    at, box = start.copy(), np.array([boxes[n] for n in nodes], dtype=float)
    # pairs on the same spot part sideways, the first to the left
    order = np.sign(np.arange(len(nodes))[None, :] - np.arange(len(nodes))[:, None])
    for _ in range(rounds):
        left, top, right, bottom = (at[:, k % 2] + box[:, k] for k in range(4))
        over_x = np.minimum(right[:, None], right[None, :]) - np.maximum(left[:, None], left[None, :]) + gap
        over_y = np.minimum(bottom[:, None], bottom[None, :]) - np.maximum(top[:, None], top[None, :]) + gap
        clash = (over_x > 0) & (over_y > 0)
        np.fill_diagonal(clash, False)
        if not clash.any():
            break
        d = at[None, :, :] - at[:, None, :]  # d[i, j]: from i to j
        length = np.hypot(d[..., 0], d[..., 1])
        apart = length > 1e-9
        ux = np.where(apart, d[..., 0] / np.where(apart, length, 1.0), order)
        uy = np.where(apart, d[..., 1] / np.where(apart, length, 1.0), 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):  # the shortest move that clears one overlap
            step = np.minimum(np.where(np.abs(ux) > 1e-9, over_x / np.abs(ux), np.inf),
                              np.where(np.abs(uy) > 1e-9, over_y / np.abs(uy), np.inf))
        push = np.where(clash, step / 2, 0.0)
        at -= np.stack([(push * ux).sum(axis=1), (push * uy).sum(axis=1)], axis=1)
    moved = at - start
    for n, (dx, dy) in zip(nodes, moved.tolist()):
        for m in (n, *leaves[n]):
            pos[m] = (pos[m][0] + dx, pos[m][1] + dy)
    return bool(np.abs(moved).max() > 0)


def _clear(pos: dict, others: list, boxes: dict, sizes: dict) -> None:
    """Move each of ``others`` whose shape (``sizes``: its radius and a margin) lies on a label's box
    just out of it: above, below, left or right, the nearest way that lands on no other box."""
    def hits(x, y, r):
        for owner, (left, top, right, bottom) in boxes.items():
            ox, oy = pos[owner]
            if ox + left - r < x < ox + right + r and oy + top - r < y < oy + bottom + r:
                return ox + left - r, oy + top - r, ox + right + r, oy + bottom + r
        return None

    for node in others:
        x, y = pos[node]
        r = sizes[node]
        box = hits(x, y, r)
        if box is None:
            continue
        left, top, right, bottom = box
        ways = sorted([(y - top, (x, top - 1e-6)), (bottom - y, (x, bottom + 1e-6)),
                       (x - left, (left - 1e-6, y)), (right - x, (right + 1e-6, y))])
        free = [spot for _, spot in ways if hits(*spot, r) is None]
        pos[node] = free[0] if free else ways[0][1]
