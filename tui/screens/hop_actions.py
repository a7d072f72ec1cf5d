"""The keys that act on the selected hop: copy its id or fix, its console URL, its raw record.

A mixin for the diagnosis screen: it provides ``selected_hop()`` and ``result``. Copies go
through :mod:`vpcdoctor.tui.clipboard` (sanitised, one line per command, and the notice says
how it was copied); the raw record is looked up in a thread worker (it reads the snapshot).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.binding import Binding, BindingType
from textual.worker import get_current_worker

from vpcdoctor.tui.clipboard import clipboard_text
from vpcdoctor.tui.console import console_url
from vpcdoctor.tui.messages import RawFound
from vpcdoctor.tui.screens.copying import Copying
from vpcdoctor.tui.text import line

if TYPE_CHECKING:
    from vpcdoctor.graph.model.verdict import Hop


def fix_lines(hop: Hop) -> list[str]:
    """What ``f`` copies: the best fix option's commands, one a line; else the fix text as
    one line (a line break in it may come from a name, and a pasted line feed runs)."""
    commands = getattr(hop, "commands", ())
    if commands:
        return [command.text for command in commands]
    return [hop.fix] if hop.fix else []


class HopActions(Copying):
    """``y`` id, ``f`` fix, ``o`` console URL, ``j`` raw JSON, ``v`` the last copied text."""

    HOP_BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "y",
            "copy_id",
            "Copy id",
            tooltip="Copy the selected hop's resource id",
            id="copy-id",
            show=False,
        ),
        Binding("f", "copy_fix", "Copy fix", tooltip="Copy the selected hop's fix", id="copy-fix"),
        Binding(
            "o",
            "console_url",
            "Console",
            tooltip="Show and copy the AWS console URL of the selected hop's resource",
            id="console-url",
            show=False,
        ),
        Binding(
            "j",
            "raw_record",
            "Raw JSON",
            tooltip="Show the raw JSON record the selected hop was decided from",
            id="raw-json",
            show=False,
        ),
        Binding(
            "v",
            "show_copied",
            "Show copied",
            show=False,
            tooltip="Show the last copied text, to select it by hand",
            id="show-copied",
        ),
    ]

    def selected_hop(self) -> Hop | None:  # provided by the screen
        raise NotImplementedError

    def _notify(self, *args: Any, **kwargs: Any) -> None:
        self.notify(*args, **kwargs)  # type: ignore[attr-defined]

    def copy_lines(self, lines: list[str], what: str) -> None:
        """Copy ``lines`` (sanitised, one line each) and say how it went."""
        text = clipboard_text(lines)
        if not text:
            self._notify(f"Nothing to copy: this hop has no {what}.", severity="warning")
            return
        self.copy_text(text, what)

    def action_copy_id(self) -> None:
        hop = self.selected_hop()
        if hop is None or not hop.resource:
            self._notify("Select a hop with a resource id first.", severity="warning")
            return
        self.copy_lines([hop.resource], "resource id")

    def action_copy_fix(self) -> None:
        hop = self.selected_hop()
        result = getattr(self, "result", None)
        lines = fix_lines(hop) if hop is not None else []
        if not lines and result is not None and result.blocking is not None:
            lines = fix_lines(result.blocking)
        if not lines:
            self._notify("No fix to copy for this hop.", severity="warning")
            return
        self.copy_lines(lines, "fix")

    def action_console_url(self) -> None:
        from vpcdoctor.tui.screens.text_view import TextViewScreen

        hop = self.selected_hop()
        if hop is None or not hop.resource:
            self._notify("Select a hop with a resource first.", severity="warning")
            return
        account = self.app.account  # type: ignore[attr-defined]
        region = account.region if account is not None else None
        url = console_url(hop.resource, hop.kind, region)
        if url is None:
            why = "the account's Region is not known" if not region else "no console page for it"
            self._notify(
                f"No console URL for {line(hop.resource, limit=60)}: {why}.", severity="warning"
            )
            return
        # Shown to select in any case (printed), and copied: the notice says how.
        self.app.push_screen(  # type: ignore[attr-defined]
            TextViewScreen(
                f"AWS console · {line(hop.resource, limit=60)}",
                url,
                note=f"The console page in {region}; it is being copied too.",
            )
        )
        self.copy_text(url, "console URL", offer=False)

    def action_raw_record(self) -> None:
        hop = self.selected_hop()
        if hop is None or not hop.resource:
            self._notify("Select a hop with a resource first.", severity="warning")
            return
        self.find_raw(hop.resource)

    @work(thread=True, exclusive=True, group="raw")
    def find_raw(self, resource: str) -> None:
        from vpcdoctor.tui.raw import find_record

        worker = get_current_worker()
        account = self.app.account  # type: ignore[attr-defined]
        record = find_record(account, resource) if account is not None else None
        if not worker.is_cancelled:
            self.post_message(RawFound(resource, record))  # type: ignore[attr-defined]

    def on_raw_found(self, message: RawFound) -> None:
        from vpcdoctor.tui.screens.text_view import TextViewScreen

        record = message.record
        if record is None:
            self._notify(
                f"{line(message.resource, limit=60)} has no record in the snapshot "
                "(the hop was decided from what is missing).",
                severity="warning",
            )
            return
        self.app.push_screen(  # type: ignore[attr-defined]
            TextViewScreen(
                f"Raw JSON · {line(record.resource, limit=60)}",
                record.text,
                note=f"from {record.source}",
            )
        )
