"""What-if, never in AWS: the verified fix plan, or one hop's fix tried on a copy.

Two ways in from the diagnosis screen, one screen:

* ``p`` **plan** — ``diagnostics.plan.plan``: apply the blocking hop's best fix to a copy of the
  account, check again, repeat. Each step is listed with its commands (sanitised; ``y`` copies
  the highlighted step's, ``a`` the whole plan) and the verdict after it; the last line says
  ``verified: reachable`` or where the plan stops and why.
* ``w`` **try this fix** — the selected hop's best fix applied to a copy
  (``graph.whatif.what_if``) and the check made again on it.

Either way the new path is drawn below, and a banner says that nothing in AWS was changed:
the copy lives in memory and is gone when the screen closes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from vpcdoctor.tui.clipboard import clipboard_text
from vpcdoctor.tui.failures import describe_error
from vpcdoctor.tui.i18n import Localized
from vpcdoctor.tui.messages import WhatIfFailed, WhatIfReady
from vpcdoctor.tui.screens.copying import Copying
from vpcdoctor.tui.text import line, literal
from vpcdoctor.tui.widgets.error_panel import ErrorPanel
from vpcdoctor.tui.widgets.header import AppHeader
from vpcdoctor.tui.widgets.path import PathView

if TYPE_CHECKING:
    from vpcdoctor.graph.model.commands import Command
    from vpcdoctor.graph.model.verdict import CheckResult, Hop
    from vpcdoctor.tui.app import VpcDoctorApp

BANNER = "what-if · nothing in AWS was changed"
"""Said on every what-if screen, whatever it shows."""

_MARK = {"reachable": ("✔", "green"), "unreachable": ("✘", "red"), "unknown": ("?", "yellow")}


@dataclass(frozen=True, slots=True, kw_only=True)
class WhatIfStep:
    """One change applied to the copy, as the screen lists it."""

    code: str
    resource: str | None
    note: str
    commands: tuple[Command, ...]
    verdict_after: str


@dataclass(frozen=True, slots=True, kw_only=True)
class WhatIfOutcome:
    """What a what-if found: the steps applied, the check after them, and why it stops."""

    function: str
    target: str
    verdict_before: str
    steps: tuple[WhatIfStep, ...]
    result_after: CheckResult
    stopped: str | None = None

    @property
    def verified(self) -> bool:
        return str(self.result_after.verdict) == "reachable"

    @property
    def commands(self) -> list[str]:
        return [c.text for s in self.steps for c in s.commands]


def plan_outcome(account: object, function: str, target: str) -> WhatIfOutcome:
    """The verified plan, in the screen's terms (runs checks: call it from a worker)."""
    from vpcdoctor.diagnostics.plan import plan

    found = plan(account, function, target)  # type: ignore[arg-type]
    return WhatIfOutcome(
        function=found.function,
        target=found.target.input,
        verdict_before=str(found.verdict_before),
        steps=tuple(
            WhatIfStep(
                code=s.code,
                resource=s.resource,
                note=s.note,
                commands=s.commands,
                verdict_after=str(s.verdict_after),
            )
            for s in found.steps
        ),
        result_after=found.result_after,
        stopped=found.stopped,
    )


def try_outcome(account: object, result: CheckResult, hop: Hop) -> WhatIfOutcome:
    """``hop``'s best fix applied to a copy, and the check again (call it from a worker).

    Raises:
        WhatIfError: the fix cannot be applied in memory (a resource it names is missing…).
        ValueError: the hop has no runnable fix.
    """
    from vpcdoctor.diagnostics.diagnose import check
    from vpcdoctor.graph.whatif import what_if

    option = hop.fixes[0] if hop.fixes else None
    if option is None or not option.commands:
        raise ValueError(
            f"{line(hop.resource or hop.kind, limit=60)} has no fix that can be tried "
            "(only advice); the plan (p) says where it stops."
        )
    changed = what_if(account, option.commands)  # type: ignore[arg-type]
    after = check(changed.account, result.function, result.target)
    step = WhatIfStep(
        code=hop.code,
        resource=hop.resource,
        note=option.summary,
        commands=option.commands,
        verdict_after=str(after.verdict),
    )
    return WhatIfOutcome(
        function=result.function,
        target=result.target.input,
        verdict_before=str(result.verdict),
        steps=(step,),
        result_after=after,
    )


