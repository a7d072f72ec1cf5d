"""Offline snapshot loader: a directory of raw AWS CLI JSON outputs → :class:`Account`.

A snapshot is a directory (any nesting) of ``*.json`` files, each the unmodified output of one
AWS CLI call with ``--output json``. A file's kind is recognised by its top-level keys (never its
name, see :mod:`vpcdoctor.graph.model.kinds`); outputs that do not name their owner take it from the
file name after ``@`` (``list-resource-record-sets@Z0ABC.json``). Files that are not recognised
AWS outputs are listed as "not used" and do not stop the load. ``manifest.json``, written by
``vpcdoctor export``, gives the account, the region and the gaps of the collection.

The pipeline is: read and decode each file (:func:`read_json`) → recognise it
(:func:`recognise`) → :func:`build_account`, shared with live mode: check every output against
botocore's output shape (:mod:`vpcdoctor.graph.sources.shapes`) → parse into the model
(:mod:`vpcdoctor.graph.sources.parse`).
"""

from __future__ import annotations

import codecs
import gc
import json
import math
import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vpcdoctor.errors import SnapshotError
from vpcdoctor.graph.model import Account, Gap, SourceNote
from vpcdoctor.graph.model.kinds import KINDS, KINDS_BY_NAME, Kind
from vpcdoctor.graph.sources import shapes
from vpcdoctor.graph.sources.parse import AccountBuilder, Conflict, Invalid

MANIFEST_NAME = "manifest.json"
MAX_FILE_MB_DEFAULT = 512
"""A 20,000-ENI describe-network-interfaces is about 40 MB; beyond this cap a file is refused."""

