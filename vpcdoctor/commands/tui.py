"""``vpcdoctor`` with no command: the TUI on live AWS or ``--snapshot DIR``."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    """Open the TUI on the source the arguments name; the account loads inside the app."""
    from vpcdoctor.tui.app import make_app

    app = make_app(
        snapshot=getattr(args, "snapshot", None),
        demo=bool(getattr(args, "demo", False)),
        profile=getattr(args, "profile", None),
        region=getattr(args, "region", None),
        lang=getattr(args, "lang", None) or "en",
    )
    code = app.run()
    return code if isinstance(code, int) else 0
