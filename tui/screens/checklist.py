"""The documented checklist, one step at a time: status, why, evidence, fix (CLI and CFN)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from vpcdoctor.tui.failures import describe_error
from vpcdoctor.tui.messages import WalkFailed, WalkFinished
from vpcdoctor.tui.screens.hop_actions import HopActions
from vpcdoctor.tui.text import block as clean_block
from vpcdoctor.tui.text import line as clean
from vpcdoctor.tui.text import literal, paragraphs
from vpcdoctor.tui.widgets.error_panel import ErrorPanel
from vpcdoctor.tui.widgets.header import AppHeader
from vpcdoctor.tui.widgets.wrapped import WrappedText

if TYPE_CHECKING:
    from vpcdoctor.diagnostics.findings import Finding, Walk
    from vpcdoctor.tui.app import VpcDoctorApp

STEP_LOOK: dict[str, tuple[str, str]] = {
    "ok": ("✔", "bold green"),
    "warn": ("!", "bold yellow"),
    "fail": ("✘", "bold red"),
    "unknown": ("?", "bold magenta"),
    "not-applicable": ("–", "dim"),
}

_FALLBACK_LABELS: dict[str, str] = {
    "why": "Why",
    "checks": "What is checked",
    "evidence": "Evidence",
    "fix": "Fix",
    "links": "AWS documentation",
    "needs": "Export that would decide it: {cli}",
    "cloudformation": "CloudFormation",
    "no_evidence": "(nothing to show)",
    "step": "Step",
    "steps": "Steps",
    "copy_cli": "y: copy",
    "copy_cfn": "Y: copy",
    "heading": "Checklist for {function}",
    "summary": "{fail} fail · {warn} warn · {unknown} unknown · {ok} ok · {na} n/a",
}


def labels(lang: str) -> Mapping[str, str]:
    """The checklist's labels in ``lang`` (knowledge/ui.toml), English words if unavailable."""
    try:
        from vpcdoctor.knowledge import ui_text

        found = dict(ui_text(lang))
    except Exception:
        found = {}
    return {**_FALLBACK_LABELS, **found}


def status_label(status: str, words: Mapping[str, str]) -> str:
    return words.get(f"status_{status.replace('-', '_')}", status.upper())


def step_text(finding: Finding, index: int, count: int, words: Mapping[str, str]) -> Text:
    """The answer part of a step: status, title, evidence from this account, the fix prose."""
    status = str(finding.status)
    symbol, style = STEP_LOOK.get(status, ("·", "bold"))
    text = Text()
    text.append(f"{symbol} {status_label(status, words)}", style=style)
    text.append(f"   {words['step']} {index + 1}/{count}\n", style="dim")
    text.append_text(literal(finding.title, "bold", limit=200))
    text.append("\n")
    text.append(f"\n{words['evidence']}\n", style="bold")
    if finding.evidence:
        for item in finding.evidence:
            text.append(f"  • {paragraphs(item, limit=800)}\n")
    else:
        text.append(f"  {words['no_evidence']}\n", style="dim")
    prose = [b.text.strip() for b in finding.fixes if b.text.strip()]
    if prose:
        text.append(f"\n{words['fix']}\n", style="bold green")
        for item in dict.fromkeys(prose):
            text.append(paragraphs(item))
            text.append("\n")
    for need in finding.needs:
        text.append("\n")
        text.append(clean(words["needs"].replace("{cli}", need), limit=400), style="yellow")
    return text


def step_background(finding: Finding, words: Mapping[str, str]) -> Text:
    """The detail on demand, below the fix: why it matters, what is checked, documentation."""
    text = Text()
    if finding.why:
        text.append(f"{words['why']}\n", style="bold")
        text.append(paragraphs(finding.why))
        text.append("\n")
    if finding.checks:
        text.append(f"\n{words['checks']}\n", style="bold")
        for item in finding.checks:
            text.append(f"  • {paragraphs(item, limit=600)}\n")
    if finding.links:
        text.append(f"\n{words['links']}\n", style="bold")
        for link in finding.links:
            text.append(f"  {clean(link.title, limit=100)}  ")
            text.append(clean(link.url, limit=200), style="underline")
            text.append("\n")
    return text


def fix_cli(finding: Finding) -> str:
    return "\n\n".join(b.cli.strip() for b in finding.fixes if b.cli.strip())


