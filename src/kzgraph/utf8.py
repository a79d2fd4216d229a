"""Reading text files the user gives, with errors that say where a file is not UTF-8."""
from __future__ import annotations

import codecs
import os
from pathlib import Path

from .errors import KzError


def read_text(path: str | os.PathLike) -> str:
    """The UTF-8 text of ``path``; a missing or undecodable file raises :class:`KzError`."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise KzError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise KzError(f"{path}: is a directory, not a file") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise KzError(not_utf8(path, data, exc)) from None


def not_utf8(path: str | os.PathLike, data: bytes | None = None, exc: UnicodeDecodeError | None = None) -> str:
    """``path:LINE:COLUMN: not UTF-8 text (byte 0x…)``, for the first byte of ``path`` that is not UTF-8."""
    if data is None:
        data = Path(path).read_bytes()
    if exc is None:
        try:
            data.decode("utf-8")
            return f"{path}: not UTF-8 text"
        except UnicodeDecodeError as found:
            exc = found
    line = data.count(b"\n", 0, exc.start) + 1
    column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
    return f"{path}:{line}:{column}: not UTF-8 text (byte 0x{data[exc.start]:02X}); save it as UTF-8"


def skip_bom(handle):
    """``handle`` (a binary file at its start) moved past a UTF-8 byte-order mark, if it has one."""
    if handle.read(3) != codecs.BOM_UTF8:
        handle.seek(0)
    return handle
