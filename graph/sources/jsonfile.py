"""Reading one snapshot file: size cap, encodings (UTF-8, UTF-16 from PowerShell, UTF-32), JSON
that AWS can write (no NaN, no comments), each failure a :class:`SnapshotError` that says what
to do."""

from __future__ import annotations

import codecs
import json
import math
import os
import stat
from pathlib import Path
from typing import Any

from vpcdoctor.errors import SnapshotError

MAX_FILE_MB_DEFAULT = 512
"""A 20,000-ENI describe-network-interfaces is about 40 MB; beyond this cap a file is refused."""


# --------------------------------------------------------------------------------------------
# Reading one file
# --------------------------------------------------------------------------------------------


def max_file_bytes() -> int:
    """The per-file size cap (``VPCDOCTOR_MAX_FILE_MB`` overrides the default)."""
    text = os.environ.get("VPCDOCTOR_MAX_FILE_MB", "")
    try:
        megabytes = int(text) if text else MAX_FILE_MB_DEFAULT
    except ValueError:
        megabytes = MAX_FILE_MB_DEFAULT
    return max(1, megabytes) * 1024 * 1024


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON (AWS never writes NaN or Infinity)")


def _parse_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"the number {text[:40]} is too large for JSON")
    return value


def decode_json_bytes(raw: bytes, path: str) -> tuple[str, str]:
    """Bytes → text, accepting UTF-8 (with or without BOM), UTF-16 and UTF-32.

    Returns the text and a note for anything unusual. Windows PowerShell's ``>`` writes UTF-16
    with a byte-order mark; that is accepted, with a note.
    """
    note = ""
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        encoding, note = "utf-32", "UTF-32 text, decoded"
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, note = "utf-16", "UTF-16 text (as Windows PowerShell writes it), decoded"
    elif raw.startswith(codecs.BOM_UTF8):
        encoding, note = "utf-8-sig", "UTF-8 byte-order mark ignored"
    else:
        encoding = json.detect_encoding(raw)
        if encoding != "utf-8":
            note = f"{encoding.upper()} text without byte-order mark, decoded"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as error:
        raise SnapshotError(
            f"not a text file (undecodable byte at offset {error.start}): a binary file, or an "
            "encoding other than UTF-8/UTF-16. Export with `--output json` and save as UTF-8",
            path=path,
        ) from None
    if "\x00" in text:
        raise SnapshotError(
            "not a text file (it contains NUL bytes): a binary file is not an AWS CLI output",
            path=path,
        )
    return text, note


def parse_json_text(text: str, path: str) -> Any:
    """Text → JSON value; every failure is a :class:`SnapshotError` with the line."""
    try:
        return json.loads(text, parse_constant=_reject_constant, parse_float=_parse_float)
    except RecursionError:
        raise SnapshotError(
            "JSON nested too deeply to read; no AWS output is nested like this", path=path
        ) from None
    except json.JSONDecodeError as error:
        raise SnapshotError(_describe_json_error(text, error), path=path) from None
    except ValueError as error:  # NaN/Infinity, or an integer with thousands of digits
        message = str(error)
        if "integer string conversion" in message:
            message = "a number with thousands of digits; no AWS output has one"
        raise SnapshotError(f"not valid JSON: {message}", path=path) from None


def _describe_json_error(text: str, error: json.JSONDecodeError) -> str:
    where = f"line {error.lineno} column {error.colno}"
    at = text[error.pos : error.pos + 2]
    if at in ("//", "/*") or text[error.pos : error.pos + 1] == "#":
        return (
            f"JSON does not allow comments ({where}); remove the comment, or export the file "
            "again with `--output json`"
        )
    if error.msg.startswith("Unterminated string"):
        return (
            f"a string starting at {where} never ends: the file was cut short (copy or "
            "download interrupted?); export it again"
        )
    if error.pos >= len(text.rstrip()):
        return f"the JSON ends too early ({where}): the file was cut short; export it again"
    if error.msg == "Expecting value" and error.pos == 0:
        return (
            "not JSON (it does not start with { or [): was it exported with `--output text` or "
            "`--output table`? Export with `--output json`"
        )
    return f"not valid JSON: {error.msg} at {where}"


def read_json(path: Path, shown: str) -> tuple[Any, str]:
    """Read, decode and parse one file; returns (value, note). Refuses huge and odd files."""
    try:
        info = path.stat()
    except OSError as error:
        raise SnapshotError(f"cannot read it: {error.strerror}", path=shown) from None
    if not stat.S_ISREG(info.st_mode):
        raise SnapshotError(
            "not a regular file (a pipe or device?); a snapshot holds plain JSON files",
            path=shown,
        )
    limit = max_file_bytes()
    if info.st_size > limit:
        raise SnapshotError(
            f"{info.st_size / 1048576:.0f} MB is larger than the {limit // 1048576} MB limit "
            "for one output; split it, or raise VPCDOCTOR_MAX_FILE_MB",
            path=shown,
        )
    try:
        with path.open("rb") as handle:
            # read(n) allocates n bytes up front: ask for the size stat gave (a file that
            # grew since is read on, up to the limit), not for the 512 MB limit every time.
            raw = handle.read(min(info.st_size, limit) + 1)
            if len(raw) > info.st_size:
                raw += handle.read(limit + 1 - len(raw))
    except OSError as error:
        raise SnapshotError(f"cannot read it: {error.strerror}", path=shown) from None
    if len(raw) > limit:
        raise SnapshotError(
            f"larger than the {limit // 1048576} MB limit for one output", path=shown
        )
    text, note = decode_json_bytes(raw, shown)
    if not text.strip():
        return None, "empty file"
    return parse_json_text(text, shown), note
