"""Take the answer away: Markdown (incident ticket), JSON or Mermaid, to a file or the clipboard.

The documents are rendered by the domain (``diagnostics.report`` for a :class:`CheckResult`,
``Walk.to_json`` / ``diagnostics.walk_report`` for a walk); this screen only chooses and writes.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from vpcdoctor.tui.failures import describe_error
from vpcdoctor.tui.screens.copying import Copying
from vpcdoctor.tui.text import block as clean_block
from vpcdoctor.tui.text import line as clean

if TYPE_CHECKING:
    from vpcdoctor.diagnostics.context import SnapshotContext
    from vpcdoctor.diagnostics.findings import Walk
    from vpcdoctor.graph.model.verdict import CheckResult


@dataclass(frozen=True, slots=True)
class Document:
    """One export format of the current answer."""

    label: str
    extension: str
    render: Callable[[], str] | None
    """None: this build has no renderer for the format (the reason is in ``missing``)."""
    missing: str = ""


def _with_context(document: dict[str, Any], context: SnapshotContext | None) -> dict[str, Any]:
    """The JSON document with a ``context`` key (account, Region, snapshot time and age) added;
    the verdict's own keys stay exactly DESIGN.md's."""
    return {**document, "context": context.to_json()} if context is not None else document


def _mermaid_with_context(text: str, context: SnapshotContext | None) -> str:
    if context is None:
        return text
    # A Mermaid comment: the account, Region and time are ids and numbers, never names.
    return f"%% {context.header()}\n{text}"


def check_documents(result: CheckResult, context: SnapshotContext | None = None) -> list[Document]:
    """Markdown, JSON and Mermaid of one ``check`` answer, each saying where it comes from."""
    from vpcdoctor.diagnostics.report import markdown, mermaid

    return [
        Document("Markdown (incident ticket)", "md", lambda: markdown(result, context)),
        Document(
            "JSON",
            "json",
            lambda: json.dumps(_with_context(result.to_json(), context), indent=2) + "\n",
        ),
        Document("Mermaid diagram", "mmd", lambda: _mermaid_with_context(mermaid(result), context)),
    ]


def walk_documents(walk: Walk, context: SnapshotContext | None = None) -> list[Document]:
    """Markdown and JSON of a checklist walk, each saying where it comes from."""
    from vpcdoctor.diagnostics.walk_report import to_markdown

    def markdown() -> str:
        text = to_markdown(walk)
        if context is None:
            return text
        head, _, rest = text.partition("\n\n")
        return f"{head}\n\n" + "\n".join(context.markdown_lines()) + f"\n\n{rest}"

    return [
        Document("Markdown (incident ticket)", "md", markdown),
        Document(
            "JSON",
            "json",
            lambda: json.dumps(_with_context(walk.to_json(), context), indent=2) + "\n",
        ),
    ]


def default_path(
    function: str, extension: str, now: datetime | None = None, directory: str | None = None
) -> str:
    """``<cwd>/vpcdoctor-<function>-<timestamp>.<ext>`` with a file-system-safe function name;
    the directory is shown whole, so the person sees where it will go before saving."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", function).strip("._")[:64] or "function"
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    where = directory if directory is not None else os.getcwd()
    return os.path.join(where, f"vpcdoctor-{safe}-{stamp}.{extension}")


