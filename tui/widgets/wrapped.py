"""A static text that wraps by :mod:`vpcdoctor.tui.wrap`'s rules (Japanese-aware, never inside
an id or a URL) at whatever width it gets. A token longer than the line stays whole: the box
it is in scrolls sideways instead."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from vpcdoctor.tui.wrap import wrap_text


class WrappedText(Widget):
    """Like ``Static`` for a ``rich.text.Text``, wrapped by the line-breaking rules."""

    DEFAULT_CSS = "WrappedText { height: auto; width: auto; }"

    def __init__(
        self, text: Text | None = None, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.text = text or Text()
        self._wrap_width = 0
        """The width lines are wrapped to: the container's, even when a long token makes the
        widget itself wider (it must not re-wrap everything to the token's width)."""

    def update(self, text: Text) -> None:
        self.text = text
        self.refresh(layout=True)

    def lines(self, width: int) -> list[Text]:
        return wrap_text(self.text, max(width, 1))

    def get_content_width(self, container: Size, viewport: Size) -> int:
        self._wrap_width = container.width
        widest = max((cell_len(line.plain) for line in self.lines(container.width)), default=0)
        return max(container.width, widest)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(self._wrap_width or width))

    def render(self) -> Text:
        lines = self.lines(self._wrap_width or self.size.width)
        out = Text("\n").join(lines)
        out.no_wrap = True
        out.overflow = "ignore"
        return out
