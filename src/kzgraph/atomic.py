"""Atomic file writes: a reader sees the old file or the new one, never half of one."""
import os
import stat
import tempfile
from pathlib import Path


def write_atomic(path: str | os.PathLike, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same directory and a rename.

    Only regular files and new paths are replaced so: a device, FIFO or socket (``/dev/null``,
    ``/proc/self/fd/1``) is written straight through, and a symbolic link is kept, its target replaced.
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise _naming(exc, target) from None
    if mode is not None and not stat.S_ISREG(mode):
        return _write_through(target, payload)
    if target.is_symlink():
        target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _naming(exc, target) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), _mode(target))
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _naming(exc, target) from None
        raise
    return target


def _write_through(target: Path, payload: bytes) -> Path:
    try:
        with open(target, "wb") as handle:
            handle.write(payload)
    except OSError as exc:
        raise _naming(exc, target) from None
    return target


def _mode(target: Path) -> int:
    """The permissions the file should end with: the old file's, or what a plain ``open`` would give.

    ``mkstemp`` creates its file readable by the owner only; a shared export must not end up private.
    """
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _naming(exc: OSError, target: Path) -> OSError:
    """The same error about ``target``: the temporary file's name would only puzzle the reader."""
    return type(exc)(exc.errno, exc.strerror or str(exc), str(target))
