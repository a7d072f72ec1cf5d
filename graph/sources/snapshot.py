"""Offline snapshot loader: a directory of raw AWS CLI JSON outputs → :class:`Account`.

A snapshot is a directory (any nesting) of ``*.json`` files, each the unmodified output of one
AWS CLI call with ``--output json``. A file's kind is recognised by its top-level keys (never its
name, see :mod:`vpcdoctor.graph.model.kinds`); outputs that do not name their owner take it from the
file name after ``@`` (``list-resource-record-sets@Z0ABC.json``; for elbv2 describe-target-health,
``@NAME.ID``: the target group's name and the id segment of its ARN, or the plain name). Files
that are not recognised AWS outputs are listed as "not used", with why, and do not stop the load
(:func:`vpcdoctor.graph.sources.unused_files` lists them). ``manifest.json``, written by
``vpcdoctor export``, gives the account, the region and the gaps of the collection of its folder.

**Several accounts and Regions.** Each output is read as exported from an account and Region:
the nearest enclosing folder named as a 12-digit account id, else the nearest ``manifest.json``,
else a get-caller-identity output in an enclosing folder (one in ``DIR/sts/`` speaks for ``DIR``,
as vpcdoctor export writes it); the nearest folder named as a Region,
else the manifest. Its resources belong to the account and Region their own fields name
(``OwnerId``, an ARN, an Availability Zone), else to those. Two views of one resource from
different accounts or Regions are merged; from the same one, different contents conflict
(:mod:`vpcdoctor.graph.sources.parse.merge` has the rule). Batfish's layout and wrapper files are
read as they are (:mod:`vpcdoctor.graph.sources.batfish`).

The pipeline is: list the files (:func:`vpcdoctor.graph.sources.files.walk`, the same walk the
cache key uses) → read and decode each (:func:`read_json`) → recognise it (:func:`recognise`) →
:func:`build_account`, shared with live mode: check every output against botocore's output
shape (:mod:`vpcdoctor.graph.sources.shapes`) → parse into the model
(:mod:`vpcdoctor.graph.sources.parse`).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from vpcdoctor.errors import SnapshotError
from vpcdoctor.graph.model import Account, Gap, SourceNote
from vpcdoctor.graph.model.kinds import KINDS, KINDS_BY_NAME, Kind
from vpcdoctor.graph.sources import batfish, shapes
from vpcdoctor.graph.sources.files import placement, walk
from vpcdoctor.graph.sources.jsonfile import (
    MAX_FILE_MB_DEFAULT,
    decode_json_bytes,
    max_file_bytes,
    parse_json_text,
    read_json,
)
from vpcdoctor.graph.sources.manifest import MANIFEST_NAME, Manifest, read_manifest
from vpcdoctor.graph.sources.parse import AccountBuilder, Conflict, Invalid

__all__ = [
    "MANIFEST_NAME",
    "MAX_FILE_MB_DEFAULT",
    "Manifest",
    "RawOutput",
    "build_account",
    "decode_json_bytes",
    "load_snapshot",
    "max_file_bytes",
    "owner_from_filename",
    "parse_json_text",
    "read_json",
    "recognise",
]

_T = TypeVar("_T")

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
    account: str | None = None
    """The account it was exported from (its folder, manifest or identity; the live session)."""
    region: str | None = None
    """The Region it was exported from (its folder or manifest; the live session)."""
    json_path: str = ""
    """Where ``data`` sits in the file when it is part of one (a Batfish wrapper's item)."""


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


def _folder(relative: str) -> str:
    return relative.rsplit("/", 1)[0] if "/" in relative else ""


def _nearest(folders: Mapping[str, _T], relative: str) -> _T | None:
    """The value of the nearest enclosing folder of ``relative`` that has one."""
    folder = _folder(relative)
    while True:
        if folder in folders:
            return folders[folder]
        if not folder:
            return None
        folder = _folder(folder)


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
    files, set_aside = walk(root)
    documents: list[tuple[Path, str, Any, str]] = []
    manifests: dict[str, Manifest] = {}
    identities: dict[str, str] = {}
    """Folder → the account of a get-caller-identity output in it."""
    for entry in files:
        file, relative = Path(entry.path), entry.relative
        shown = str(file)
        data, note = read_json(file, shown)
        if file.name == MANIFEST_NAME and isinstance(data, dict) and "vpcdoctor" in data:
            manifests[_folder(relative)] = read_manifest(data, shown)
            continue
        if isinstance(data, dict) and isinstance(data.get("Account"), str) and "Arn" in data:
            folder = _folder(relative)
            # vpcdoctor's own layout (and many export scripts) keep it in DIR/sts/: it speaks
            # for the whole export DIR, not only for the sts folder.
            if os.path.basename(folder) == "sts":
                folder = _folder(folder)
            identities.setdefault(folder, data["Account"])
        documents.append((file, relative, data, note))

    kinds_by_file: dict[str, str] = {}
    for folder, found in manifests.items():
        for name, kind_name in (found.kinds_by_file or {}).items():
            kinds_by_file[os.path.normpath(os.path.join(folder, name))] = kind_name
    outputs: list[RawOutput] = []
    for file, relative, data, note in documents:
        shown = str(file)
        if not isinstance(data, dict):
            set_aside.append(SourceNote(path=shown, kind=None, note=_not_an_output(data, note)))
            continue
        where = placement(relative)
        nearest = _nearest(manifests, relative)
        account = where.account or (nearest.account if nearest else None)
        account = account or _nearest(identities, relative)
        region = where.region or (nearest.region if nearest else None)
        if batfish.is_wrapper(data):
            outputs.extend(_unwrap(data, shown, note, account, region))
            continue
        kind, document = recognise(data)
        if kind is None and not data:
            kind = _kind_of_empty_output(file.name, kinds_by_file.get(os.path.normpath(relative)))
        if kind is None:
            why = batfish.not_read(data)
            if why is None:
                keys = ", ".join(sorted(data)[:6]) or "none"
                why = f"not used: not a recognised AWS CLI output (top-level keys: {keys})"
            set_aside.append(SourceNote(path=shown, kind=None, note=why))
            continue
        kind = _named_variant(kind, file.name)
        owner = owner_from_filename(file.name)
        if kind.owner_in_filename and owner is None:
            set_aside.append(
                SourceNote(path=shown, kind=None, note="not used: " + _rename_hint(kind, file.name))
            )
            continue
        outputs.append(
            RawOutput(
                kind=kind.name,
                owner=owner,
                data=document,
                source=shown,
                note=note,
                account=account,
                region=region,
            )
        )
    if not outputs:
        what = (
            f"none of its {len(files)} JSON file(s) is a recognised AWS output"
            if files
            else "it holds no JSON files"
        )
        raise SnapshotError(f"not a snapshot: {what}; {WHAT_A_SNAPSHOT_IS}", path=str(root))
    top = _top_manifest(manifests)
    return build_account(
        outputs,
        gaps=[gap for m in manifests.values() for gap in m.gaps],
        account_id=top.account if top else None,
        region=top.region if top else None,
        sources=set_aside,
        views_default=False,
    )


def _top_manifest(manifests: Mapping[str, Manifest]) -> Manifest | None:
    """The manifest that speaks for the whole snapshot: the one at its top, else the only one,
    else one on which all agree (several accounts' manifests: none)."""
    if "" in manifests:
        return manifests[""]
    found = list(manifests.values())
    if not found:
        return None
    accounts = {m.account for m in found if m.account}
    regions = {m.region for m in found if m.region}
    return Manifest(
        path=found[0].path,
        account=next(iter(accounts)) if len(accounts) == 1 else None,
        region=next(iter(regions)) if len(regions) == 1 else None,
    )


def _unwrap(
    data: Mapping[str, Any], shown: str, note: str, account: str | None, region: str | None
) -> list[RawOutput]:
    try:
        parts = batfish.unwrap(data)
    except batfish.NotAWrapper as error:
        raise SnapshotError(error.message, path=shown, json_path=error.json_path) from None
    return [
        RawOutput(
            kind=part.kind,
            owner=part.owner,
            data=part.data,
            source=shown,
            note=note or "Batfish file, unwrapped",
            account=account,
            region=region,
            json_path=part.json_path,
        )
        for part in parts
    ]


def _named_variant(kind: Kind, name: str) -> Kind:
    """A kind that shares its keys with another (the static-routes search): the file name's
    stem, before ``@``, says which one it is."""
    stem = name[:-5] if name.lower().endswith(".json") else name
    variant = KINDS_BY_NAME.get(stem.split("@", 1)[0])
    if variant is not None and variant is not kind and variant.keys == kind.keys:
        return variant
    return kind


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
    views_default: bool = True,
) -> Account:
    """Validate, merge and convert raw outputs into the typed model (shared with live mode).

    Args:
        outputs: recognised outputs (files, or live responses with their ``ResponseMetadata``).
        gaps: operations that failed or were not exported.
        account_id: the account, when known (manifest, live session); else taken from STS
            output or ARNs.
        region: the region, when known; else taken from ARNs or availability-zone names.
        sources: files set aside by the loader ("not used" notes), listed first.
        views_default: an output that does not say which account and Region it was exported
            from was exported from ``account_id`` / ``region`` (live mode: one session). The
            loader passes False: it has resolved each file's own (folder, manifest, identity).

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
                json_path=_within(output, error.json_path),
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
            builder.add(
                kind.name,
                output.owner,
                output.data,
                output.source,
                account=output.account or (account_id if views_default else None),
                region=output.region or (region if views_default else None),
            )
        except Invalid as error:
            raise SnapshotError(
                error.message, path=output.source, json_path=_within(output, error.json_path)
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


def _within(output: RawOutput, json_path: str | None) -> str | None:
    """A JSON path inside ``output.data`` as a path in its file (a Batfish wrapper's item)."""
    if not output.json_path:
        return json_path
    return f"{output.json_path}.{json_path}" if json_path else output.json_path
