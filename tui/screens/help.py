"""``?``: the keys of the screen beneath, with what they do."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

GENERAL_KEYS: tuple[tuple[str, str], ...] = (
    ("ctrl+p", "Command palette: every action of this screen, and 'Diagnose <function>'"),
    ("tab / shift+tab", "Move between the parts of the screen"),
    ("ctrl+t", "Switch between the light and the dark theme"),
    ("ctrl+q", "Quit"),
)


class HelpScreen(ModalScreen[None]):
    """A modal table of the bindings active on ``screen``."""

    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close", tooltip="Close the help", id="close-help"),
    ]

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self.beneath = screen
        self.rows: list[tuple[str, str]] = []
        """(key, what it does) as shown, for tests and the palette's sake."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box") as box:
            box.border_title = "Keys"
            box.border_subtitle = "escape to close"
            intro = getattr(self.beneath, "HELP", None)
            if intro:
                yield Static(Text(intro.strip()), id="help-intro", markup=False)
            yield Static(self._table(), id="help-keys", markup=False)

    def _table(self) -> Table:
        table = Table(box=None, show_header=False, expand=True, padding=(0, 2, 0, 0))
        table.add_column("key", style="bold", no_wrap=True)
        table.add_column("what it does", ratio=1)
        seen: set[str] = set()
        for active in self.beneath.active_bindings.values():
            binding = active.binding
            if binding.id is None or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            self.rows.append(
                (self.app.get_key_display(binding), binding.tooltip or binding.description)
            )
        self.rows.extend(getattr(self.beneath, "HELP_KEYS", ()))
        for key, text in self.rows:
            table.add_row(key, Text(text))
        for key, text in GENERAL_KEYS:
            table.add_row(Text(key, style="dim"), Text(text, style="dim"))
        return table
