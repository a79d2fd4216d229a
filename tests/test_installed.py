"""The installed console script, run as a user would: a subprocess in an unrelated directory."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).with_name("kzgraph")


def kzgraph(*args, cwd):
    exe = str(SCRIPT) if SCRIPT.exists() else shutil.which("kzgraph")
    if exe is None:
        pytest.skip("the kzgraph console script is not installed in this environment")
    return subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_help_from_another_directory(tmp_path):
    result = kzgraph("--help", cwd=tmp_path)
    assert result.returncode == 0 and "Commands:" in result.stdout
    for command in ("build", "query", "queries", "export", "validate"):
        assert command in result.stdout


@pytest.mark.slow
def test_build_from_another_directory_uses_the_installed_data(tmp_path):
    result = kzgraph("build", "-o", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "kzgraph.ttl").stat().st_size > 0
    assert list(tmp_path.iterdir()) == [tmp_path / "out"]


def test_user_error_is_one_line_without_traceback(tmp_path):
    result = kzgraph("query", "SELECT ?x WHERE {", cwd=tmp_path)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_piped_table_has_no_colour(tmp_path):
    result = kzgraph("queries", cwd=tmp_path)
    assert result.returncode == 0 and "\x1b[" not in result.stdout
