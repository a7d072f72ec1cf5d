"""``--assume FILE`` and ``--plan``: the what-if options that check, audit and walk share.

Kept apart from each command so that each gains two lines: open the account, then
``account, assumed = assume(args, account)``; the output says a what-if was applied and that
nothing in AWS changed.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from vpcdoctor.graph.model import Account
from vpcdoctor.graph.whatif import WhatIf

NOTHING_CHANGED = "nothing in AWS changed"


def assume(args: argparse.Namespace, account: Account) -> tuple[Account, WhatIf | None]:
    """The account with ``--assume FILE`` applied (a copy), and what was applied."""
    path = getattr(args, "assume", None)
    if not path:
        return account, None
    from vpcdoctor.graph.whatif import assume_file

    applied = assume_file(account, path)
    return applied.account, applied


def banner(assumed: WhatIf | None) -> str:
    """One line saying what was applied in memory ("" without ``--assume``)."""
    if assumed is None:
        return ""
    from vpcdoctor.diagnostics.safe_text import clean

    n = len(assumed.applied)
    return (
        f"What-if: {n} command{'s' if n != 1 else ''} from {clean(assumed.source or '-')} "
        f"applied to a copy in memory; {NOTHING_CHANGED}.\n"
    )


def print_banner(assumed: WhatIf | None, *, markdown: bool = False) -> None:
    text = banner(assumed)
    if text:
        sys.stdout.write(f"> {text}\n" if markdown else text)


def with_assumed(document: dict[str, Any], assumed: WhatIf | None) -> dict[str, Any]:
    """``document`` with an ``assumed`` key after the existing ones (when a what-if applied)."""
    if assumed is not None:
        document = {**document, "assumed": assumed.to_json()}
    return document