def write_new_file(path: Path, text: str) -> None:
    """Create ``path`` (owner-only permissions); an existing file is never overwritten."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


class ExportScreen(Copying, ModalScreen[str | None]):
    """Choose a format, then save to a file and/or copy to the clipboard."""

    CSS_PATH = "export.tcss"
    AUTO_FOCUS = "#export-path"
    SHOW_WHEN_UNSURE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "cancel", "Cancel", tooltip="Close without exporting", id="cancel-export"
        ),
        Binding(
            "ctrl+s",
            "save",
            "Save",
            tooltip="Write the document to the file named above",
            id="save-export",
            priority=True,
        ),
        Binding(
            "ctrl+y",
            "copy",
            "Copy",
            tooltip="Copy the document to the clipboard",
            id="copy-export",
            priority=True,
        ),
    ]

    def __init__(self, function: str, documents: list[Document]) -> None:
        super().__init__()
        self.function = function
        self.documents = documents
        self.chosen = next((i for i, d in enumerate(documents) if d.render is not None), 0)
        self.path_edited = False

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box") as box:
            box.border_title = f"Export · {clean(self.function, limit=50)}"
            with RadioSet(id="export-format"):
                for i, document in enumerate(self.documents):
                    label = document.label if document.render else f"{document.label} (n/a)"
                    yield RadioButton(
                        label,
                        value=i == self.chosen,
                        id=f"format-{i}",
                        disabled=document.render is None,
                    )
            yield Label("Where to write it (edit the path; enter or ctrl+s saves):")
            yield Input(default_path(self.function, self.document.extension), id="export-path")
            yield Static("", id="export-preview", markup=False)
            with Horizontal(id="export-buttons"):
                yield Button("Save  ctrl+s", variant="primary", id="save")
                yield Button("Copy  ctrl+y", id="copy")
                yield Button("Cancel  esc", id="cancel")

    @property
    def document(self) -> Document:
        return self.documents[self.chosen]

    def on_mount(self) -> None:
        self._preview()

    def _rendered_document(self) -> str | None:
        document = self.document
        if document.render is None:
            self.notify(f"{document.label}: {document.missing}", severity="warning")
            return None
        try:
            return document.render()
        except Exception as error:  # a notification, never a traceback
            self.notify(
                describe_error(error)[0],
                title=f"Could not render {document.label}",
                severity="error",
                markup=False,
            )
            return None

    def _preview(self) -> None:
        preview = self.query_one("#export-preview", Static)
        document = self.document
        if document.render is None:
            preview.update(Text(document.missing, style="dim"))
            return
        try:
            text = document.render()
        except Exception as error:
            preview.update(Text(describe_error(error)[0], style="red"))
            return
        lines = clean_block(text).splitlines()
        shown = "\n".join(lines[:10]) + ("\n…" if len(lines) > 10 else "")
        preview.update(Text(shown, style="dim"))

    @on(RadioSet.Changed, "#export-format")
    def format_changed(self, event: RadioSet.Changed) -> None:
        self.chosen = event.radio_set.pressed_index
        path_input = self.query_one("#export-path", Input)
        if not self.path_edited:
            path_input.value = default_path(self.function, self.document.extension)
        else:
            stem, dot, _ = path_input.value.rpartition(".")
            if dot:
                path_input.value = f"{stem}.{self.document.extension}"
        self._preview()

    @on(Input.Changed, "#export-path")
    def path_changed(self, event: Input.Changed) -> None:
        if event.value != default_path(self.function, self.document.extension):
            self.path_edited = True

    @on(Input.Submitted, "#export-path")
    def path_submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#save")
    def save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#copy")
    def copy_pressed(self) -> None:
        self.action_copy()

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.action_cancel()

    def action_save(self) -> None:
        text = self._rendered_document()
        if text is None:
            return
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            self.notify("Type a file name first.", severity="warning")
            return
        path = Path(raw).expanduser()
        try:
            write_new_file(path, text)
        except FileExistsError:
            self.notify(
                f"{clean(raw)} already exists; choose another name.", severity="error", markup=False
            )
            return
        except OSError as error:
            self.notify(
                f"Could not write {clean(raw)}: {clean(error.strerror or error)}",
                severity="error",
                markup=False,
            )
            return
        self.notify(f"Saved {clean(raw)}", markup=False)
        self.dismiss(str(path))

    def action_copy(self) -> None:
        text = self._rendered_document()
        if text is None:
            return
        from vpcdoctor.tui.clipboard import document_text

        self.copy_text(document_text(text), self.document.label)

    def action_cancel(self) -> None:
        self.dismiss(None)
