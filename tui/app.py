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
:mod:`vpcdoctor.tui.untrusted` (shown literally, escape sequences stripped, truncated).

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

2. **Diagnosis** (:class:`~vpcdoctor.tui.screens.diagnosis.DiagnosisScreen`), for one function:

   * **"Reach what?"** — the target ``Input`` at the top accepts every TARGET form of DESIGN.md
     (``host[:port]``, ``ip[:port]``, ``[ipv6]:port``, URL, AWS service short name) and suggests
     as you type (:class:`~vpcdoctor.tui.suggest.TargetSuggester`: recent targets, ``internet``,
     the services the VPC has endpoints for, names in its associated private hosted zones); the
     same candidates are listed under it until a target is asked.
   * **Answer header** — the verdict in colour, the blocking hop (resource + code + one sentence)
     and the fix; failing subnets named when paths differ.
   * **Path diagram** (:class:`~vpcdoctor.tui.widgets.path.PathDiagram`) — one lane per subnet /
     AZ: ``λ function → ENI → subnet → route table → NAT / IGW / endpoint / peering / TGW →
     target`` (whatever hops the engine returned), each hop a focusable chip coloured by status,
     the blocking one highlighted and focused first; ``←/→`` within a lane, ``↑/↓`` across lanes,
     the mouse clicks.
   * **Evidence** — the selected hop's code, sentence, the exact route / rule / entry / DNS step,
     the fix, what would settle an ``unknown``. ``y`` copies the hop's resource id, ``f`` the fix.

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

6. **Help** (``?``, modal): the bindings of the screen beneath, with their tooltips.

This module stays small: the app holds the session (source, account, language, recent targets)
and the factory :func:`make_app` used by the CLI and by the tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen

from vpcdoctor.tui.commands import FunctionCommands, ScreenCommands

if TYPE_CHECKING:
    from vpcdoctor.graph.model import Account


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
