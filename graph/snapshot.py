"""Offline snapshot loader: a directory of raw AWS CLI JSON outputs → :class:`Account`.

(Skeleton: the interface the collector and the CLI rely on. Implementation in progress.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vpcdoctor.graph.model import Account, Gap


@dataclass(frozen=True, slots=True, kw_only=True)
class RawOutput:
    """One recognised AWS output, as read from a file or returned by a live call."""

    kind: str
    """A :data:`vpcdoctor.graph.kinds.KINDS` name."""
    owner: str | None
    """The ``@id`` for outputs that do not name their owner (zone id, function name…)."""
    data: dict[str, Any]
    """The unmodified JSON document (pages merged)."""
    source: str
    """Where it came from: a file path, or ``live:ec2:DescribeVpcs``."""


def load_snapshot(path: Path) -> Account:
    """Read every JSON file under ``path`` (any nesting) and build the account."""
    raise NotImplementedError


def build_account(
    outputs: Iterable[RawOutput],
    *,
    gaps: Iterable[Gap] = (),
    account_id: str | None = None,
    region: str | None = None,
) -> Account:
    """Validate, merge and convert raw outputs into the typed model (shared with live mode)."""
    raise NotImplementedError
