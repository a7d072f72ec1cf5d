"""``manifest.json``: what ``vpcdoctor export`` writes next to the outputs (account, Region, when,
the operations and their gaps). A manifest speaks for the folder it is in and everything below
it; a snapshot of several accounts may hold one per account's folder."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from vpcdoctor.errors import SnapshotError
from vpcdoctor.graph.model import Gap

MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True, slots=True, kw_only=True)
class Manifest:
    """What ``vpcdoctor export`` wrote next to the outputs."""

    path: str
    account: str | None = None
    region: str | None = None
    collected_at: str | None = None
    gaps: tuple[Gap, ...] = ()
    kinds_by_file: Mapping[str, str] | None = None
    """Relative file path (to the manifest's folder) → kind name, from ``operations``."""


def read_manifest(data: Any, shown: str) -> Manifest:
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
