"""It worked yesterday: the loaded account compared with a second snapshot.

``ctrl+o`` on the overview opens this screen; type the other snapshot's directory and press
enter. The snapshot is read and every (function, target) pair checked on both
(``diagnostics.diff.diff``, the same as ``vpcdoctor diff OLD NEW``) in a thread worker. The
older of the two (by the snapshots' own times; the one opened here when a time is unknown) is
OLD. The pairs whose verdict differs are listed, worse first; the highlighted pair's changed
resources (a route removed, a rule edited, an association gone) are shown beside, the blocking
one first. ``enter`` opens the function's diagnosis on the loaded account.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from vpcdoctor.tui.failures import describe_error
from vpcdoctor.tui.i18n import Localized
from vpcdoctor.tui.messages import DiffFailed, DiffReady
from vpcdoctor.tui.text import line, literal
from vpcdoctor.tui.widgets.error_panel import ErrorPanel
from vpcdoctor.tui.widgets.header import AppHeader

if TYPE_CHECKING:
    from vpcdoctor.diagnostics.diff import Diff, PairDiff
    from vpcdoctor.graph.model import Account
    from vpcdoctor.tui.app import VpcDoctorApp

_MARK = {"reachable": ("✔", "green"), "unreachable": ("✘", "red"), "unknown": ("?", "yellow")}


def _verdict(text: Text, verdict: object) -> None:
    symbol, style = _MARK.get(str(verdict), ("?", "yellow"))
    text.append(f"{symbol} {verdict}", style=style)


def pair_text(pair: PairDiff) -> Text:
    """``billing-reconciler → internet   ✔ reachable → ✘ unreachable (CODE at rtb-…)``."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append_text(literal(pair.function, "bold", limit=48))
    text.append(" → ")
    text.append_text(literal(pair.target.input, "bold", limit=48))
    text.append("  ")
    _verdict(text, pair.before.verdict)
    text.append(" → ")
    _verdict(text, pair.after.verdict)
    blocking = pair.after.blocking if pair.worse else pair.before.blocking
    if blocking is not None:
        text.append(f"  {line(blocking.code, limit=48)} at ", style="dim")
        text.append_text(literal(blocking.resource or "-", "dim", limit=40))
    return text


def changes_text(pair: PairDiff) -> Text:
    """The changed resources on the pair's paths, the blocking one first, one change a line."""
    text = Text()
    text.append("Changed on the path", style="bold")
    text.append(f"  ({line(pair.function, limit=40)} → {line(pair.target.input, limit=40)})\n")
    if not pair.resources:
        text.append("No resource on either path changed in the snapshots' records.", style="dim")
        return text
    for change in pair.resources:
        text.append_text(literal(change.resource, "bold cyan", limit=60))
        text.append(f" [{line(change.kind, limit=40)}]", style="dim")
        if change.blocking:
            text.append("  ◀ blocks", style="bold red")
        text.append("\n")
        for item in change.changes:
            text.append("  - ")
            text.append_text(literal(item, limit=400))
            text.append("\n")
    return text


def summary_text(diff: Diff, old: str, new: str) -> Text:
    text = Text()
    text.append(f"{len(diff.changed)} of {diff.compared} checks changed verdict", style="bold")
    text.append(" between OLD ")
    text.append_text(literal(old, "cyan", limit=80))
    text.append(" and NEW ")
    text.append_text(literal(new, "cyan", limit=80))
    for label, names in (("only in OLD", diff.only_in_old), ("only in NEW", diff.only_in_new)):
        if names:
            text.append(f"\nFunctions {label}: ", style="dim")
            text.append(line(", ".join(names), limit=300))
    return text


def order(
    loaded: Account, loaded_name: str, other: Account, other_name: str, app: Any, path: str
) -> tuple[Account, str, Account, str]:
    """(old, old name, new, new name): the older snapshot is OLD; without both times, the one
    opened here is (you open the snapshot from when it worked)."""
    from vpcdoctor.diagnostics.context import snapshot_context

    mine = app.context()
    theirs = snapshot_context(other, snapshot=path)
    if mine is not None and mine.taken_at and theirs.taken_at and mine.taken_at < theirs.taken_at:
        return loaded, loaded_name, other, other_name
    return other, other_name, loaded, loaded_name


