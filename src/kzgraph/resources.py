"""Where the bundled ontology, shapes, data and named queries live.

In an installed wheel they sit inside the package; in a source checkout they sit at the
repository root, beside ``src/``.
"""
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _PACKAGE.parents[1] / name


ONTOLOGY_DIR = _bundled("ontology")
DATA_DIR = _bundled("data")
QUERIES_DIR = _PACKAGE / "queries"
ONTOLOGY_FILE = ONTOLOGY_DIR / "kzgraph.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"


def data_files(directory: Path = DATA_DIR) -> list[Path]:
    """The Turtle files of a dataset directory, in a stable order."""
    return sorted(directory.glob("*.ttl"))


#: file suffix → rdflib's name of its RDF format (rdflib.util.guess_format's map, without importing rdflib)
RDF_SUFFIXES = {
    "ttl": "turtle", "turtle": "turtle", "nt": "nt", "nt11": "nt11", "n3": "n3", "rdf": "xml", "xml": "xml",
    "owl": "xml", "svg": "xml", "xhtml": "rdfa", "html": "rdfa", "jsonld": "json-ld", "json": "json-ld",
    "trig": "trig", "nq": "nquads", "nquads": "nquads", "trix": "trix", "hext": "hext",
}


def rdf_format(name: str) -> str | None:
    """The RDF format a file's name says (its suffix), or ``None``."""
    return RDF_SUFFIXES.get(name.rsplit(".", 1)[-1].lower()) if "." in name else None


def dataset_files(data=(), bundled: bool = True) -> list[Path]:
    """The files a store is filled from: the ontology, the bundled data, then each ``data`` path.

    A directory stands for the RDF files directly inside it.
    """
    from .errors import KzError

    files = [ONTOLOGY_FILE, *data_files()] if bundled else []
    for entry in data:
        path = Path(entry)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and rdf_format(p.name))
            if not found:
                raise KzError(f"{path}: no RDF files (.ttl, .nt, .rdf, .jsonld, …) in this directory")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise KzError(f"{path}: no such file or directory")
    return files
