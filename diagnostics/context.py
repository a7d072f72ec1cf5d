"""Where an answer comes from: account, Region, and how old the snapshot is.

An answer from a snapshot is only as current as the snapshot. Exports (the incident ticket)
and the TUI's header say which account and Region, when the configuration was read and how
long ago. The time comes from the snapshot's ``manifest.json`` (``collected_at``, written by
``vpcdoctor export``), else from the newest output file's modification time, and the context
says which of the two it is; live collection is "now"; the bundled demo has no time.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vpcdoctor.graph.model import Account

MANIFEST = "manifest.json"


@dataclass(frozen=True, slots=True, kw_only=True)
class SnapshotContext:
    """The provenance of an account as loaded."""

    account: str | None
    region: str | None
    taken_at: datetime | None
    """When the configuration was read (aware, UTC), when known."""
    basis: str
    """How ``taken_at`` is known: ``manifest``, ``newest file``, ``live collection``, ``demo``
    or ``unknown``."""

    def age(self, now: datetime | None = None) -> str:
        """``18 h old``, ``5 min old``, ``3 days old`` (empty without a time)."""
        if self.taken_at is None:
            return ""
        seconds = ((now or datetime.now(UTC)) - self.taken_at).total_seconds()
        if seconds < 60:
            return "just read"
        if seconds < 3600:
            return f"{int(seconds // 60)} min old"
        if seconds < 48 * 3600:
            return f"{int(seconds // 3600)} h old"
        return f"{int(seconds // 86400)} days old"

    def when(self, now: datetime | None = None) -> str:
        """``snapshot 2026-11-30 14:02 UTC (18 h old, from the manifest)``."""
        if self.basis == "demo":
            return "demo account (fictional, no snapshot time)"
        if self.taken_at is None:
            return "snapshot time unknown"
        stamp = self.taken_at.strftime("%Y-%m-%d %H:%M UTC")
        if self.basis == "live collection":
            return f"collected live {stamp}"
        source = "from the manifest" if self.basis == "manifest" else "newest file's time"
        return f"snapshot {stamp} ({self.age(now)}, {source})"

    def header(self, now: datetime | None = None) -> str:
        """One line for the TUI: ``read-only · snapshot … · ap-northeast-1 · account 1234…``."""
        parts = ["read-only", self.when(now)]
        if self.region:
            parts.append(self.region)
        if self.account:
            parts.append(f"account {self.account}")
        return " · ".join(parts)

    def markdown_lines(self, now: datetime | None = None) -> list[str]:
        """The context block of a Markdown export (values are ids and times, never names)."""
        return [
            f"- Account: {self.account or 'unknown'}",
            f"- Region: {self.region or 'unknown'}",
            f"- Configuration: {self.when(now)}",
            "- vpcdoctor is read-only: nothing was changed in AWS.",
        ]

    def to_json(self, now: datetime | None = None) -> dict[str, Any]:
        return {
            "account": self.account,
            "region": self.region,
            "taken_at": self.taken_at.isoformat() if self.taken_at else None,
            "basis": self.basis,
            "age": self.age(now) or None,
        }


def _manifest_time(root: Path) -> datetime | None:
    candidates = [root / MANIFEST]
    with contextlib.suppress(OSError):
        candidates += sorted(root.glob(f"*/{MANIFEST}"))
    for path in candidates:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        value = data.get("collected_at") if isinstance(data, dict) else None
        if isinstance(value, str):
            try:
                stamp = datetime.fromisoformat(value)
            except ValueError:
                continue
            return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
    return None


def _newest_file(account: Account) -> datetime | None:
    newest = 0.0
    for note in account.sources:
        if note.kind is None:
            continue
        try:
            newest = max(newest, os.stat(note.path).st_mtime)
        except OSError:
            continue
    return datetime.fromtimestamp(newest, UTC) if newest else None


def snapshot_context(
    account: Account,
    *,
    snapshot: str | os.PathLike[str] | None = None,
    demo: bool = False,
    loaded_at: datetime | None = None,
) -> SnapshotContext:
    """The provenance of ``account``: from a snapshot directory, the demo, or live AWS (then
    ``loaded_at``, the time it was collected)."""
    base = {"account": account.account_id, "region": account.region}
    if demo:
        return SnapshotContext(**base, taken_at=None, basis="demo")
    if snapshot is not None:
        stamp = _manifest_time(Path(snapshot))
        if stamp is not None:
            return SnapshotContext(**base, taken_at=stamp, basis="manifest")
        newest = _newest_file(account)
        if newest is not None:
            return SnapshotContext(**base, taken_at=newest, basis="newest file")
        return SnapshotContext(**base, taken_at=None, basis="unknown")
    if loaded_at is not None:
        return SnapshotContext(**base, taken_at=loaded_at, basis="live collection")
    return SnapshotContext(**base, taken_at=None, basis="unknown")
