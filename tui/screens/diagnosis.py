"""One function: "Reach what?", the answer, the path diagram and the selected hop's evidence."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, OptionList
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from vpcdoctor.tui.failures import describe_error
from vpcdoctor.tui.messages import CheckFailed, CheckFinished
from vpcdoctor.tui.suggest import TargetSuggester, target_candidates
from vpcdoctor.tui.untrusted import clean, literal
from vpcdoctor.tui.widgets.answer import AnswerHeader
from vpcdoctor.tui.widgets.error_panel import ErrorPanel
from vpcdoctor.tui.widgets.evidence import EvidencePanel
from vpcdoctor.tui.widgets.path import HopChip, PathDiagram

if TYPE_CHECKING:
    from vpcdoctor.graph.model.verdict import CheckResult
    from vpcdoctor.tui.app import VpcDoctorApp


class DiagnosisScreen(Screen[None]):
    """Ask what one function cannot reach, and see why."""

    CSS_PATH = "diagnosis.tcss"
    AUTO_FOCUS = "#target"
    HELP = (
        "Type what the function cannot reach (a host name, an IP, a URL or an AWS service such "
        "as s3) and press enter. The box below answers first: the verdict, the hop that blocks "
        "and the fix. Under it, one lane per subnet shows every hop; the blocking one is "
        "selected and its evidence is shown at the bottom."
    )
    HELP_KEYS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("← →", "Previous / next hop in the lane"),
        ("↑ ↓", "The same hop in the subnet above / below"),
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Back to the account overview", id="back"),
        Binding(
            "t",
            "focus_target",
            "Target",
            show=False,
            tooltip="Ask about another target",
            id="target",
        ),
        Binding(
            "y",
            "copy_id",
            "Copy id",
            tooltip="Copy the selected hop's resource id to the clipboard",
            id="copy-id",
        ),
        Binding(
            "f",
            "copy_fix",
            "Copy fix",
            tooltip="Copy the selected hop's fix to the clipboard",
            id="copy-fix",
        ),
        Binding(
            "c",
            "checklist",
            "Checklist",
            tooltip="Walk the documented checklist for this function",
            id="checklist",
        ),
        Binding(
            "d", "dns", "DNS", tooltip="Simulated and live DNS resolution of the target", id="dns"
        ),
        Binding(
            "e",
            "export",
            "Export",
            tooltip="Save or copy this diagnosis as Markdown, JSON or Mermaid",
            id="export",
        ),
    ]

    def __init__(self, function: str, *, target: str | None = None) -> None:
        super().__init__()
        self.function = function
        self.initial_target = target
        self.result: CheckResult | None = None
        self.asked: str | None = None

    @property
    def doctor(self) -> VpcDoctorApp:
        return cast("VpcDoctorApp", self.app)

    def compose(self) -> ComposeResult:
        account = self.doctor.account
        assert account is not None
        candidates = target_candidates(account, self.function, self.doctor.session.recent_targets)
        self.candidates = candidates
        yield Header()
        with Horizontal(id="ask"):
            yield Label(self._ask_label(), id="ask-label")
            yield Input(
                placeholder="api.stripe.com · s3 · 10.0.2.15:5432 · https://… · internet",
                suggester=TargetSuggester(candidates),
                id="target",
            )
        yield OptionList(
            *(
                Option(self._candidate_prompt(c.value, c.why), id=f"c{i}")
                for i, c in enumerate(candidates)
            ),
            id="suggestions",
        )
        yield ErrorPanel(id="error")
        yield AnswerHeader(id="answer")
        yield PathDiagram(id="paths")
        with VerticalScroll(id="evidence-box"):
            yield EvidencePanel(id="evidence")
        yield Footer(compact=True)

    def _ask_label(self) -> Text:
        text = Text("Can ")
        text.append_text(literal(self.function, "bold", limit=40))
        text.append(" reach")
        return text

    @staticmethod
    def _candidate_prompt(value: str, why: str) -> Text:
        text = literal(value, "bold", limit=80)
        text.append(f"  {clean(why, limit=80)}", style="dim")
        return text

    def on_mount(self) -> None:
        self.sub_title = clean(self.function, limit=60)
        self.query_one("#evidence", EvidencePanel).border_title = "Evidence"
        self.query_one("#suggestions", OptionList).border_title = "Suggestions"
        if self.initial_target:
            self.query_one("#target", Input).value = self.initial_target
            self.ask(self.initial_target)

    # ---- asking -----------------------------------------------------------------------
    def ask(self, target: str) -> None:
        target = target.strip()
        if not target:
            self.notify(
                "Type a target first: a host name, an IP, a URL or a service like s3.",
                severity="warning",
            )
            return
        self.asked = target
        self.query_one(ErrorPanel).hide()
        self.query_one("#answer", AnswerHeader).waiting(target)
        self.run_check(target)

    @work(thread=True, exclusive=True, group="check")
    def run_check(self, target: str) -> None:
        """``diagnose.check`` in a thread; the answer arrives as a message."""
        worker = get_current_worker()
        account = self.doctor.account
        if account is None:
            return
        try:
            from vpcdoctor.diagnostics.diagnose import check

            result = check(account, self.function, target)
        except Exception as error:  # shown in the error panel, never as a traceback
            message, hint = describe_error(error)
            if not worker.is_cancelled:
                self.post_message(CheckFailed(target, f"{message}\n{hint}".strip()))
            return
        if not worker.is_cancelled:
            self.post_message(CheckFinished(result))

    @on(CheckFinished)
    async def show_result(self, message: CheckFinished) -> None:
        self.result = message.result
        self.doctor.session.remember(message.result.target.input)
        self.query_one("#suggestions").add_class("-answered")
        self.query_one("#answer", AnswerHeader).show(message.result)
        diagram = self.query_one("#paths", PathDiagram)
        await diagram.show(message.result)
        diagram.focus_blocking()
        if diagram.selected is None:
            self.query_one("#evidence", EvidencePanel).clear()

    @on(CheckFailed)
    def show_failure(self, message: CheckFailed) -> None:
        self.query_one("#answer", AnswerHeader).clear("No answer.")
        self.query_one(ErrorPanel).show_error(
            f"Could not check {clean(message.target, limit=60)}", message.error
        )

    # ---- events -----------------------------------------------------------------------
    @on(Input.Submitted, "#target")
    def target_submitted(self, event: Input.Submitted) -> None:
        self.ask(event.value)

    @on(OptionList.OptionSelected, "#suggestions")
    def suggestion_chosen(self, event: OptionList.OptionSelected) -> None:
        index = int((event.option.id or "c0")[1:])
        value = self.candidates[index].value
        self.query_one("#target", Input).value = value
        self.ask(value)

    @on(PathDiagram.HopSelected)
    def hop_selected(self, event: PathDiagram.HopSelected) -> None:
        self.query_one("#evidence", EvidencePanel).show(event.hop, event.path)

    # ---- actions ----------------------------------------------------------------------
    def action_back(self) -> None:
        self.dismiss()

    def action_focus_target(self) -> None:
        target = self.query_one("#target", Input)
        target.focus()
        target.select_all()

    def _selected_hop_chip(self) -> HopChip | None:
        chip = self.query_one("#paths", PathDiagram).selected
        if chip is not None:
            return chip
        hop = self.query_one("#evidence", EvidencePanel).hop
        for candidate in self.query(HopChip):
            if candidate.hop is hop:
                return candidate
        return None

    def action_copy_id(self) -> None:
        chip = self._selected_hop_chip()
        if chip is None or not chip.hop.resource:
            self.notify("Select a hop with a resource id first.", severity="warning")
            return
        self.doctor.copy_to_clipboard(chip.hop.resource)
        self.notify(f"Copied {clean(chip.hop.resource, limit=80)}", markup=False)

    def action_copy_fix(self) -> None:
        chip = self._selected_hop_chip()
        fix = chip.hop.fix if chip is not None else None
        if not fix and self.result is not None and self.result.blocking is not None:
            fix = self.result.blocking.fix
        if not fix:
            self.notify("No fix to copy for this hop.", severity="warning")
            return
        self.doctor.copy_to_clipboard(fix)
        self.notify("Copied the fix", markup=False)

    def _need_result(self) -> bool:
        if self.result is None:
            self.notify("Ask about a target first (type it and press enter).", severity="warning")
            return False
        return True

    def action_checklist(self) -> None:
        from vpcdoctor.tui.screens.checklist import ChecklistScreen

        targets = [self.result.target.input] if self.result is not None else []
        self.app.push_screen(ChecklistScreen(self.function, targets))

    def action_dns(self) -> None:
        from vpcdoctor.tui.screens.dns import DnsScreen

        name = None
        if self.result is not None:
            name = self.result.target.host
        elif self.asked:
            name = self.asked
        self.app.push_screen(DnsScreen(self.function, name))

    def action_export(self) -> None:
        from vpcdoctor.tui.screens.export import ExportScreen, check_documents

        if not self._need_result() or self.result is None:
            return
        self.app.push_screen(ExportScreen(self.function, check_documents(self.result)))