class DiffScreen(Localized, Screen[None]):
    """The pairs whose verdict differs between the loaded account and a second snapshot."""

    CSS_PATH = "diff.tcss"
    AUTO_FOCUS = "#diff-path"
    HELP = (
        "Compare the loaded account with a second snapshot (vpcdoctor export DIR writes one): "
        "type its directory and press enter. Every function is checked against the audit's "
        "targets on both; the pairs whose verdict differs are listed, those that got worse "
        "first, with the resources on their path that changed (a route removed, a rule "
        "edited, an association gone). Enter opens the function's diagnosis."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "app.overview", "Overview", tooltip="Back to the account overview", id="back"
        ),
        Binding(
            "ctrl+o",
            "focus_path",
            "Snapshot",
            tooltip="Type the directory of the snapshot to compare with",
            id="diff-path",
        ),
    ]

    def __init__(self, path: str | None = None) -> None:
        super().__init__()
        self.initial_path = path or ""
        self.diff: Diff | None = None
        self.error: str | None = None
        self.names: tuple[str, str] = ("", "")

    @property
    def doctor(self) -> VpcDoctorApp:
        return cast("VpcDoctorApp", self.app)

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with Horizontal(id="diff-ask"):
            yield Label("Compare with snapshot ", id="diff-label")
            yield Input(
                self.initial_path,
                placeholder="DIR (written by vpcdoctor export), then enter",
                id="diff-path",
                compact=True,
            )
        yield ErrorPanel(id="error")
        yield Static(
            Text("Type the directory of another snapshot and press enter.", style="dim"),
            id="diff-summary",
            markup=False,
        )
        yield OptionList(id="diff-pairs")
        with VerticalScroll(id="diff-changes-box"):
            yield Static("", id="diff-changes", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(AppHeader).where = "diff"
        self.localize_titles(self.doctor.lang)
        if self.initial_path:
            self.compare(self.initial_path)

    def localize_titles(self, lang: str) -> None:
        from vpcdoctor.tui.i18n import title

        pairs = self.query_one("#diff-pairs", OptionList)
        pairs.border_title = title(lang, "diff_pairs", "Verdicts that changed")

    # ---- comparing ----------------------------------------------------------------------
    def compare(self, path: str) -> None:
        path = path.strip()
        if not path:
            self.notify("Type the snapshot's directory first.", severity="warning")
            return
        self.error = None
        self.diff = None
        self.query_one(ErrorPanel).hide()
        self.query_one("#diff-summary", Static).update(
            Text(f"Reading {line(path, limit=80)} and checking every pair on both …", "italic")
        )
        self.query_one("#diff-pairs", OptionList).clear_options()
        self.query_one("#diff-changes", Static).update("")
        self.run_diff(path)

    @work(thread=True, exclusive=True, group="diff")
    def run_diff(self, path: str) -> None:
        worker = get_current_worker()
        loaded = self.doctor.account
        if loaded is None:
            return
        try:
            from vpcdoctor.diagnostics.diff import diff
            from vpcdoctor.graph.sources.opener import open_account

            other = open_account(snapshot=path)
            source = self.doctor.source
            loaded_name = source.snapshot or source.describe()
            old, old_name, new, new_name = order(loaded, loaded_name, other, path, self.app, path)
            result = diff(old, new, old_name=old_name, new_name=new_name)
        except Exception as error:  # shown in the error panel, never as a traceback
            message, hint = describe_error(error)
            if not worker.is_cancelled:
                self.post_message(DiffFailed(f"{message}\n{hint}".strip()))
            return
        if not worker.is_cancelled:
            self.post_message(DiffReady(result, old=old_name, new=new_name))

    @on(DiffReady)
    def show_diff(self, message: DiffReady) -> None:
        result = cast("Diff", message.diff)
        self.diff = result
        self.names = (message.old, message.new)
        self.query_one("#diff-summary", Static).update(
            summary_text(result, message.old, message.new)
        )
        pairs = self.query_one("#diff-pairs", OptionList)
        pairs.clear_options()
        for pair in result.changed:
            pairs.add_option(Option(pair_text(pair)))
        if result.changed:
            pairs.highlighted = 0
            pairs.focus()
            self._show_changes(0)
        else:
            pairs.add_option(Option(Text("No verdict changed.", style="dim")))
            self.query_one("#diff-changes", Static).update("")

    @on(DiffFailed)
    def show_failure(self, message: DiffFailed) -> None:
        self.error = message.error
        self.query_one("#diff-summary", Static).update(Text("No comparison.", style="dim"))
        self.query_one(ErrorPanel).show_error("Could not compare", message.error)

    def _show_changes(self, index: int) -> None:
        if self.diff is None or not 0 <= index < len(self.diff.changed):
            return
        self.query_one("#diff-changes", Static).update(changes_text(self.diff.changed[index]))

    # ---- events and actions -------------------------------------------------------------
    @on(Input.Submitted, "#diff-path")
    def path_submitted(self, event: Input.Submitted) -> None:
        self.compare(event.value)

    @on(OptionList.OptionHighlighted, "#diff-pairs")
    def pair_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_changes(event.option_index)

    @on(OptionList.OptionSelected, "#diff-pairs")
    def pair_selected(self, event: OptionList.OptionSelected) -> None:
        if self.diff is None or not 0 <= event.option_index < len(self.diff.changed):
            return
        pair = self.diff.changed[event.option_index]
        self.doctor.open_function(pair.function, pair.target.input)

    def action_focus_path(self) -> None:
        self.query_one("#diff-path", Input).focus()
