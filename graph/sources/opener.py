"""Where an :class:`~vpcdoctor.graph.model.Account` comes from: a snapshot, the demo, or live AWS.

The CLI and the TUI call :func:`open_account` and nothing else, so the three sources stay
interchangeable (the same raw AWS shapes feed the same model).
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vpcdoctor.graph.model import Account


def demo_snapshot_dir() -> Path:
    """The bundled demo account (package data, present after a plain ``pip install .``)."""
    return Path(str(resources.files("vpcdoctor.graph") / "demo" / "snapshot"))


def open_account(
    *,
    snapshot: str | Path | None = None,
    demo: bool = False,
    profile: str | None = None,
    region: str | None = None,
    function: str | None = None,
    progress: Callable[[Any], None] | None = None,
    cache: bool = True,
) -> Account:
    """Load the account from the chosen source.

    Args:
        snapshot: an offline snapshot directory.
        demo: use the bundled demo account.
        profile: AWS profile for live mode.
        region: AWS region for live mode.
        function: in live mode, collect only what this function's path can touch.
        progress: in live mode, called with collector progress events.
        cache: reuse (and store) the loaded snapshot in the user's cache directory
            (:mod:`vpcdoctor.graph.sources.cache`; ``VPCDOCTOR_NO_CACHE=1`` also turns it off).
    """
    if demo:
        snapshot = demo_snapshot_dir()
    if snapshot is not None:
        if cache:
            from vpcdoctor.graph.sources.cache import load_snapshot_cached

            return _settled(load_snapshot_cached(Path(snapshot)))
        from vpcdoctor.graph.sources.snapshot import load_snapshot

        return _settled(load_snapshot(Path(snapshot)))
    from vpcdoctor.graph.live.collect import collect_account

    return _settled(
        collect_account(profile=profile, region=region, function=function, progress=progress)
    )


_FROZEN = False


def _settled(account: Account) -> Account:
    """Move everything alive after the first load (the account, the imported modules) out of
    the cyclic GC's reach: the account is large, acyclic and kept until exit, and every later
    generation-2 pass (graph build, an audit's thousands of checks, the TUI) would otherwise
    traverse it again. A second load in the same process (the TUI's reload, tests) unfreezes
    instead, so that what the first account left behind can be collected: frozen objects are
    never collected, and a replaced account's graph has reference cycles."""
    global _FROZEN
    if not _FROZEN:
        _FROZEN = True
        gc.freeze()
    elif gc.get_freeze_count():
        gc.unfreeze()
    return account
