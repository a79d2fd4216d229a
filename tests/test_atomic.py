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


def test_a_fifo_is_written_through_not_replaced(tmp_path):
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_atomic(fifo, "through")
    reader.join(10)
    assert got == [b"through"] and stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_device_is_written_through_and_a_full_one_named(tmp_path):
    try:  # device nodes of our own: /dev/null and /dev/full (an unfixed write would replace them)
        os.mknod(tmp_path / "null", stat.S_IFCHR | 0o666, os.makedev(1, 3))
        os.mknod(tmp_path / "full", stat.S_IFCHR | 0o666, os.makedev(1, 7))
    except PermissionError:
        pytest.skip("making device nodes needs root")
    write_atomic(tmp_path / "null", "gone")
    assert stat.S_ISCHR((tmp_path / "null").stat().st_mode)
    with pytest.raises(OSError, match="full"):
        write_atomic(tmp_path / "full", "x")
    assert stat.S_ISCHR((tmp_path / "full").stat().st_mode)


def test_a_symlink_is_kept_and_its_target_replaced(tmp_path):
    (tmp_path / "real.ttl").write_text("old")
    (tmp_path / "link.ttl").symlink_to("real.ttl")
    write_atomic(tmp_path / "link.ttl", "new")
    assert (tmp_path / "link.ttl").is_symlink() and (tmp_path / "real.ttl").read_text() == "new"
