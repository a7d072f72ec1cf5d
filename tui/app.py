"""The vpcdoctor TUI: a guided "why can't my Lambda reach X?" session.

Design
======

The app answers first and shows detail on demand. Every screen is keyboard first (each action is
a :class:`~textual.binding.Binding` with a tooltip and an id, shown in the footer and in the
command palette through :class:`~vpcdoctor.tui.commands.ScreenCommands`), works with the mouse,
and fits 80×24 (wider terminals get more room, not more widgets). ``?`` opens a help screen that
lists the bindings of the screen beneath it. All AWS, engine and DNS work runs in thread workers
(``@work(thread=True, exclusive=True, group=…)``) that post :mod:`vpcdoctor.tui.messages`; the
screen that owns the display handles them. Errors become notifications or an error panel saying
what to do; a traceback is never shown. Strings from the account go through
:mod:`vpcdoctor.tui.text` (the one sanitiser, ``diagnostics.safe_text``, plus visible escapes
for invisible characters); the clipboard gets one sanitised line per command
(:mod:`vpcdoctor.tui.clipboard`, which also says how it copied). ``esc`` returns to the
overview from any depth in one press; modals close with it.

Screens (``tui/screens/``), in the order a person meets them:

1. **Account overview** (:class:`~vpcdoctor.tui.screens.overview.OverviewScreen`, the default
   screen). A ``Tree``: VPC (name, CIDR) → function, each function with a badge from a quick audit
   (``diagnostics.audit.audit_function`` with its default targets — the internet, S3 and the AWS
   services the VPC has endpoints for — plus the failing steps of ``checklist.walk``, e.g. a
   function in state Failed or a subnet out of IPs; ✔ reachable, ✘ blocked, ! warnings,
   ○ not in a VPC, ◌ state not Active, ? unknown) and its AZs. The audit runs in a thread worker
   after the tree is drawn and posts its rows in small batches, so badges appear as they are
   known and the tree is usable at once. A filter ``Input`` above narrows it as you type.
   Loading the account (snapshot, demo, or live collection with ``open_account(progress=…)``)
   runs in a worker; the collector's progress events arrive as ``CollectionProgress`` messages
   (``can_replace``) and drive a progress line (operations done of planned, the call running,
   unreadable outputs). A failure (no credentials, endpoint unreachable, bad snapshot) becomes an
   error panel with the message and what to try. ``enter`` on a function opens 2.

2. **Diagnosis** (:class:`~vpcdoctor.tui.screens.diagnosis.DiagnosisScreen`), for one function,
   answer first: it opens on the quick audit's answers (the worst one shown, the others one
   digit away), so nothing needs typing to see why ``internet ✘``.

   * **Answer header** — the verdict in colour ("fails from subnet-… (1c) only — about half
     the invocations" when only some subnets fail), the blocking hop and the fix; warnings as
     sentences with their code small beside them, each once.
   * **Numbered path** (:class:`~vpcdoctor.tui.widgets.path.PathView`) — one hop a line,
     numbered, with direction (``out`` / ``in (return)``) and subnet, like Reachability
     Analyzer's path list; ``↑/↓`` through the hops, ``←/→`` to the function's other subnets.
   * **Evidence** — the selected hop's sentence, every rule / route / entry evaluated (the one
     that matched marked), its warnings, the fix. ``y`` id, ``f`` fix, ``o`` console URL,
     ``j`` the raw JSON record, ``t`` another target (suggestions filter as you type, the VPC's
     own names first).

   ``c`` opens 3, ``d`` opens 4, ``e`` opens 5 for the current answer.

3. **Checklist** (:class:`~vpcdoctor.tui.screens.checklist.ChecklistScreen`): the documented
   steps of ``diagnostics.checklist.walk`` one at a time — status, why it matters, the evidence
   from this account, the fix as AWS CLI and CloudFormation (``y`` / ``Y`` copy them). ``n`` / ``p``
   (or ``→`` / ``←``) move, a step list on the left jumps, ``l`` switches English ↔ Japanese live
   (the walk is recomputed in a worker with the other language).

4. **DNS** (:class:`~vpcdoctor.tui.screens.dns.DnsScreen`): the simulated resolution chain of the
   current target's host name (``dns.simulate``) on the left, live probes on the right: ``p`` runs
   ``dns.probe`` in a cancellable worker (``x`` cancels) against the VPC resolver or the name
   servers typed in the ``ip[:port]`` input, each with a deadline.

5. **Export** (:class:`~vpcdoctor.tui.screens.export.ExportScreen`, modal): Markdown (incident
   ticket), JSON or Mermaid of the current answer — or of the walk, from the checklist — to a file
   (path input, default ``./vpcdoctor-<function>-<timestamp>.<ext>``) and/or the clipboard. The
   renderers are the domain's (``diagnostics.report``, ``Walk.to_json``); the TUI only chooses.

6. **What-if** (:class:`~vpcdoctor.tui.screens.whatif.WhatIfScreen`), from a diagnosis: ``p``
   the verified plan (``diagnostics.plan.plan``: each step's commands, copyable, and the
   verdict after them, or where it stops and why), ``w`` the selected hop's fix tried on a copy
   (``graph.whatif.what_if``) and checked again; the new path below, under the banner
   "what-if · nothing in AWS was changed".

7. **Diff** (:class:`~vpcdoctor.tui.screens.diff.DiffScreen`), ``ctrl+o`` on the overview: a
   second snapshot's directory, then ``diagnostics.diff.diff`` in a worker: the pairs whose
   verdict changed, worse first, with the changed resources on their paths.

8. **Help** (``?``, modal): the bindings of the screen beneath, with their tooltips.

This module stays small: the app holds the session (source, account, language, recent targets)
and the factory :func:`make_app` used by the CLI and by the tests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen

from vpcdoctor.tui.commands import FunctionCommands, ScreenCommands

if TYPE_CHECKING:
    from vpcdoctor.diagnostics.context import SnapshotContext
    from vpcdoctor.graph.model import Account
    from vpcdoctor.tui.badges import FunctionAudit


@dataclass(slots=True, kw_only=True)
class Source:
    """Where the account comes from (the arguments of ``open_account``)."""

    snapshot: str | None = None
    demo: bool = False
    profile: str | None = None
    region: str | None = None
    in_memory: bool = False
    """The account was handed to :func:`make_app` already built (tests, screenshots)."""

    @property
    def live(self) -> bool:
        return self.snapshot is None and not self.demo and not self.in_memory

    def describe(self) -> str:
        if self.in_memory:
            return "account in memory"
        if self.demo:
            return "demo account"
        if self.snapshot is not None:
            return f"snapshot {self.snapshot}"
        parts = ["live AWS"]
        if self.profile:
            parts.append(f"profile {self.profile}")
        if self.region:
            parts.append(f"region {self.region}")
        return ", ".join(parts)


@dataclass(slots=True)
class Session:
    """What the person has done so far: shared by the screens."""

    recent_targets: list[str] = field(default_factory=list)
    audits: dict[str, FunctionAudit] = field(default_factory=dict)
    """The overview's quick audit, by function: the diagnosis opens on these answers."""

    def remember(self, target: str) -> None:
        target = target.strip()
        if not target:
            return
        if target in self.recent_targets:
            self.recent_targets.remove(target)
        self.recent_targets.insert(0, target)
        del self.recent_targets[20:]


