"""Copy to the clipboard for real, off the app's thread, and say how it went.

The OSC 52 escape is written at once, on the app's thread (it is a write to the terminal);
the ways that run a program (``tmux load-buffer``, ``xclip``…) run in a thread worker, and the
result comes back as :class:`~vpcdoctor.tui.messages.Copied`: a notice naming how it was
copied, or, when nothing is known to have worked, the text offered to select by hand.
"""

from __future__ import annotations

from typing import Any

from textual import work

from vpcdoctor.tui.clipboard import copy
from vpcdoctor.tui.messages import Copied


class Copying:
    """Mixin for screens: :meth:`copy_text`, and ``v`` to show the last copied text."""

    last_copied: str = ""
    SHOW_WHEN_UNSURE = False
    """Offer the text to select whenever the copy is not known to have worked (screens without
    a ``v`` key: the export modal, whose focus is in a text box)."""

    def copy_text(self, text: str, what: str, *, offer: bool = True) -> None:
        """Copy ``text`` (already sanitised: :func:`~vpcdoctor.tui.clipboard.clipboard_text`
        or :func:`~vpcdoctor.tui.clipboard.document_text`)."""
        self.last_copied = text
        app: Any = self.app  # type: ignore[attr-defined]
        app.copy_to_clipboard(text)  # OSC 52, now
        self._copy_elsewhere(text, what, offer)

    @work(thread=True, exclusive=True, group="clipboard")
    def _copy_elsewhere(self, text: str, what: str, offer: bool) -> None:
        # OSC 52 was sent already, on the app's thread.
        report = copy(text, osc52=lambda _text: None)
        self.post_message(Copied(text, what, report, offer=offer))  # type: ignore[attr-defined]

    def on_copied(self, message: Copied) -> None:
        from vpcdoctor.tui.screens.text_view import TextViewScreen

        report = message.report
        label = message.what[:1].upper() + message.what[1:]
        if report.certain:
            self.notify(f"{label}: {report.message()}", markup=False)  # type: ignore[attr-defined]
            return
        note = report.message() + (f" ({report.blocked})" if report.blocked else "")
        unsure = self.SHOW_WHEN_UNSURE or report.blocked or not report.ways
        if message.offer and unsure:
            self.app.push_screen(  # type: ignore[attr-defined]
                TextViewScreen(f"Copy the {message.what}", message.text, note=note)
            )
        else:
            self.notify(  # type: ignore[attr-defined]
                f"{label}: {note} (v shows it)", markup=False, timeout=8
            )

    def action_show_copied(self) -> None:
        from vpcdoctor.tui.screens.text_view import TextViewScreen

        if not self.last_copied:
            self.notify("Nothing was copied yet.", severity="warning")  # type: ignore[attr-defined]
            return
        self.app.push_screen(TextViewScreen("Last copied", self.last_copied))  # type: ignore[attr-defined]
