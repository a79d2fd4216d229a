"""The data's version, kept apart so that ``kzgraph --version`` need not import rdflib.

Bump it for every release (``kzgraph release``); the code's version is in pyproject.toml.
"""
DATA_VERSION = "0.2.0"