def _overview() -> Screen[Any]:
    from vpcdoctor.tui.screens.overview import OverviewScreen

    return OverviewScreen()


class VpcDoctorApp(App[int]):
    """The Textual application. Build it with :func:`make_app`."""

    CSS_PATH = "vpcdoctor.tcss"
    TITLE = "vpcdoctor"
    SUB_TITLE = "why can't my Lambda reach X?"
    COMMANDS = App.COMMANDS | {ScreenCommands, FunctionCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "question_mark",
            "help",
            "Help",
            tooltip="List the keys of this screen",
            id="help",
        ),
        Binding(
            "ctrl+t",
            "toggle_dark",
            "Light/dark",
            show=False,
            tooltip="Switch between the light and the dark theme",
            id="toggle-theme",
        ),
    ]

    # A mode rather than get_default_screen(): Textual loads a screen's CSS_PATH for modes.
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {"overview": _overview}
    DEFAULT_MODE = "overview"

    lang: reactive[str] = reactive("en")
    """Language of the checklist text (``en`` or ``ja``)."""

    def __init__(
        self,
        *,
        source: Source,
        account: Account | None = None,
        lang: str = "en",
        function: str | None = None,
        target: str | None = None,
    ) -> None:
        super().__init__()
        self.source = source
        self.account: Account | None = account
        self.session = Session()
        self.initial_function = function
        self.initial_target = target
        self.set_reactive(VpcDoctorApp.lang, lang if lang in ("en", "ja") else "en")
        self.loaded_at: datetime | None = datetime.now(UTC) if account is not None else None
        """When the account was read (the time of a live collection)."""
        self._subnet_names: tuple[Account | None, Mapping[str, str]] = (None, {})

    def use_account(self, account: Account | None) -> None:
        """The account changed (loaded, reloaded): answers and names from the old one go."""
        self.account = account
        self.loaded_at = datetime.now(UTC) if account is not None else None
        self.session.audits.clear()

    @property
    def subnet_names(self) -> Mapping[str, str]:
        """Subnet id → Name tag, for labels (computed once per account)."""
        cached, names = self._subnet_names
        if cached is not self.account:
            account = self.account
            names = {} if account is None else {i: s.name for i, s in account.subnets.items()}
            self._subnet_names = (account, names)
        return names

    def context(self) -> SnapshotContext | None:
        """Account, Region and snapshot time of what is loaded (for the header and exports)."""
        from vpcdoctor.diagnostics.context import snapshot_context

        if self.account is None:
            return None
        return snapshot_context(
            self.account,
            snapshot=self.source.snapshot,
            demo=self.source.demo,
            loaded_at=self.loaded_at if self.source.live else None,
        )

    def context_line(self) -> str:
        """``read-only · snapshot 2026-11-30 14:02 (18 h old) · account 1234… · ap-northeast-1``."""
        from vpcdoctor.tui.widgets.header import header_line

        context = self.context()
        return header_line(context) if context is not None else "read-only"

    def action_overview(self) -> None:
        """Back to the overview in one press, from any depth."""
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def action_help(self) -> None:
        from vpcdoctor.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        self.push_screen(HelpScreen(self.screen))

    def action_toggle_dark(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def open_function(self, name: str, target: str | None = None) -> None:
        """Open the diagnosis screen of one function (from the overview or the palette)."""
        from vpcdoctor.tui.screens.diagnosis import DiagnosisScreen

        if self.account is None or name not in self.account.functions:
            self.notify(
                f"No function named {name!r} in this account.", severity="warning", markup=False
            )
            return
        # From the palette on any screen: one diagnosis over the overview, never a pile that
        # takes seven escapes to leave.
        self.action_overview()
        self.push_screen(DiagnosisScreen(name, target=target))


def make_app(
    *,
    account: Account | None = None,
    snapshot: str | None = None,
    demo: bool = False,
    profile: str | None = None,
    region: str | None = None,
    lang: str = "en",
    function: str | None = None,
    target: str | None = None,
) -> VpcDoctorApp:
    """Build the app. Used by ``vpcdoctor`` / ``vpcdoctor demo`` and by the tests.

    Args:
        account: an already loaded account (tests, screenshots); otherwise the source is loaded
            in a worker when the app starts. With ``demo`` or ``snapshot`` too, it is taken to
            be that source's account (shown as such; reload reads the source again).
        snapshot: offline snapshot directory.
        demo: the bundled demo account.
        profile: AWS profile (live mode).
        region: AWS region (live mode).
        lang: checklist language, ``en`` or ``ja``.
        function: open this function's diagnosis as soon as the account is loaded.
        target: with ``function``, ask about this target straight away.
    """
    source = Source(
        snapshot=snapshot,
        demo=demo,
        profile=profile,
        region=region,
        in_memory=account is not None and snapshot is None and not demo,
    )
    return VpcDoctorApp(source=source, account=account, lang=lang, function=function, target=target)
