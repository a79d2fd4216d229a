"""Atomic writes leave files with the permissions a plain write would give."""
from __future__ import annotations

import os
import stat

import pytest

from kzgraph.atomic import write_atomic


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_new_file_follows_the_umask(tmp_path, umask_022):
    path = write_atomic(tmp_path / "kzgraph.ttl", "x")
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # mkstemp's own 0o600 would hide a shared export


def test_a_rewritten_file_keeps_its_mode(tmp_path, umask_022):
    path = tmp_path / "network.html"
    path.write_text("old")
    path.chmod(0o640)
    write_atomic(path, "new")
    assert path.read_text() == "new" and stat.S_IMODE(path.stat().st_mode) == 0o640
