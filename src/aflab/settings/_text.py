"""Reading a user's text file: UTF-8, or UTF-16/32 with a byte-order mark, else a clear error."""

import codecs
from collections.abc import Callable
from pathlib import Path

from aflab.settings._errors import SettingError

__all__ = ["decode_text", "read_text"]

# Longest first: the UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_FIX = "save it as UTF-8"


def read_text(
    path: Path, what: str = "file", error: Callable[[str], Exception] = SettingError
) -> str:
    """Read a text file written by a user.

    UTF-8 is expected; a byte-order mark is honoured (UTF-8, UTF-16 and UTF-32, as
    Windows editors write them) and removed. Anything else is refused with the position
    of the first byte that does not decode, rather than guessed at.

    Args:
        path: The file.
        what: What the file is, for the "not found" message (e.g. `user template file`).
        error: The exception type to raise (called with the message).

    Returns:
        The text, without a byte-order mark.

    Raises:
        Exception: Of type `error`; the file is missing or unreadable, is not valid text in
            its encoding, or holds NUL characters (as UTF-16 without a byte-order mark does). The
            message names the file.
    """
    path = Path(path)
    if not path.is_file():
        raise error(f"{what} not found: {path}")
    try:
        raw = path.read_bytes()
    except OSError as problem:
        raise error(f"{path}: cannot read the {what}: {problem.strerror or problem}") from None
    try:
        return decode_text(raw)
    except ValueError as problem:
        raise error(f"{path}: {problem}") from None


def decode_text(raw: bytes) -> str:
    r"""Decode a user's file (see `read_text`).

    Raises:
        ValueError: The bytes are not valid text; the message says where and how to fix it.

    Examples:
        >>> decode_text(b"\xff\xfeh\x00i\x00")
        'hi'
        >>> decode_text("caf\u00e9".encode("latin-1"))
        Traceback (most recent call last):
        ...
        ValueError: not UTF-8 text: byte 0xe9 on line 1, column 4 does not decode; save it as UTF-8
    """
    encoding = "utf-8"
    for bom, name in _BOMS:
        if raw.startswith(bom):
            raw, encoding = raw[len(bom) :], name
            break
    if encoding == "utf-8" and b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        raise ValueError(
            f"NUL byte on line {line}: this looks like UTF-16 or another wide encoding "
            f"without a byte-order mark; {_FIX}"
        )
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as problem:
        label = "UTF-8" if encoding == "utf-8" else encoding.upper()
        where = _position(raw, problem.start) if encoding == "utf-8" else ""
        byte = raw[problem.start : problem.start + 1].hex()
        raise ValueError(
            f"not {label} text: byte 0x{byte}{where} does not decode; {_FIX}"
        ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ValueError(f"NUL character on line {line}; {_FIX} without NUL characters")
    return text


def _position(raw: bytes, offset: int) -> str:
    line = raw.count(b"\n", 0, offset) + 1
    column = len(raw[raw.rfind(b"\n", 0, offset) + 1 : offset].decode("utf-8", "replace")) + 1
    return f" on line {line}, column {column}"
