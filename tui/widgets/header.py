"""One header line: where you are on the left, where the answer comes from on the right.

``read-only · snapshot 2026-11-30 14:02 (18 h old) · account 1234… · ap-northeast-1``

The right part (the app's :meth:`~vpcdoctor.tui.app.VpcDoctorApp.context_line`, built by
:func:`header_line`) is cut at the end when the terminal is narrow: "read-only" and the
snapshot's age go first, then the account, then the Region.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Static

from vpcdoctor.tui.text import line

if TYPE_CHECKING:
    from vpcdoctor.diagnostics.context import SnapshotContext


def header_line(context: SnapshotContext, now: datetime | None = None) -> str:
    """``read-only · snapshot 2026-11-30 14:02 (18 h old) · account 1234… · ap-northeast-1``
    (the time in UTC; the export says how the time is known)."""
    parts = ["read-only"]
    if context.basis == "demo":
        parts.append("demo account (fictional, no snapshot time)")
    elif context.taken_at is None:
        parts.append("snapshot time unknown")
    else:
        stamp = context.taken_at.strftime("%Y-%m-%d %H:%M")
        if context.basis == "live collection":
            parts.append(f"collected live {stamp} UTC")
        else:
            parts.append(f"snapshot {stamp} ({context.age(now)})")
    if context.account:
        parts.append(f"account {line(context.account, limit=20)}")
    if context.region:
        parts.append(line(context.region, limit=30))
    return " · ".join(parts)


class AppHeader(Horizontal):
    """The screen's place and the account's provenance, in one row."""

    DEFAULT_CSS = """
    AppHeader { height: 1; background: $panel; }
    AppHeader > #header-where { width: auto; max-width: 50%; padding: 0 1; text-style: bold;
        text-wrap: nowrap; text-overflow: ellipsis; }
    AppHeader > #header-context { width: 1fr; color: $text-muted; padding: 0 1;
        text-align: right; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    where: reactive[str] = reactive("")
    """Where the person is (a function, "checklist · orders-api"); already sanitised."""

    def compose(self) -> ComposeResult:
        yield Static("vpcdoctor", id="header-where", markup=False)
        yield Static("", id="header-context", markup=False)

    def on_mount(self) -> None:
        self.refresh_context()

    def watch_where(self, where: str) -> None:
        text = Text("vpcdoctor")
        if where:
            text.append(f" — {where}")
        if self.is_mounted:
            self.query_one("#header-where", Static).update(text)

    def refresh_context(self) -> None:
        context_line = getattr(self.app, "context_line", None)
        text = context_line() if callable(context_line) else ""
        self.query_one("#header-context", Static).update(Text(text))
        self.query_one("#header-where", Static).update(
            Text("vpcdoctor" + (f" — {self.where}" if self.where else ""))
        )