WHAT_A_SNAPSHOT_IS = (
    "a snapshot is a directory of AWS CLI JSON outputs (`aws ec2 describe-vpcs --output json > "
    "describe-vpcs.json`, …), as written by `vpcdoctor export DIR`"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class RawOutput:
    """One recognised AWS output, as read from a file or returned by a live call."""

    kind: str
    """A :data:`vpcdoctor.graph.model.kinds.KINDS` name."""
    owner: str | None
    """The ``@id`` for outputs that do not name their owner (zone id, function name…)."""
    data: dict[str, Any]
    """The unmodified JSON document (pages merged)."""
    source: str
    """Where it came from: a file path, or ``live:ec2:DescribeVpcs``."""
    note: str = ""
    """Anything worth telling about how it was read (``UTF-16, as PowerShell writes it``)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Manifest:
    """What ``vpcdoctor export`` wrote next to the outputs."""

    path: str
    account: str | None = None
    region: str | None = None
    collected_at: str | None = None
    gaps: tuple[Gap, ...] = ()
    kinds_by_file: Mapping[str, str] | None = None
    """Relative file path → kind name, from ``operations``."""


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


# --------------------------------------------------------------------------------------------
# Recognising outputs
# --------------------------------------------------------------------------------------------

_MANAGED_PL_FIELDS = frozenset({"AddressFamily", "MaxEntries", "OwnerId", "State", "Version"})


def recognise(data: Mapping[str, Any]) -> tuple[Kind | None, dict[str, Any]]:
    """The kind of one top-level JSON object (by its keys), and the data to use for it.

    ``describe-prefix-lists`` and ``describe-managed-prefix-lists`` both answer with
    ``PrefixLists``: the items' fields tell them apart (``Cidrs`` vs ``AddressFamily`` …). A
    hand-made ``ManagedPrefixLists`` key is accepted as the managed kind.
    """
    document = dict(data)
    if "ManagedPrefixLists" in document and "PrefixLists" not in document:
        document["PrefixLists"] = document.pop("ManagedPrefixLists")
        return KINDS_BY_NAME["describe-managed-prefix-lists"], document
    best: Kind | None = None
    for kind in KINDS:
        if all(key in document for key in kind.keys) and (
            best is None or len(kind.keys) > len(best.keys)
        ):
            best = kind
    if best is not None and best.keys == ("PrefixLists",):
        # DescribePrefixLists items have only PrefixListId, PrefixListName and Cidrs; any
        # managed-only field (AddressFamily, MaxEntries, OwnerId…) makes it the managed kind.
        items = document.get("PrefixLists")
        managed = isinstance(items, list) and any(
            isinstance(i, dict) and _MANAGED_PL_FIELDS & i.keys() for i in items
        )
        best = KINDS_BY_NAME[
            "describe-managed-prefix-lists" if managed else "describe-prefix-lists"
        ]
    return best, document


def owner_from_filename(name: str) -> str | None:
    """``list-resource-record-sets@Z0ABC.json`` → ``Z0ABC``."""
    stem = name[:-5] if name.lower().endswith(".json") else name
    if "@" not in stem:
        return None
    owner = stem.split("@", 1)[1].strip()
    return owner or None


def _rename_hint(kind: Kind, name: str) -> str:
    stem = name[:-5] if name.lower().endswith(".json") else name
    example = {
        "prefix list id": "pl-0123456789abcdef0",
        "hosted zone id": "Z0123456789ABCDEFGHIJ",
        "function name": "my-function",
        "transit gateway route table id": "tgw-rtb-0123456789abcdef0",
        "resolver endpoint id": "rslvr-out-0123456789abcdef0",
    }.get(kind.owner_hint, "ID")
    return (
        f"looks like {kind.name} output, which does not say which {kind.owner_hint} it belongs "
        f"to: rename it {stem}@{example}.json (the {kind.owner_hint} after @, as in "
        f"`{kind.cli.replace('{id}', example)}`)"
    )


# --------------------------------------------------------------------------------------------
# The directory
# --------------------------------------------------------------------------------------------


def _walk(root: Path) -> tuple[list[tuple[Path, str]], list[SourceNote]]:
    """Every candidate file (path, relative name) under ``root``, and files set aside."""
    real_root = os.path.realpath(root)
    files: list[tuple[Path, str]] = []
    notes: list[SourceNote] = []
    visited: set[str] = set()
    for directory, dirnames, filenames in os.walk(root, followlinks=True):
        real_dir = os.path.realpath(directory)
        if real_dir in visited or not _inside(real_dir, real_root):
            dirnames[:] = []
            if not _inside(real_dir, real_root):
                notes.append(
                    SourceNote(
                        path=directory,
                        kind=None,
                        note="not read: a symbolic link leading outside the snapshot directory",
                    )
                )
            continue
        visited.add(real_dir)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(directory) / name
            if not name.lower().endswith(".json"):
                notes.append(
                    SourceNote(path=str(path), kind=None, note="not used: not a .json file")
                )
                continue
            if path.is_symlink() and not _inside(os.path.realpath(path), real_root):
                notes.append(
                    SourceNote(
                        path=str(path),
                        kind=None,
                        note="not read: a symbolic link leading outside the snapshot directory",
                    )
                )
                continue
            files.append((path, os.path.relpath(path, root)))
    return files, notes


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _read_manifest(data: Any, shown: str) -> Manifest:
    def broken(what: str) -> SnapshotError:
        return SnapshotError(
            f"broken vpcdoctor manifest: {what}; fix it or delete manifest.json (the outputs "
            "load without it)",
            path=shown,
        )

    def text(key: str, value: Any = None) -> str | None:
        value = data.get(key) if value is None else value
        if value is not None and not isinstance(value, str):
            raise broken(f"{key} must be a string")
        return value or None

    account = text("account")
    region = text("region")
    if account is not None and not (account.isdigit() and len(account) == 12):
        raise broken(f"account {account[:40]!r} is not a 12-digit AWS account id")
    kinds_by_file: dict[str, str] = {}
    operations = data.get("operations", [])
    if not isinstance(operations, list):
        raise broken("operations must be a list")
    for i, op in enumerate(operations):
        if not isinstance(op, dict):
            raise broken(f"operations[{i}] must be an object")
        file, kind = op.get("file"), op.get("kind")
        if file is not None and not isinstance(file, str):
            raise broken(f"operations[{i}].file must be a string")
        if kind is not None and not isinstance(kind, str):
            raise broken(f"operations[{i}].kind must be a string")
        if file and kind:
            kinds_by_file[os.path.normpath(file)] = kind
    gaps: list[Gap] = []
    raw_gaps = data.get("gaps", [])
    if not isinstance(raw_gaps, list):
        raise broken("gaps must be a list")
    for i, gap in enumerate(raw_gaps):
        if not isinstance(gap, dict) or not isinstance(gap.get("kind"), str):
            raise broken(f"gaps[{i}] must be an object with a kind")
        for key in ("reason", "iam_action", "owner"):
            if gap.get(key) is not None and not isinstance(gap[key], str):
                raise broken(f"gaps[{i}].{key} must be a string")
        gaps.append(
            Gap(
                kind=gap["kind"],
                reason=gap.get("reason") or "not exported",
                iam_action=gap.get("iam_action"),
                owner=gap.get("owner"),
            )
        )
    return Manifest(
        path=shown,
        account=account,
        region=region,
        collected_at=text("collected_at"),
        gaps=tuple(gaps),
        kinds_by_file=kinds_by_file,
    )


def load_snapshot(path: Path) -> Account:
    """Read every JSON file under ``path`` (any nesting) and build the account.

    Raises:
        SnapshotError: the directory cannot be used, or one file is broken; the message names
            the file (and the JSON path inside it) and says what to do.
    """
    # Loading allocates about a million long-lived, acyclic objects (parsed JSON, then the
    # model); the cyclic GC would traverse them again and again as they pile up, which doubles
    # the load time of a large account (benchmarks/run.py). Nothing here creates cycles.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_snapshot(path)
    finally:
        if enabled:
            gc.enable()


def _load_snapshot(path: Path) -> Account:
    root = Path(path)
    if not root.exists():
        raise SnapshotError(f"no such directory; {WHAT_A_SNAPSHOT_IS}", path=str(root))
    if not root.is_dir():
        raise SnapshotError(
            f"this is a file, not a directory; {WHAT_A_SNAPSHOT_IS}. Put the file in a "
            "directory of its own and pass the directory",
            path=str(root),
        )
    files, set_aside = _walk(root)
    documents: list[tuple[Path, str, Any, str]] = []
    manifests: list[Manifest] = []
    for file, relative in files:
        shown = str(file)
        data, note = read_json(file, shown)
        if file.name == MANIFEST_NAME and isinstance(data, dict) and "vpcdoctor" in data:
            manifests.append(_read_manifest(data, shown))
            continue
        documents.append((file, relative, data, note))

    manifest = _merge_manifests(manifests)
    kinds_by_file = (manifest.kinds_by_file or {}) if manifest else {}
    outputs: list[RawOutput] = []
    for file, relative, data, note in documents:
        shown = str(file)
        if not isinstance(data, dict):
            set_aside.append(SourceNote(path=shown, kind=None, note=_not_an_output(data, note)))
            continue
        kind, document = recognise(data)
        if kind is None and not data:
            kind = _kind_of_empty_output(file.name, kinds_by_file.get(os.path.normpath(relative)))
        if kind is None:
            keys = ", ".join(sorted(data)[:6]) or "none"
            set_aside.append(
                SourceNote(
                    path=shown,
                    kind=None,
                    note=f"not used: not a recognised AWS CLI output (top-level keys: {keys})",
                )
            )
            continue
        owner = owner_from_filename(file.name)
        if kind.owner_in_filename and owner is None:
            set_aside.append(
                SourceNote(path=shown, kind=None, note="not used: " + _rename_hint(kind, file.name))
            )
            continue
        outputs.append(
            RawOutput(kind=kind.name, owner=owner, data=document, source=shown, note=note)
        )
    if not outputs:
        found = (
            f"none of its {len(files)} JSON file(s) is a recognised AWS output"
            if files
            else "it holds no JSON files"
        )
        raise SnapshotError(f"not a snapshot: {found}; {WHAT_A_SNAPSHOT_IS}", path=str(root))
    return build_account(
        outputs,
        gaps=manifest.gaps if manifest else (),
        account_id=manifest.account if manifest else None,
        region=manifest.region if manifest else None,
        sources=set_aside,
    )


def _merge_manifests(manifests: list[Manifest]) -> Manifest | None:
    if not manifests:
        return None
    first = manifests[0]
    gaps = list(first.gaps)
    kinds = dict(first.kinds_by_file or {})
    for other in manifests[1:]:
        for field in ("account", "region"):
            a, b = getattr(first, field), getattr(other, field)
            if a and b and a != b:
                raise SnapshotError(
                    f"this manifest's {field} {b} differs from {a} in {first.path}; a snapshot "
                    "holds one account and region: split it into two snapshots",
                    path=other.path,
                )
        gaps.extend(other.gaps)
        kinds.update(other.kinds_by_file or {})
    return Manifest(
        path=first.path,
        account=first.account or next((m.account for m in manifests if m.account), None),
        region=first.region or next((m.region for m in manifests if m.region), None),
        collected_at=first.collected_at,
        gaps=tuple(gaps),
        kinds_by_file=kinds,
    )


def _kind_of_empty_output(name: str, manifest_kind: str | None) -> Kind | None:
    """``{}`` says nothing by its keys (get-function-concurrency with no reservation prints it):
    the manifest's operation list, or the file name, says which call wrote it."""
    if manifest_kind in KINDS_BY_NAME:
        return KINDS_BY_NAME[manifest_kind]
    stem = name[:-5] if name.lower().endswith(".json") else name
    return KINDS_BY_NAME.get(stem.split("@", 1)[0])


def _not_an_output(data: Any, note: str) -> str:
    if note == "empty file":
        return "not used: empty file"
    if isinstance(data, list):
        return (
            "not used: the top level is a list, not an AWS CLI output object (exported with "
            "--query?); export without --query"
        )
    return "not used: the top level is not a JSON object"


# --------------------------------------------------------------------------------------------
# Building (shared with live mode)
# --------------------------------------------------------------------------------------------


def build_account(
    outputs: Iterable[RawOutput],
    *,
    gaps: Iterable[Gap] = (),
    account_id: str | None = None,
    region: str | None = None,
    sources: Iterable[SourceNote] = (),
) -> Account:
    """Validate, merge and convert raw outputs into the typed model (shared with live mode).

    Args:
        outputs: recognised outputs (files, or live responses with their ``ResponseMetadata``).
        gaps: operations that failed or were not exported.
        account_id: the account, when known (manifest, live session); else taken from STS
            output or ARNs.
        region: the region, when known; else taken from ARNs or availability-zone names.
        sources: files set aside by the loader ("not used" notes), listed first.

    Raises:
        SnapshotError: an output does not fit botocore's shape, holds a value AWS cannot produce,
            or conflicts with another; the message names the source and the JSON path.
    """
    builder = AccountBuilder()
    read: list[RawOutput] = []
    for output in outputs:
        kind = KINDS_BY_NAME.get(output.kind)
        if kind is None:
            raise SnapshotError(f"unknown output kind {output.kind!r}", path=output.source)
        try:
            unknown = shapes.check_output(kind.service, kind.operation, output.data)
        except shapes.ShapeMismatch as error:
            raise SnapshotError(
                f"{error.message} (checked against botocore's {kind.service} "
                f"{kind.operation} output)",
                path=output.source,
                json_path=error.json_path,
            ) from None
        if unknown:
            keys = sorted({f"{shape}.{key}" for shape, key in unknown})
            shown = ", ".join(keys[:5]) + (f" and {len(keys) - 5} more" if len(keys) > 5 else "")
            builder.note(
                output.source,
                f"keys not in the installed botocore, ignored (newer API?): {shown}",
            )
        if output.note:
            builder.note(output.source, output.note)
        try:
            builder.add(kind.name, output.owner, output.data, output.source)
        except Invalid as error:
            raise SnapshotError(
                error.message, path=output.source, json_path=error.json_path
            ) from None
        except Conflict as error:
            raise SnapshotError(
                error.message, path=error.source, json_path=error.json_path
            ) from None
        read.append(output)
    try:
        return builder.build(
            gaps=gaps,
            set_aside=sources,
            read=[(o.source, o.kind) for o in read],
            account_id=account_id,
            region=region,
        )
    except Conflict as error:
        raise SnapshotError(error.message, path=error.source, json_path=error.json_path) from None
