"""DNS, side by side: what the VPC's resolver would answer (simulated) and what servers say."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Static
from textual.worker import get_current_worker

from vpcdoctor.tui.failures import describe_error
from vpcdoctor.tui.i18n import Localized
from vpcdoctor.tui.labels import STATUS_SYMBOLS
from vpcdoctor.tui.messages import DnsFailed, DnsProbed, DnsSimulated
from vpcdoctor.tui.suggest import function_vpc
from vpcdoctor.tui.text import block as clean_block
from vpcdoctor.tui.text import line as clean
from vpcdoctor.tui.text import literal
from vpcdoctor.tui.widgets.header import AppHeader

if TYPE_CHECKING:
    from vpcdoctor.diagnostics.dns.model import ProbeResult, Resolution
    from vpcdoctor.tui.app import VpcDoctorApp

PROBE_TIMEOUT = 2.0
"""Seconds per query attempt: every probe has a deadline."""
PROBE_TRIES = 2

OUTCOME_STYLES = {
    "answer": "bold green",
    "nxdomain": "bold red",
    "nodata": "bold yellow",
    "forwarded": "bold cyan",
    "public": "bold blue",
    "servfail": "bold red",
    "refused": "bold red",
    "timeout": "bold red",
    "unknown": "bold yellow",
}


def resolution_text(resolution: Resolution, *, steps_title: str = "Steps") -> Text:
    outcome = str(resolution.outcome)
    text = Text()
    text.append_text(literal(resolution.name, "bold", limit=120))
    text.append("  ")
    text.append(outcome.upper(), style=OUTCOME_STYLES.get(outcome, "bold"))
    if resolution.addresses:
        text.append("\n→ " + clean(", ".join(resolution.addresses), limit=300), style="bold")
    if resolution.canonical_name:
        text.append("\ncanonical name ", style="dim")
        text.append_text(literal(resolution.canonical_name, limit=120))
    if resolution.forwarded_to:
        text.append("\nforwarded to ", style="dim")
        text.append(clean(", ".join(resolution.forwarded_to), limit=200), style="cyan")
    if resolution.decided_by is not None:
        text.append("\ndecided by ", style="dim")
        text.append_text(literal(resolution.decided_by.resource, "bold cyan", limit=80))
        text.append(f" ({clean(resolution.decided_by.kind, limit=40)})", style="dim")
        text.append("\n")
        text.append_text(literal(resolution.decided_by.detail, limit=400))
    if resolution.steps:
        text.append(f"\n\n{steps_title}\n", style="bold")
        for step in resolution.steps:
            status = str(step.status)
            style = {"pass": "green", "fail": "red", "unknown": "yellow"}.get(status, "dim")
            text.append(f"{STATUS_SYMBOLS.get(status, '·')} ", style=f"bold {style}")
            text.append(clean(step.code, limit=60), style=style)
            if step.resource:
                text.append("  ")
                text.append_text(literal(step.resource, "cyan", limit=60))
            text.append("\n  ")
            text.append_text(literal(step.detail, limit=400))
            if step.fix:
                text.append("\n  fix: ", style="green")
                text.append(clean_block(step.fix, limit=600))
            if step.needs:
                text.append("\n  to decide: ", style="yellow")
                text.append(clean(step.needs, limit=300))
            text.append("\n")
    return text


def probe_text(results: tuple[ProbeResult, ...]) -> Text:
    text = Text()
    for i, probe in enumerate(results):
        if i:
            text.append("\n")
        outcome = str(probe.outcome)
        text.append_text(literal(probe.nameserver, "bold", limit=60))
        text.append("  ")
        text.append(outcome.upper(), style=OUTCOME_STYLES.get(outcome, "bold"))
        if probe.ms is not None:
            text.append(f"  {probe.ms:.1f} ms", style="dim")
        if probe.code:
            text.append(f"  {clean(probe.code, limit=40)}", style="dim")
        if probe.addresses:
            text.append("\n→ " + clean(", ".join(probe.addresses), limit=300), style="bold")
        if probe.cname_chain:
            text.append("\nvia " + clean(" → ".join(probe.cname_chain), limit=300), style="dim")
        if probe.ttl is not None:
            text.append(f"\nTTL {probe.ttl}", style="dim")
        if probe.detail:
            text.append("\n")
            text.append_text(literal(probe.detail, limit=400))
        if probe.advice:
            text.append("\n")
            text.append_text(literal(probe.advice, "italic", limit=400))
        text.append("\n")
    return text


def report_for(account: Any, function: str, name: str, nameservers: list[str] | None = None) -> Any:
    """The DNS report the CLI's ``dns`` prints (``diagnostics.dns.report.dns_report``):
    simulation only when ``nameservers`` is None; else the probes too (the VPC resolver only
    from inside the VPC; otherwise the report's note says why it was not asked)."""
    from vpcdoctor.diagnostics.dns.report import dns_report

    return dns_report(
        name,
        account=account,
        function=function,
        nameservers=nameservers or (),
        probe=nameservers is not None,
        timeout=PROBE_TIMEOUT,
        tries=PROBE_TRIES,
    )


class DnsScreen(Localized, Screen[None]):
    """The simulated resolution chain next to live probes."""

    CSS_PATH = "dns.tcss"
    AUTO_FOCUS = "#dns-name"
    HELP = (
        "Left: how the function's VPC resolver would answer this name, from the account's "
        "private hosted zones, Resolver rules and VPC DNS attributes. Right: what real name "
        "servers answer now (ctrl+r). With Name servers empty, the VPC resolver is asked only "
        "when this host is inside the VPC (as the CLI's dns does); otherwise type ip[:port], "
        "several separated by spaces. A probe from outside the VPC never changes the "
        "simulation: differences are listed under the probe."
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
            "ctrl+r",
            "probe",
            "Probe",
            tooltip="Query the name servers now (live DNS)",
            id="probe",
            priority=True,
        ),
        Binding(
            "p",
            "probe",
            "Probe",
            show=False,
            tooltip="Query the name servers now (live DNS)",
            id="probe-p",
        ),
        Binding(
            "ctrl+x",
            "cancel_probe",
            "Cancel probe",
            tooltip="Stop waiting for the probe",
            id="cancel-probe",
            priority=True,
        ),
        Binding(
            "s",
            "focus_servers",
            "Servers",
            show=False,
            tooltip="Choose the name servers to probe",
            id="servers",
        ),
    ]

    def __init__(self, function: str, name: str | None) -> None:
        super().__init__()
        self.function = function
        self.initial_name = name or ""
        self.resolution: Resolution | None = None
        self.probes: tuple[ProbeResult, ...] = ()

    @property
    def doctor(self) -> VpcDoctorApp:
        return cast("VpcDoctorApp", self.app)

    @property
    def vpc_id(self) -> str | None:
        account = self.doctor.account
        return function_vpc(account, self.function) if account is not None else None

    @property
    def vpc_resolver(self) -> str | None:
        account = self.doctor.account
        vpc = account.vpcs.get(self.vpc_id) if account is not None and self.vpc_id else None
        ip = vpc.resolver_ip if vpc is not None else None
        return f"{ip}:53" if ip is not None else None

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with Horizontal(classes="dns-row"):
            yield Label("Name", classes="dns-label")
            yield Input(self.initial_name, placeholder="api.example.com", id="dns-name")
        with Horizontal(classes="dns-row"):
            yield Label("Name servers", classes="dns-label")
            resolver = self.vpc_resolver
            hint = f"VPC resolver {resolver}" if resolver else "ip[:port]"
            yield Input(placeholder=f"{hint} — or ip[:port] …", id="nameservers")
        with Horizontal(id="dns-body"):
            with VerticalScroll(id="simulated-box"):
                yield Static(
                    Text("Type a name and press enter.", style="dim"), id="simulated", markup=False
                )
            with VerticalScroll(id="probed-box"):
                yield Static(
                    Text("Press ctrl+r (or p) to query the name servers.", style="dim"),
                    id="probed",
                    markup=False,
                )
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(AppHeader).where = f"DNS · {clean(self.function, limit=60)}"
        where = clean(self.vpc_id or "outside any VPC", limit=40)
        self.query_one("#simulated-box").border_title = f"Simulated: resolver of {where}"
        self.query_one("#probed-box").border_title = "Live probe"
        if self.initial_name:
            self.simulate(self.initial_name)

    # ---- simulation -------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="dns-simulate")
    def simulate(self, name: str) -> None:
        worker = get_current_worker()
        account = self.doctor.account
        if account is None:
            return
        try:
            report = report_for(account, self.function, name)
        except Exception as error:
            if not worker.is_cancelled:
                self.post_message(DnsFailed(" ".join(describe_error(error)), live=False))
            return
        if not worker.is_cancelled and report.resolution is not None:
            self.post_message(DnsSimulated(report.resolution))

    @on(DnsSimulated)
    def show_simulation(self, message: DnsSimulated) -> None:
        self.resolution = message.resolution
        from vpcdoctor.tui.i18n import title

        steps = title(self.doctor.lang, "steps", "Steps")
        self.query_one("#simulated", Static).update(
            resolution_text(message.resolution, steps_title=steps)
        )

    # ---- live probe -------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="dns-probe")
    def probe(self, name: str, nameservers: list[str]) -> None:
        worker = get_current_worker()
        account = self.doctor.account
        try:
            report = report_for(account, self.function, name, nameservers)
        except Exception as error:
            if not worker.is_cancelled:
                self.post_message(DnsFailed(" ".join(describe_error(error)), live=True))
            return
        if worker.is_cancelled:
            return
        if not report.probes:
            why = " ".join(report.notes) or "No name server to ask: type one (ip[:port])."
            self.post_message(DnsFailed(why, live=True))
            return
        self.post_message(
            DnsProbed(
                tuple(report.probes),
                note=" ".join(report.notes),
                disagreements=tuple(report.disagreements),
            )
        )

    @on(DnsProbed)
    def show_probes(self, message: DnsProbed) -> None:
        self.probes = message.results
        box = self.query_one("#probed-box")
        box.remove_class("-busy")
        box.border_subtitle = ""
        text = Text()
        if message.note:
            text.append_text(literal(message.note, "italic", limit=400))
            text.append("\n\n")
        text.append_text(probe_text(message.results))
        for disagreement in message.disagreements:
            text.append("\n≠ ", style="bold yellow")
            text.append_text(literal(disagreement.detail, limit=600))
        self.query_one("#probed", Static).update(text)

    @on(DnsFailed)
    def show_failure(self, message: DnsFailed) -> None:
        target = "#probed" if message.live else "#simulated"
        self.query_one("#probed-box").remove_class("-busy")
        self.query_one("#probed-box").border_subtitle = ""
        text = Text()
        text.append("⚠ ", style="bold red")
        text.append(clean(message.error, limit=800))  # an error is one line (names in it)
        self.query_one(target, Static).update(text)

    # ---- events and actions -----------------------------------------------------------
    @on(Input.Submitted, "#dns-name")
    def name_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.simulate(event.value.strip())
            self.query_one("#simulated-box").focus()

    @on(Input.Submitted, "#nameservers")
    def servers_submitted(self) -> None:
        self.action_probe()

    def action_back(self) -> None:
        self.workers.cancel_group(self, "dns-probe")
        self.dismiss()

    def action_focus_servers(self) -> None:
        self.query_one("#nameservers", Input).focus()

    def action_probe(self) -> None:
        name = self.query_one("#dns-name", Input).value.strip()
        if not name:
            self.notify("Type a name first.", severity="warning")
            return
        servers = self.query_one("#nameservers", Input).value.replace(",", " ").split()
        if self.resolution is None or self.resolution.name != name.lower().rstrip("."):
            self.simulate(name)
        shown = ", ".join(servers) or f"the VPC resolver ({self.vpc_resolver or '?'})"
        box = self.query_one("#probed-box")
        box.add_class("-busy")
        box.border_subtitle = "ctrl+x: cancel"
        self.query_one("#probed", Static).update(
            Text(
                f"Asking {clean(shown, limit=200)} … (deadline {PROBE_TIMEOUT:g} s × "
                f"{PROBE_TRIES} tries)",
                style="italic",
            )
        )
        self.probe(name, servers)
        # Out of the text box, so the screen's keys (backspace: back) work at once.
        box.focus()

    def action_cancel_probe(self) -> None:
        self.workers.cancel_group(self, "dns-probe")
        box = self.query_one("#probed-box")
        box.remove_class("-busy")
        box.border_subtitle = ""
        self.query_one("#probed", Static).update(Text("Probe cancelled.", style="dim"))
