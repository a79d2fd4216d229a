"""Property: any label — Kazakh Cyrillic, quotes, newlines, markup — survives every RDF format."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

from kzgraph.exporting import RDF_FORMATS, serialize
from kzgraph.namespaces import KZR, bind_prefixes
from test_export import parse_back

KAZAKH = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"
tricky = st.sampled_from(['"', "'", '"""', "\\", "\n", "\r\n", "\t", "<script>alert(1)</script>", "&amp;", "]]>", "@en", "#"])
text = st.lists(st.one_of(st.text(alphabet=KAZAKH + "Нұр Отан", min_size=1), tricky,
                          st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1)),
                min_size=1, max_size=6).map("".join)
language = st.sampled_from([None, "en", "kk", "ru", "kk-Cyrl"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(labels=st.lists(st.tuples(text, language), min_size=1, max_size=4))
def test_labels_survive_every_rdf_format(labels):
    graph = bind_prefixes(Graph())
    for i, (value, lang) in enumerate(labels):
        graph.add((KZR[f"thing-{i}"], RDFS.label, Literal(value, lang=lang)))
    for fmt in RDF_FORMATS:
        back = parse_back(serialize(graph, fmt), fmt)
        assert isomorphic(back, graph), fmt
