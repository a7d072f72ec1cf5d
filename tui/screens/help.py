"""``?``: the keys of the screen beneath, with what they do."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

GENERAL_KEYS: tuple[tuple[str, str], ...] = (
    ("ctrl+p", "Command palette: every action of this screen, and 'Diagnose <function>'"),
    ("tab", "Move between the parts of the screen (shift+tab: back)"),
    ("ctrl+t", "Switch between the light and the dark theme"),
    ("ctrl+q", "Quit"),
)
"""Keys of every screen, listed after the screen's own unless one of those already is."""


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
        self.rows = help_rows(self.app, self.beneath)
        general = {self.app.get_key_display(Binding(key, "")) for key, _ in GENERAL_KEYS}
        for key, text in self.rows:
            style = "dim" if key in general else ""
            table.add_row(Text(key, style=style), Text(text, style=style))
        return table


def help_rows(app: App[Any], screen: Screen[Any]) -> list[tuple[str, str]]:
    """(keys, what they do) for ``screen``: each action once, each key once, a group of keys
    (``1…9``, ``← →``) as one row, then the keys of every screen not already listed."""
    rows: list[tuple[str, str]] = []
    seen_actions: set[str] = set()
    seen_keys: set[str] = set()
    groups: dict[str, list[str]] = {}
    group_text: dict[str, str] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if binding.id is None or not binding.description:
            continue
        key = app.get_key_display(binding)
        if key in seen_keys:
            continue
        if binding.group is not None:
            name = binding.group.description
            if name not in groups:
                groups[name] = []
                group_text[name] = binding.tooltip or binding.description
                rows.append((f"\0{name}", ""))
            groups[name].append(key)
            seen_keys.add(key)
            continue
        if binding.action in seen_actions:
            continue
        seen_actions.add(binding.action)
        seen_keys.add(key)
        rows.append((key, binding.tooltip or binding.description))
    shown: list[tuple[str, str]] = []
    for key, text in rows:
        if key.startswith("\0"):
            name = key[1:]
            keys = groups[name]
            joined = f"{keys[0]}…{keys[-1]}" if len(keys) > 2 else " ".join(keys)
            shown.append((joined, group_text[name]))
        else:
            shown.append((key, text))
    for key, text in GENERAL_KEYS:
        display = app.get_key_display(Binding(key, ""))
        if display not in seen_keys:
            seen_keys.add(display)
            shown.append((display, text))
    return shown
