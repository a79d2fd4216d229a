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
