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
