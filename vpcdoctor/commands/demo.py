"""``vpcdoctor demo``: the TUI on the bundled demo account (no AWS needed)."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    from vpcdoctor.tui.app import make_app

    app = make_app(demo=True, lang=getattr(args, "lang", None) or "en")
    code = app.run()
    return code if isinstance(code, int) else 0
