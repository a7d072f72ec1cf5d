"""Where accounts come from: snapshot files (recognised, checked against botocore shapes,
parsed), the authenticated cache, and :func:`~.opener.open_account` choosing between them and
live AWS."""

from __future__ import annotations

from vpcdoctor.graph.model import Account, SourceNote

__all__ = ["unused_files"]


def unused_files(account: Account) -> tuple[SourceNote, ...]:
    """The files the loader set aside, each with why ("not used: not a .json file", "not used:
    empty file", "not used: not a recognised AWS CLI output (top-level keys: …)", "not used:
    Batfish's LoadBalancerAttributes …, which vpcdoctor does not read", "not read: a symbolic
    link leading outside the snapshot directory", a missing ``@id`` …), in load order."""
    return tuple(s for s in account.sources if s.kind is None)
