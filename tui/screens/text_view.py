"""A modal that shows text to read or select: the raw JSON record, a console URL, or a copy
that could not be confirmed (select it and copy it with the terminal)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from vpcdoctor.tui.text import block, literal


class TextViewScreen(ModalScreen[None]):
    """Title, a note, and the text in a read-only, selectable area."""

    CSS_PATH = "text_view.tcss"
    AUTO_FOCUS = "#text-view-body"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close", tooltip="Close this view", id="close-text-view"),
    ]

    def __init__(self, title: str, text: str, *, note: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.text = block(text, limit=200_000)
        """What is shown (sanitised), for tests."""
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="text-view-box") as box:
            box.border_title = self.title_text
            box.border_subtitle = "esc close · shift+drag or the keys select"
            if self.note:
                yield Static(literal(self.note, limit=600), id="text-view-note", markup=False)
            area = TextArea(self.text, read_only=True, id="text-view-body", soft_wrap=True)
            area.show_line_numbers = False
            yield area
            yield Static(Text(""), id="text-view-end", markup=False)

    def on_mount(self) -> None:
        self.query_one("#text-view-body", TextArea).select_all()
