"""``kzgraph publish``: the linked-data site as static files, for GitHub Pages or any web space."""
from __future__ import annotations

import os
from pathlib import Path

from rdflib import Graph

from .atomic import write_atomic
from .dataset import BASE
from .site import Site


def publish(graph: Graph, out_dir: str | os.PathLike, *, base: str = BASE) -> list[Path]:
    """Write every page, dump and description of :class:`kzgraph.site.Site` under ``out_dir``.

    ``base`` is the URL the site will be served from (the download URLs of ``void.ttl``); the pages
    link relatively, so the site also works from a ``file://`` URL. Returns the files written.
    """
    site = Site(graph, base=base if base.endswith("/") else base + "/")
    out = Path(out_dir)
    written = []
    for path in site.paths():
        body, _ = site.get(path)
        written.append(write_atomic(out / path, body))
    return written