def step_text(number: int, step: WhatIfStep) -> Text:
    """``1. CODE at rtb-… — note`` then each command, then ``→ verdict`` (all sanitised)."""
    text = Text()
    text.append(f"{number}. ", style="bold")
    text.append(line(step.code, limit=60), style="bold")
    text.append(" at ")
    text.append_text(literal(step.resource or "-", "cyan", limit=60))
    if step.note:
        text.append("  ")
        text.append_text(literal(step.note, "dim", limit=400))
    for command in step.commands:
        text.append("\n   $ ", style="dim")
        text.append_text(literal(command.text, limit=1000))
    symbol, style = _MARK.get(step.verdict_after, ("?", "yellow"))
    text.append(f"\n   → {symbol} {step.verdict_after}", style=style)
    return text


def verdict_text(outcome: WhatIfOutcome, *, plan: bool) -> Text:
    """The line after the steps: ``verified: reachable`` or where it stops and why."""
    text = Text()
    verdict = str(outcome.result_after.verdict)
    if outcome.verified:
        text.append("✔ verified: reachable", style="bold green")
        text.append("  (the check on the changed copy)", style="dim")
        return text
    symbol, style = _MARK.get(verdict, ("?", "yellow"))
    text.append(f"{symbol} not verified: {verdict}", style=f"bold {style}")
    if outcome.stopped:
        text.append(" — stops: ")
        text.append_text(literal(outcome.stopped, limit=600))
    elif not plan:
        blocking = outcome.result_after.blocking
        if blocking is not None:
            text.append(" — next blocker: ")
            text.append(line(blocking.code, limit=60), style="bold")
            text.append(" at ")
            text.append_text(literal(blocking.resource or "-", "cyan", limit=60))
            text.append("  (p: the whole plan)", style="dim")
    return text


