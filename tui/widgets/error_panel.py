"""A panel that says what went wrong and what to do, in place of a traceback."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from vpcdoctor.tui.text import block as clean_block
from vpcdoctor.tui.text import line


class ErrorPanel(Static):
    """Hidden until :meth:`show_error`; ``hide`` puts it away again."""

    DEFAULT_CSS = """
    ErrorPanel {
        display: none;
        height: auto;
        border: round $error;
        border-title-color: $error;
        border-title-style: bold;
        padding: 0 1;
        margin: 0 0 1 0;
    }
    ErrorPanel.-shown { display: block; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", markup=False, id=id, classes=classes)
        self.message = ""

    def show_error(self, title: str, message: str, hint: str = "") -> None:
        self.message = message
        self.border_title = title
        # The message names files and values from the snapshot: one line, like the CLI's
        # stderr (a file name's line feed must not forge a second line).
        parts: list[Text] = [Text(line(message, limit=2000))]
        if hint:
            parts.append(Text(clean_block(hint, limit=1000), style="italic"))
        self.update(Group(*parts))
        self.add_class("-shown")

    def hide(self) -> None:
        self.message = ""
        self.remove_class("-shown")
