"""``python -m kzgraph``: the same as the ``kzgraph`` command."""
from .cli import main

main(prog_name="kzgraph")
