"""The network as GraphML and GEXF 1.2 files, for Gephi, igraph, Cytoscape and friends.

Both carry the same typed attributes: numbers as numbers (``vote_share`` a double; ``votes``,
``seats`` and ``degree`` integers), names and classes as text, lists of names joined with "; ",
evidence and claims as JSON text. Partial dates keep their text (``date``, ``start_date``,
``end_date``). The GEXF file is dynamic: each dated node and edge has ``start``/``end`` in the
time format that fits the data (``integer`` years when every date is a year, else ``date``, a
year or month standing for its first day at the start of a span and its last day at the end).
"""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from .exporting import NOT_XML

GEXF_NS = "http://www.gexf.net/1.2draft"
#: Projection attributes renamed in the files: GEXF readers take ``start``/``end`` for spells.
RENAMED = {"start": "start_date", "end": "end_date", "alt_labels": "other_names"}
#: Python type → GEXF attribute type.
GEXF_TYPES = {int: "integer", float: "double", bool: "boolean", str: "string"}


def _flat(attrs: dict) -> dict:
    """Scalar attributes: lists of names joined, structured values as JSON, empty ones left out, and the
    characters XML cannot carry written ``\\uXXXX``."""
    out = {}
    for key, value in attrs.items():
        if value in (None, "", []):
            continue
        if isinstance(value, list):
            value = ("; ".join(value) if all(isinstance(v, str) for v in value)
                     else json.dumps(value, ensure_ascii=False, sort_keys=True))
        if isinstance(value, str):
            value = NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", value)
        out[RENAMED.get(key, key)] = value
    return out


def tables(net) -> tuple[list[tuple[str, dict]], list[tuple[str, str, dict]]]:
    """The nodes ``(id, attributes)`` and edges ``(source, target, attributes)`` both files write."""
    degree = dict(net.degree())
    nodes = [(node, {**_flat(attrs), "degree": degree[node]}) for node, attrs in net.nodes(data=True)]
    edges = [(u, v, _flat(attrs)) for u, v, attrs in net.edges(data=True)]
    return nodes, edges


def graphml(net) -> bytes:
    """GraphML of ``net`` (a :func:`kzgraph.network.project` graph); edges ``e0``, ``e1``, … in order."""
    import networkx as nx

    nodes, edges = tables(net)
    flat = nx.MultiDiGraph()
    flat.add_nodes_from(nodes)
    flat.add_edges_from((u, v, f"e{i}", attrs) for i, (u, v, attrs) in enumerate(edges))
    return ("\n".join(nx.generate_graphml(flat)) + "\n").encode("utf-8")


def gexf(net) -> bytes:
    """GEXF 1.2 of ``net``, valid against the 1.2draft schema and dynamic where the data is dated."""
    from .network import EARLIEST, LATEST, interval

    nodes, edges = tables(net)
    items = [attrs for _, attrs in net.nodes(data=True)] + [attrs for _, _, attrs in net.edges(data=True)]
    texts = [a[k] for a in items for k in ("date", "start", "end") if k in a]
    years = all(len(t) == 4 for t in texts)

    def spell(attrs: dict) -> dict:
        span = interval(attrs)
        if span is None:
            return {}
        out = {}
        for side, day, open_end in (("start", span[0], EARLIEST), ("end", span[1], LATEST)):
            if day != open_end:
                out[side] = str(int(day[:4])) if years else day
        return out

    root = ET.Element("gexf", {"xmlns": GEXF_NS, "version": "1.2"})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "kzgraph"
    ET.SubElement(meta, "description").text = "Kazakhstan's political actors and events, from the kzgraph knowledge graph"
    graph = ET.SubElement(root, "graph", {"defaultedgetype": "directed", "idtype": "string",
                                          "mode": "dynamic" if texts else "static",
                                          **({"timeformat": "integer" if years else "date"} if texts else {})})
    node_ids = _declare(graph, "node", [attrs for _, attrs in nodes])
    edge_ids = _declare(graph, "edge", [attrs for _, _, attrs in edges])
    container = ET.SubElement(graph, "nodes", {"count": str(len(nodes))})
    for (node, attrs), (_, raw) in zip(nodes, net.nodes(data=True)):
        _item(container, "node", {"id": node, "label": attrs["label"], **spell(raw)}, attrs, node_ids)
    container = ET.SubElement(graph, "edges", {"count": str(len(edges))})
    for i, ((u, v, attrs), (*_, raw)) in enumerate(zip(edges, net.edges(data=True))):
        _item(container, "edge", {"id": f"e{i}", "source": u, "target": v, "label": attrs["label"], **spell(raw)},
              attrs, edge_ids)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _item(container, element: str, xml: dict, attrs: dict, ids: dict) -> None:
    item = ET.SubElement(container, element, xml)
    values = ET.SubElement(item, "attvalues")
    for key, value in attrs.items():
        if key in ids:
            ET.SubElement(values, "attvalue", {"for": ids[key], "value": _text(value)})


def _declare(graph, cls: str, rows: list[dict]) -> dict[str, str]:
    """Declare the ``<attributes>`` of ``cls`` (node or edge), typed from the values; key → attribute id.

    The label is the element's own ``label``, not an attribute (Gephi keeps a column of that name).
    """
    kinds: dict[str, set] = {}
    for attrs in rows:
        for key, value in attrs.items():
            if key != "label":
                kinds.setdefault(key, set()).add(type(value))
    block = ET.SubElement(graph, "attributes", {"class": cls, "mode": "static"})
    ids = {}
    for i, (key, found) in enumerate(sorted(kinds.items())):
        kind = found.pop() if len(found) == 1 else float if found <= {int, float} else str
        ET.SubElement(block, "attribute", {"id": str(i), "title": key, "type": GEXF_TYPES[kind]})
        ids[key] = str(i)
    return ids


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)