def fix_cloudformation(finding: Finding) -> str:
    return "\n".join(b.cloudformation.rstrip() for b in finding.fixes if b.cloudformation.strip())


class ChecklistScreen(HopActions, Screen[None]):
    """Walk the documented checklist for one function, step by step."""

    CSS_PATH = "checklist.tcss"
    AUTO_FOCUS = "#steps"
    HELP = (
        "The documented troubleshooting checklist for this function, one step at a time: "
        "its status, why it matters, the evidence from this account, and the fix as AWS CLI "
        "and CloudFormation with the account's real ids."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "app.overview", "Overview", tooltip="Back to the account overview", id="back"
        ),
        Binding(
            "backspace",
            "back",
            "Diagnosis",
            tooltip="Back to the diagnosis of this function",
            id="back-to-diagnosis",
        ),
        Binding("n", "step(1)", "Next", tooltip="Next step of the checklist", id="next-step"),
        Binding(
            "p",
            "step(-1)",
            "Previous",
            tooltip="Previous step of the checklist",
            id="previous-step",
        ),
        Binding(
            "right",
            "step(1)",
            "Next",
            show=False,
            tooltip="Next step of the checklist",
            id="next-step-arrow",
        ),
        Binding(
            "left",
            "step(-1)",
            "Previous",
            show=False,
            tooltip="Previous step of the checklist",
            id="previous-step-arrow",
        ),
        Binding(
            "l",
            "switch_language",
            "Language",
            tooltip="Show the checklist in the other language (English / Japanese)",
            id="language",
        ),
        Binding("y", "copy_cli", "Copy CLI", tooltip="Copy this step's AWS CLI fix", id="copy-cli"),
        Binding(
            "Y",
            "copy_cloudformation",
            "Copy CFN",
            show=False,
            tooltip="Copy this step's CloudFormation fix",
            id="copy-cloudformation",
        ),
        Binding("e", "export", "Export", tooltip="Save or copy the whole walk", id="export"),
    ]

    def __init__(self, function: str, targets: list[str]) -> None:
        super().__init__()
        self.function = function
        self.targets = targets
        self.walk: Walk | None = None
        self.index = 0

    @property
    def doctor(self) -> VpcDoctorApp:
        return cast("VpcDoctorApp", self.app)

    @property
    def finding(self) -> Finding | None:
        if self.walk is None or not self.walk.steps:
            return None
        return self.walk.steps[self.index]

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield ErrorPanel(id="error")
        with Horizontal(id="checklist-body"):
            yield OptionList(id="steps")
            with VerticalScroll(id="step-box"):
                yield WrappedText(Text("Walking the checklist…", style="italic"), id="step")
                yield Static("", id="fix-cli", markup=False)
                yield Static("", id="fix-cfn", markup=False)
                yield WrappedText(id="step-more")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._localize(self.doctor.lang)
        self.query_one(AppHeader).where = f"checklist · {clean(self.function, limit=60)}"
        self.query_one("#steps", OptionList).border_title = labels(self.doctor.lang)["steps"]
        self.run_walk(self.doctor.lang)

    @work(thread=True, exclusive=True, group="walk")
    def run_walk(self, lang: str) -> None:
        worker = get_current_worker()
        account = self.doctor.account
        if account is None:
            return
        try:
            from vpcdoctor.diagnostics.checklist import walk

            result = walk(account, self.function, self.targets, lang)
        except Exception as error:  # an error panel, never a traceback
            message, hint = describe_error(error)
            if not worker.is_cancelled:
                self.post_message(WalkFailed(f"{message}\n{hint}".strip()))
            return
        if not worker.is_cancelled:
            self.post_message(WalkFinished(result, lang))

    @on(WalkFinished)
    def show_walk(self, message: WalkFinished) -> None:
        current = self.finding.id if self.finding is not None else None
        self.walk = cast("Walk", message.walk)
        words = labels(self.walk.lang)
        self.query_one(AppHeader).where = clean(
            words["heading"].replace("{function}", self.function), limit=80
        )
        steps = self.query_one("#steps", OptionList)
        steps.border_title = words["steps"]
        steps.clear_options()
        for finding in self.walk.steps:
            symbol, style = STEP_LOOK.get(str(finding.status), ("·", "bold"))
            prompt = Text()
            prompt.append(f"{symbol} ", style=style)
            prompt.append_text(literal(finding.title, limit=80))
            steps.add_option(Option(prompt, id=finding.id))
        counts = {str(s): 0 for s in STEP_LOOK}
        for finding in self.walk.steps:
            counts[str(finding.status)] = counts.get(str(finding.status), 0) + 1
        summary = words["summary"]
        for key, name in (
            ("fail", "fail"),
            ("warn", "warn"),
            ("unknown", "unknown"),
            ("ok", "ok"),
            ("na", "not-applicable"),
        ):
            summary = summary.replace("{" + key + "}", str(counts.get(name, 0)))
        steps.border_subtitle = summary
        index = 0
        if current is not None:
            ids = [f.id for f in self.walk.steps]
            index = ids.index(current) if current in ids else 0
        else:
            # Answer first: open on the first failing step (then unknown, then warn).
            for wanted in ("fail", "unknown", "warn"):
                hits = [i for i, f in enumerate(self.walk.steps) if str(f.status) == wanted]
                if hits:
                    index = hits[0]
                    break
        self.show_step(index)

    @on(WalkFailed)
    def show_failure(self, message: WalkFailed) -> None:
        self.query_one("#step", WrappedText).update(Text("No checklist.", style="dim"))
        self.query_one(ErrorPanel).show_error("Could not walk the checklist", message.error)

    def show_step(self, index: int) -> None:
        if self.walk is None or not self.walk.steps:
            return
        self.index = max(0, min(index, len(self.walk.steps) - 1))
        finding = self.walk.steps[self.index]
        words = labels(self.walk.lang)
        self.query_one("#step", WrappedText).update(
            step_text(finding, self.index, len(self.walk.steps), words)
        )
        self.query_one("#step-more", WrappedText).update(step_background(finding, words))
        cli = fix_cli(finding)
        cfn = fix_cloudformation(finding)
        cli_box = self.query_one("#fix-cli", Static)
        cli_box.update(Text(clean_block(cli)))
        cli_box.border_title = "AWS CLI"
        cli_box.border_subtitle = words["copy_cli"]
        cli_box.display = bool(cli)
        cfn_box = self.query_one("#fix-cfn", Static)
        cfn_box.update(Text(clean_block(cfn)))
        cfn_box.border_title = words["cloudformation"]
        cfn_box.border_subtitle = words["copy_cfn"]
        cfn_box.display = bool(cfn)
        steps = self.query_one("#steps", OptionList)
        if steps.highlighted != self.index:
            steps.highlighted = self.index
        self.query_one("#step-box", VerticalScroll).scroll_home(animate=False)

    @on(OptionList.OptionHighlighted, "#steps")
    def step_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index != self.index:
            self.show_step(event.option_index)

    # ---- actions ----------------------------------------------------------------------
    def action_back(self) -> None:
        self.dismiss()

    def action_step(self, delta: int) -> None:
        self.show_step(self.index + delta)

    def _localize(self, lang: str) -> None:
        from vpcdoctor.tui.i18n import localize

        localize(self, lang)
        localize(self.app, lang)

    def action_switch_language(self) -> None:
        self.doctor.lang = "ja" if self.doctor.lang == "en" else "en"
        self._localize(self.doctor.lang)
        self.notify("日本語" if self.doctor.lang == "ja" else "English")
        self.run_walk(self.doctor.lang)

    def _copy(self, text: str, what: str) -> None:
        if not text:
            self.notify(f"This step has no {what} fix.", severity="warning")
            return
        # One sanitised line per line of the fix (commands one a line; CloudFormation keeps
        # its lines), and the notice says how it was copied.
        self.copy_lines(text.splitlines(), f"{what} fix")

    def action_copy_cli(self) -> None:
        finding = self.finding
        self._copy(fix_cli(finding) if finding else "", "AWS CLI")

    def action_copy_cloudformation(self) -> None:
        finding = self.finding
        self._copy(fix_cloudformation(finding) if finding else "", "CloudFormation")

    def action_export(self) -> None:
        from vpcdoctor.tui.screens.export import ExportScreen, walk_documents

        if self.walk is None:
            self.notify("The checklist is not ready yet.", severity="warning")
            return
        documents = walk_documents(self.walk, self.doctor.context())
        self.app.push_screen(ExportScreen(self.function, documents))
