"""One function: the answer first, the numbered path, the selected hop's evidence.

Opening a function shows the quick audit's answers at once (the overview already knows that
``internet`` is blocked): the worst one is on screen with its blocking hop selected, the other
audited targets one digit away, and ``t`` asks about any other target.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, OptionList
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from vpcdoctor.tui.failures import describe_error
from vpcdoctor.tui.i18n import Localized
from vpcdoctor.tui.messages import AuditReady, CheckFailed, CheckFinished
from vpcdoctor.tui.screens.hop_actions import HopActions
from vpcdoctor.tui.suggest import Candidate, TargetSuggester, matching, target_candidates
from vpcdoctor.tui.text import line, literal
from vpcdoctor.tui.widgets.answer import AnswerHeader
from vpcdoctor.tui.widgets.error_panel import ErrorPanel
from vpcdoctor.tui.widgets.evidence import EvidencePanel
from vpcdoctor.tui.widgets.header import AppHeader
from vpcdoctor.tui.widgets.path import PathView
from vpcdoctor.tui.widgets.targets import TargetBar, worst_first

if TYPE_CHECKING:
    from vpcdoctor.graph.model.verdict import CheckResult, Hop
    from vpcdoctor.tui.app import VpcDoctorApp

_TARGET_GROUP = Binding.Group("Answer 1…9")


def _digit_bindings() -> list[BindingType]:
    return [
        Binding(
            str(n),
            f"pick({n - 1})",
            f"Answer {n}",
            show=False,
            tooltip="Show the answer for the n-th target in the line above the verdict",
            id=f"answer-{n}",
            group=_TARGET_GROUP,
        )
        for n in range(1, 10)
    ]


class DiagnosisScreen(Localized, HopActions, Screen[None]):
    """What one function cannot reach, and why."""

    CSS_PATH = "diagnosis.tcss"
    AUTO_FOCUS = ""
    HELP = (
        "The quick audit's answers for this function are shown at once, the worst first: the "
        "verdict, the hop that blocks and the fix. The numbered path below lists every hop of "
        "one subnet's path, one a line; the blocking one is selected and its evidence is shown "
        "at the bottom. Press t to ask about any other target (a host name, an IP, a URL or an "
        "AWS service such as s3)."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "app.overview", "Overview", tooltip="Back to the account overview", id="back"
        ),
        Binding(
            "t",
            "focus_target",
            "Target",
            show=False,
            tooltip="Ask about another target (a host, an IP, a URL, an AWS service)",
            id="target",
        ),
        *HopActions.HOP_BINDINGS,
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
            "p",
            "plan",
            "Plan",
            tooltip="The verified fix plan: fix, check again, repeat (in memory, never in AWS)",
            id="plan",
        ),
        Binding(
            "w",
            "try_fix",
            "Try fix",
            tooltip="Try the selected hop's fix on a copy of the account and check again",
            id="try-fix",
            show=False,
        ),
        Binding(
            "e",
            "export",
            "Export",
            tooltip="Save or copy this diagnosis as Markdown, JSON or Mermaid",
            id="export-diagnosis",
        ),
        Binding(
            "down",
            "to_suggestions",
            "Suggestions",
            show=False,
            tooltip="From the target box: into the suggestions",
            id="to-suggestions",
        ),
        *_digit_bindings(),
    ]

    def __init__(self, function: str, *, target: str | None = None) -> None:
        super().__init__()
        self.function = function
        self.initial_target = target
        self.result: CheckResult | None = None
        self.answers: list[CheckResult] = []
        self.asked: str | None = None
        self.candidates: list[Candidate] = []
        self.shown: list[Candidate] = []

    @property
    def doctor(self) -> VpcDoctorApp:
        return cast("VpcDoctorApp", self.app)

    def compose(self) -> ComposeResult:
        account = self.doctor.account
        assert account is not None
        self.candidates = target_candidates(
            account, self.function, self.doctor.session.recent_targets
        )
        yield AppHeader()
        with Horizontal(id="ask"):
            yield Label(self._ask_label(), id="ask-label")
            yield Input(
                placeholder="(t) api.stripe.com · s3 · 10.0.2.15:5432 · https://…",
                suggester=TargetSuggester(self.candidates),
                id="target",
                compact=True,
            )
        yield OptionList(id="suggestions")
        yield TargetBar(id="answers")
        yield ErrorPanel(id="error")
        yield AnswerHeader(id="answer")
        yield PathView(id="paths")
        with VerticalScroll(id="evidence-box"):
            yield EvidencePanel(id="evidence")
        yield Footer(compact=True)

    def _ask_label(self) -> Text:
        text = Text("Can ")
        text.append_text(literal(self.function, "bold", limit=40))
        text.append(" reach ")
        return text

    def on_mount(self) -> None:
        self.query_one(AppHeader).where = line(self.function, limit=60)
        self.localize_titles(self.doctor.lang)
        self._fill_suggestions("")
        if self.initial_target:
            self.query_one("#target", Input).value = self.initial_target
            self.ask(self.initial_target)
            return
        audit = self.doctor.session.audits.get(self.function)
        if audit is not None and audit.results:
            self.post_message(AuditReady(self.function, audit.results))
        else:
            self.query_one("#answer", AnswerHeader).waiting("the audit targets")
            self.run_audit()

    def localize_titles(self, lang: str) -> None:
        from vpcdoctor.tui.i18n import title

        evidence = self.query_one("#evidence", EvidencePanel)
        evidence.title = title(lang, "evidence", "Evidence")
        if evidence.hop is None:
            evidence.border_title = evidence.title
        elif ":" in str(evidence.border_title):
            kind = str(evidence.border_title).split(":", 1)[1]
            evidence.border_title = f"{evidence.title}:{kind}"
        suggestions = self.query_one("#suggestions", OptionList)
        suggestions.border_title = title(lang, "suggestions", "Suggestions")

    # ---- the audit's answers ---------------------------------------------------------
    @work(thread=True, exclusive=True, group="check")
    def run_audit(self) -> None:
        """The quick audit of this one function, when the overview has not done it yet."""
        worker = get_current_worker()
        account = self.doctor.account
        if account is None:
            return
        try:
            from vpcdoctor.diagnostics.audit import audit_function

            row = audit_function(account, self.function)
        except Exception as error:  # shown in the error panel, never as a traceback
            message, hint = describe_error(error)
            if not worker.is_cancelled:
                self.post_message(CheckFailed("the audit targets", f"{message}\n{hint}".strip()))
            return
        if not worker.is_cancelled:
            self.post_message(AuditReady(self.function, row.results))

    @on(AuditReady)
    def show_audit(self, message: AuditReady) -> None:
        if message.function != self.function or self.asked:
            return
        self.answers = list(message.results)
        if not self.answers:
            self.query_one("#answer", AnswerHeader).clear(
                "No audit target for this function: press t and type one."
            )
            self.action_focus_target()
            return
        index = worst_first(self.answers)
        self.query_one("#answers", TargetBar).set_results(self.answers, index)
        self._show(self.answers[index])

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
    def show_result(self, message: CheckFinished) -> None:
        self.doctor.session.remember(message.result.target.input)
        self.query_one("#answers", TargetBar).add(message.result)
        self._show(message.result)

    def _show(self, result: CheckResult) -> None:
        self.result = result
        names = self.doctor.subnet_names
        self.query_one("#answer", AnswerHeader).show(result, names)
        paths = self.query_one("#paths", PathView)
        paths.show(result, names)
        if paths.selected is None:
            self.query_one("#evidence", EvidencePanel).clear()
        paths.hops.focus()

    @on(CheckFailed)
    def show_failure(self, message: CheckFailed) -> None:
        self.query_one("#answer", AnswerHeader).clear("No answer.")
        self.query_one(ErrorPanel).show_error(
            f"Could not check {line(message.target, limit=60)}", message.error
        )

    # ---- suggestions ------------------------------------------------------------------
    def _fill_suggestions(self, typed: str) -> None:
        self.shown = matching(self.candidates, typed)[:30]
        options = self.query_one("#suggestions", OptionList)
        options.clear_options()
        for candidate in self.shown:
            prompt = literal(candidate.value, "bold", limit=80)
            prompt.append("  ")
            prompt.append_text(literal(candidate.why, "dim", limit=80))
            options.add_option(Option(prompt))
        if not self.shown:
            options.add_option(Option(Text("no suggestion: enter asks about what you typed")))
        options.highlighted = None

    def _suggesting(self, on: bool) -> None:
        self.query_one("#suggestions").set_class(on, "-open")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._suggesting(event.widget.id in ("target", "suggestions"))

    @on(Input.Changed, "#target")
    def target_typed(self, event: Input.Changed) -> None:
        self._fill_suggestions(event.value)

    @on(Input.Submitted, "#target")
    def target_submitted(self, event: Input.Submitted) -> None:
        self.ask(event.value)

    @on(OptionList.OptionSelected, "#suggestions")
    def suggestion_chosen(self, event: OptionList.OptionSelected) -> None:
        index = event.option_index
        if not 0 <= index < len(self.shown):
            self.action_focus_target()
            return
        value = self.shown[index].value
        self.query_one("#target", Input).value = value
        self.ask(value)

    # ---- events -----------------------------------------------------------------------
    @on(TargetBar.Chosen)
    def answer_clicked(self, event: TargetBar.Chosen) -> None:
        self.action_pick(event.index)

    @on(PathView.HopSelected)
    def hop_selected(self, event: PathView.HopSelected) -> None:
        warnings = self.result.warnings if self.result is not None else ()
        self.query_one("#evidence", EvidencePanel).show(event.hop, event.path, warnings=warnings)

    # ---- actions ----------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "to_suggestions":
            return self.focused is not None and self.focused.id == "target"
        return True

    def action_to_suggestions(self) -> None:
        options = self.query_one("#suggestions", OptionList)
        options.focus()
        if options.option_count:
            options.highlighted = 0

    def action_pick(self, index: int) -> None:
        bar = self.query_one("#answers", TargetBar)
        if not 0 <= index < len(bar.results):
            self.notify(f"There is no answer {index + 1}.", severity="warning")
            return
        bar.set_results(bar.results, index)
        self._show(bar.results[index])

    def action_focus_target(self) -> None:
        target = self.query_one("#target", Input)
        target.focus()
        target.select_all()

    def selected_hop(self) -> Hop | None:
        return self.query_one("#paths", PathView).selected

    def action_checklist(self) -> None:
        from vpcdoctor.tui.screens.checklist import ChecklistScreen

        targets = [self.result.target.input] if self.result is not None else []
        self.app.push_screen(ChecklistScreen(self.function, targets))

    def action_dns(self) -> None:
        from vpcdoctor.tui.screens.dns import DnsScreen

        name = None
        if self.result is not None and str(self.result.target.kind) in ("hostname", "internet"):
            name = self.result.target.host
        elif self.asked:
            name = self.asked
        self.app.push_screen(DnsScreen(self.function, name))

    def action_plan(self) -> None:
        from vpcdoctor.tui.screens.whatif import WhatIfScreen

        if self.result is None:
            self.notify("No answer yet: wait for it, or press t to ask.", severity="warning")
            return
        if str(self.result.verdict) == "reachable":
            self.notify("Already reachable: there is nothing to plan.", severity="information")
            return
        self.app.push_screen(WhatIfScreen(self.result, mode="plan"))

    def action_try_fix(self) -> None:
        from vpcdoctor.tui.screens.whatif import WhatIfScreen

        hop = self.selected_hop()
        if self.result is None or hop is None:
            self.notify("Select a hop first.", severity="warning")
            return
        if not hop.fixes or not hop.fixes[0].commands:
            self.notify(
                "This hop has no fix to try (it passes, or there is only advice): select the "
                "blocking hop, or press p for the plan.",
                severity="warning",
            )
            return
        self.app.push_screen(WhatIfScreen(self.result, mode="try", hop=hop))

    def action_export(self) -> None:
        from vpcdoctor.tui.screens.export import ExportScreen, check_documents

        if self.result is None:
            self.notify("No answer yet: wait for it, or press t to ask.", severity="warning")
            return
        context = self.doctor.context()
        self.app.push_screen(ExportScreen(self.function, check_documents(self.result, context)))
