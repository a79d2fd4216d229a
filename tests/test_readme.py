"""The README's usage examples are real: each ``$ kzgraph …`` line in a ``console`` block is run
and must print exactly the output shown under it.

After a deliberate change of output, refresh the README with
``KZGRAPH_UPDATE_README=1 python -m pytest tests/test_readme.py``.
"""
from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from kzgraph.cli import main

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"^```console\n(.*?)^```\n", re.S | re.M)


def examples(text: str):
    """(start, end, command, expected output) of every ``$ kzgraph`` example, in order."""
    for block in BLOCK.finditer(text):
        body = block.group(1)
        for example in re.finditer(r"^\$ (kzgraph .*)\n((?:(?!\$ ).*\n)*)", body, re.M):
            start = block.start(1) + example.start(2)
            yield start, start + len(example.group(2)), example.group(1), example.group(2)


def run(command: str, cwd: Path) -> str:
    args = shlex.split(command)[1:]
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, args, catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.output


def test_readme_has_examples():
    assert len(list(examples(README.read_text(encoding="utf-8")))) >= 14


@pytest.mark.slow
def test_readme_examples_print_what_they_show(tmp_path):
    text = README.read_text(encoding="utf-8")
    updated, last, wrong = [], 0, []
    for start, end, command, expected in examples(text):
        actual = run(command, tmp_path)
        if actual != expected:
            wrong.append(command)
        updated += [text[last:start], actual]
        last = end
    if wrong and os.environ.get("KZGRAPH_UPDATE_README"):
        README.write_text("".join(updated) + text[last:], encoding="utf-8")
        pytest.skip(f"README refreshed: {', '.join(wrong)}")
    assert not wrong, f"README output differs for: {wrong}"
