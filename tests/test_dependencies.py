"""The declared dependencies are enough: the main job runs with only them (and what they need) importable.

Developers' environments hold many packages that a fresh ``pip install .`` does not bring (numpy and
scipy, which networkx's layouts need, were missing once); this test hides every package outside the
dependency closure of ``pyproject.toml`` and runs ``kzgraph build``.
"""
from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, packages_distributions, requires
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
import pytest

ROOT = Path(__file__).resolve().parents[1]

#: run in the child: refuse to import top-level modules of packages outside ALLOWED
GUARD = """
import sys
from importlib.abc import MetaPathFinder

class Hide(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if "." not in name and name in HIDDEN:
            raise ModuleNotFoundError(f"No module named {name!r} (not a declared dependency)", name=name)
        return None

HIDDEN = set(sys.argv[1].split(","))
sys.meta_path.insert(0, Hide())
sys.argv = ["kzgraph", *sys.argv[2:]]
from kzgraph.cli import main
main()
"""


def closure(names: list[str]) -> set[str]:
    """The distributions ``names`` need, transitively (extras' requirements left out)."""
    seen, todo = set(), [canonicalize_name(n) for n in names]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            needs = requires(name) or []
        except PackageNotFoundError:
            continue
        for text in needs:
            req = Requirement(text)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(canonicalize_name(req.name))
    return seen


@pytest.mark.slow
def test_build_needs_only_declared_dependencies(tmp_path):
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    allowed = closure([Requirement(d).name for d in declared]) | {"kzgraph"}
    hidden = {module for module, dists in packages_distributions().items()
              if module.isidentifier() and module not in sys.stdlib_module_names
              and not any(canonicalize_name(d) in allowed for d in dists)}
    assert "pytest" in hidden  # the guard has something to hide
    result = subprocess.run([sys.executable, "-c", GUARD, ",".join(sorted(hidden)), "build", "-o", "out"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "out" / "network.html").stat().st_size > 0
