"""The one rule for the name a thing is shown by: its English label, else any label, else its local name."""
from __future__ import annotations

from collections.abc import Iterable

from .prefixes import local_name
from .results import term_parts


def english_label(labels: Iterable, thing=None) -> str:
    """The least English label of ``labels`` (rdflib or pyoxigraph literals), else the least label,
    else the local name of ``thing`` (else "")."""
    found = [(term_parts(t)[1], term_parts(t)[3]) for t in labels if term_parts(t)[0] == "literal"]
    english = [text for text, language in found if language == "en"] or [text for text, _ in found]
    if english:
        return min(english)
    return local_name(term_parts(thing)[1]) if thing is not None else ""