class WhatIfScreen(Localized, Copying, Screen[None]):
    """The plan (``mode="plan"``) or one hop's fix (``mode="try"``) on a copy of the account."""

    CSS_PATH = "whatif.tcss"
    AUTO_FOCUS = "#whatif-steps"
    HELP = (
        "What-if: the changes are applied to a copy of the account in memory, never to AWS, "
        "and the check is made again on the copy. The plan repeats 'fix the blocking hop, "
        "check again' until the target is reachable (verified) or no fix is known (it says "
        "where it stops and why). y copies the highlighted step's commands, a the whole plan; "
        "the new path is drawn below."
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
        Binding(
            "y",
            "copy_step",
            "Copy step",
            tooltip="Copy the highlighted step's commands",
            id="copy-step",
        ),
        Binding(
            "a",
            "copy_all",
            "Copy all",
            tooltip="Copy every command of the plan, in order",
            id="copy-plan",
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

    def __init__(self, result: CheckResult, *, mode: str = "plan", hop: Hop | None = None) -> None:
        super().__init__()
        self.before = result
        self.mode = mode
        self.hop = hop
        self.outcome: WhatIfOutcome | None = None
        self.error: str | None = None

    @property
    def doctor(self) -> VpcDoctorApp:
        return cast("VpcDoctorApp", self.app)

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield Static(Text(f" {BANNER} ", style="bold"), id="whatif-banner", markup=False)
        yield Static("", id="whatif-title", markup=False)
        yield ErrorPanel(id="error")
        yield OptionList(id="whatif-steps")
        yield Static("", id="whatif-verdict", markup=False)
        yield PathView(id="paths")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        what = "plan" if self.mode == "plan" else "try this fix"
        self.query_one(AppHeader).where = f"{what} · {line(self.before.function, limit=50)}"
        self.localize_titles(self.doctor.lang)
        title = Text()
        title.append("Plan for " if self.mode == "plan" else "Try the fix of ", style="bold")
        if self.mode != "plan" and self.hop is not None:
            title.append_text(literal(self.hop.resource or self.hop.kind, "bold cyan", limit=60))
            title.append(" for ")
        title.append_text(literal(self.before.function, "bold", limit=50))
        title.append(" → ")
        title.append_text(literal(self.before.target.input, "bold", limit=60))
        symbol, style = _MARK.get(str(self.before.verdict), ("?", "yellow"))
        title.append(f"   now: {symbol} {self.before.verdict}", style=style)
        self.query_one("#whatif-title", Static).update(title)
        self.query_one("#whatif-verdict", Static).update(Text("Checking the copy …", "italic"))
        self.run_what_if()

    def localize_titles(self, lang: str) -> None:
        from vpcdoctor.tui.i18n import title

        banner = title(lang, "whatif_banner", BANNER)
        self.query_one("#whatif-banner", Static).update(Text(f" {banner} ", style="bold"))
        self.query_one("#whatif-steps", OptionList).border_title = (
            title(lang, "plan_steps", "Steps (in memory)")
            if self.mode == "plan"
            else "The fix, applied in memory"
        )

    @work(thread=True, exclusive=True, group="what-if")
    def run_what_if(self) -> None:
        worker = get_current_worker()
        account = self.doctor.account
        if account is None:
            return
        try:
            if self.mode == "plan":
                outcome = plan_outcome(account, self.before.function, self.before.target.input)
            else:
                assert self.hop is not None
                outcome = try_outcome(account, self.before, self.hop)
        except Exception as error:  # shown in the error panel, never as a traceback
            message, hint = describe_error(error)
            if not worker.is_cancelled:
                self.post_message(WhatIfFailed(f"{message}\n{hint}".strip()))
            return
        if not worker.is_cancelled:
            self.post_message(WhatIfReady(outcome))

    @on(WhatIfReady)
    def show_outcome(self, message: WhatIfReady) -> None:
        outcome = cast("WhatIfOutcome", message.outcome)
        self.outcome = outcome
        steps = self.query_one("#whatif-steps", OptionList)
        steps.clear_options()
        for i, step in enumerate(outcome.steps, 1):
            steps.add_option(Option(step_text(i, step)))
        if not outcome.steps:
            steps.add_option(Option(Text("No change could be applied.", style="dim")))
        steps.highlighted = 0 if outcome.steps else None
        self.query_one("#whatif-verdict", Static).update(
            verdict_text(outcome, plan=self.mode == "plan")
        )
        view = self.query_one("#paths", PathView)
        view.show(outcome.result_after, self.doctor.subnet_names)
        # Open on the subnet that was failing before (the one the fix was for).
        failing = [str(p.subnet) for p in self.before.paths if str(p.verdict) != "reachable"]
        after = [str(p.subnet) for p in outcome.result_after.paths]
        if outcome.result_after.blocking is None and failing and failing[0] in after:
            view.switch(after.index(failing[0]) - view.current)
        steps.focus()

    @on(WhatIfFailed)
    def show_failure(self, message: WhatIfFailed) -> None:
        self.error = message.error
        self.query_one("#whatif-verdict", Static).update(Text("No what-if result.", "dim"))
        self.query_one(ErrorPanel).show_error("Could not try it in memory", message.error)

    @on(PathView.HopSelected)
    def _hop_selected(self, event: PathView.HopSelected) -> None:
        event.stop()  # the new path is for reading; its evidence is the diagnosis screen's job

    # ---- actions ----------------------------------------------------------------------
    def action_back(self) -> None:
        self.dismiss()

    def _copy(self, lines: list[str], what: str) -> None:
        text = clipboard_text(lines)
        if not text:
            self.notify(f"Nothing to copy: no {what} yet.", severity="warning")
            return
        self.copy_text(text, what)

    def action_copy_step(self) -> None:
        if self.outcome is None or not self.outcome.steps:
            self.notify("No step to copy.", severity="warning")
            return
        index = self.query_one("#whatif-steps", OptionList).highlighted or 0
        step = self.outcome.steps[min(index, len(self.outcome.steps) - 1)]
        self._copy([c.text for c in step.commands], "step's commands")

    def action_copy_all(self) -> None:
        if self.outcome is None:
            self.notify("No plan yet.", severity="warning")
            return
        self._copy(self.outcome.commands, "plan's commands")
