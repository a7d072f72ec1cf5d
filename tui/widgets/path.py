"""The path diagram: one lane per subnet / AZ, one focusable chip per hop.

``λ fn → ENI → subnet → route table → NAT / IGW / endpoint … → target``, each chip coloured by
its status, the hop that blocks each lane marked. Focusing a chip (keyboard or mouse) posts
:class:`PathDiagram.HopSelected`; the screen shows that hop's evidence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import HorizontalScroll, Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from vpcdoctor.tui.untrusted import clean, literal, short_id

if TYPE_CHECKING:
    from vpcdoctor.graph.verdict import CheckResult, Hop, PathResult

KIND_LABELS: dict[str, str] = {
    "lambda": "λ",
    "function": "λ",
    "eni": "ENI",
    "subnet": "subnet",
    "route-table": "route table",
    "security-group": "SG",
    "network-acl": "NACL",
    "nat-gateway": "NAT",
    "nat-instance": "NAT instance",
    "internet-gateway": "IGW",
    "egress-only-internet-gateway": "EIGW",
    "vpc-endpoint": "endpoint",
    "peering-connection": "peering",
    "transit-gateway": "TGW",
    "transit-gateway-route-table": "TGW route table",
    "dns": "DNS",
    "private-hosted-zone": "private zone",
    "resolver-rule": "resolver rule",
    "vpc": "VPC",
    "target": "target",
    "elastic-ip": "EIP",
}

STATUS_SYMBOLS: dict[str, str] = {"pass": "✔", "fail": "✘", "unknown": "?", "skip": "–"}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("-", " "))


def hop_caption(hop: Hop) -> Text:
    """``✘ route table rtb-0abc`` (the resource id shortened; the evidence shows it whole)."""
    status = str(hop.status)
    text = Text()
    text.append(f"{STATUS_SYMBOLS.get(status, '·')} ", style="bold")
    text.append(kind_label(hop.kind))
    if hop.resource:
        text.append(" ")
        text.append(short_id(hop.resource))
    return text


class HopChip(Static, can_focus=True):
    """One hop. Focusable; arrow keys move through the diagram."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "left",
            "move(0, -1)",
            "Previous hop",
            show=False,
            tooltip="The hop before this one",
            id="hop-previous",
        ),
        Binding(
            "right",
            "move(0, 1)",
            "Next hop",
            show=False,
            tooltip="The hop after this one",
            id="hop-next",
        ),
        Binding(
            "up",
            "move(-1, 0)",
            "Lane above",
            show=False,
            tooltip="The same hop in the subnet above",
            id="lane-up",
        ),
        Binding(
            "down",
            "move(1, 0)",
            "Lane below",
            show=False,
            tooltip="The same hop in the subnet below",
            id="lane-down",
        ),
    ]

    def __init__(
        self, hop: Hop, path: PathResult, lane: int, index: int, *, blocking: bool
    ) -> None:
        classes = f"-{hop.status}" + (" -blocking" if blocking else "")
        super().__init__(hop_caption(hop), markup=False, classes=classes)
        self.hop = hop
        self.path = path
        self.lane = lane
        self.index = index
        self.blocking = blocking
        self.tooltip = literal(hop.detail, limit=300)

    def on_focus(self, _event: events.Focus) -> None:
        self.post_message(PathDiagram.HopSelected(self.hop, self.path))
        # After layout, so a chip focused right after mounting is scrolled into view too.
        self.call_after_refresh(self.scroll_visible, animate=False)

    def action_move(self, lanes: int, hops: int) -> None:
        diagram = next(a for a in self.ancestors if isinstance(a, PathDiagram))
        diagram.focus_hop(self.lane + lanes, self.index + hops, keep_lane=lanes == 0)


class PathDiagram(VerticalScroll, can_focus=False):
    """Lanes of hop chips for a :class:`CheckResult`."""

    class HopSelected(Message):
        """A hop got the focus: show its evidence."""

        def __init__(self, hop: Hop, path: PathResult) -> None:
            super().__init__()
            self.hop = hop
            self.path = path

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.result: CheckResult | None = None
        self.lanes: list[list[HopChip]] = []

    def compose(self) -> ComposeResult:
        yield Static(Text("Ask about a target to see its path.", style="dim"), id="path-empty")

    async def show(self, result: CheckResult) -> None:
        """Replace the diagram with the paths of ``result``."""
        self.result = result
        self.lanes = []
        await self.remove_children()
        widgets: list[Widget] = []
        for lane_index, path in enumerate(result.paths):
            blocking = path.blocking
            chips = [
                HopChip(hop, path, lane_index, i, blocking=hop is blocking)
                for i, hop in enumerate(path.hops)
            ]
            self.lanes.append(chips)
            widgets.append(self._lane(path, chips))
        if not widgets:
            widgets.append(Static(Text("The engine returned no path.", style="dim")))
        await self.mount_all(widgets)

    def _lane(self, path: PathResult, chips: list[HopChip]) -> Vertical:
        title = Text()
        verdict = str(path.verdict)
        style = {"reachable": "green", "unreachable": "red"}.get(verdict, "yellow")
        symbol = {"reachable": "✔", "unreachable": "✘"}.get(verdict, "?")
        title.append(f"{symbol} ", style=f"bold {style}")
        title.append_text(literal(path.subnet or "outside any VPC", "bold", limit=40))
        if path.az:
            title.append(f" · {clean(path.az, limit=30)}")
        title.append(f" · {verdict}", style=style)
        row: list[Static] = []
        for i, chip in enumerate(chips):
            if i:
                row.append(Static("→", classes="arrow", markup=False))
            row.append(chip)
        lane = Vertical(
            Static(title, classes="lane-title", markup=False),
            HorizontalScroll(*row, classes="lane-hops"),
            classes="lane",
        )
        return lane

    def focus_hop(self, lane: int, index: int, *, keep_lane: bool = False) -> None:
        """Focus a chip; indexes are clamped to the diagram."""
        if not self.lanes:
            return
        lane = max(0, min(lane, len(self.lanes) - 1))
        chips = self.lanes[lane]
        if not chips:
            return
        if keep_lane and not 0 <= index < len(chips):
            return
        chips[max(0, min(index, len(chips) - 1))].focus()

    def focus_blocking(self) -> None:
        """Focus the hop that blocks (the result's own blocking hop first), else the first."""
        if self.result is None:
            return
        target = self.result.blocking
        for chips in self.lanes:
            for chip in chips:
                if target is not None and chip.hop is target:
                    chip.focus()
                    return
        for chips in self.lanes:
            for chip in chips:
                if chip.blocking:
                    chip.focus()
                    return
        self.focus_hop(0, 0)

    @property
    def selected(self) -> HopChip | None:
        focused = self.screen.focused
        return focused if isinstance(focused, HopChip) else None
