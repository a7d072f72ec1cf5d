"""One header line: where you are on the left, where the answer comes from on the right.

``vpcdoctor — orders-api          read-only · snapshot 2026-11-30 14:02 UTC (18 h old) · …``

The right part (the app's :meth:`~vpcdoctor.tui.app.VpcDoctorApp.context_line`) is cut at the
end when the terminal is narrow, so the account id goes first and "read-only" stays.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Static


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
