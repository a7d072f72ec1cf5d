"""The path diagram: one lane per subnet / AZ, one focusable chip per hop.

``λ fn → ENI → subnet → route table → NAT / IGW / endpoint … → target``, each chip coloured by
its status, the hop that blocks each lane marked. Focusing a chip (keyboard or mouse) posts
:class:`PathDiagram.HopSelected`; the screen shows that hop's evidence.

A lane wider than the terminal scrolls sideways. Every lane is scrolled so that its own blocking
hop is in view (not only the focused lane's), and a scrolled lane always starts at the beginning
of a chip, never in the middle of one; its title counts the hops hidden on the left.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import HorizontalScroll, Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from vpcdoctor.tui.untrusted import clean, literal, short_id

if TYPE_CHECKING:
    from vpcdoctor.graph.model.verdict import CheckResult, Hop, PathResult

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
        self.call_after_refresh(self._show_in_lane)

    def _show_in_lane(self) -> None:
        diagram = next((a for a in self.ancestors if isinstance(a, PathDiagram)), None)
        if diagram is not None:
            diagram.reveal(self)
            # Only the diagram scrolls (to the lane); the lane itself was placed by `reveal`.
            lane = self.parent.parent if self.parent is not None else None
            if isinstance(lane, Widget):
                diagram.scroll_to_widget(lane, animate=False)

    def action_move(self, lanes: int, hops: int) -> None:
        diagram = next(a for a in self.ancestors if isinstance(a, PathDiagram))
        diagram.focus_hop(self.lane + lanes, self.index + hops, keep_lane=lanes == 0)


class LaneTitle(Static):
    """A lane's title, followed by how many hops are scrolled out of view on the left."""

    hidden: reactive[int] = reactive(0)
    """Hops of the lane scrolled out of view on the left."""

    def __init__(self, base: Text) -> None:
        super().__init__(base, markup=False, classes="lane-title")
        self.base = base

    def watch_hidden(self, hidden: int) -> None:
        text = self.base.copy()
        if hidden:
            text.append(f"  ← {hidden} hop{'s' if hidden != 1 else ''} before", style="dim italic")
        self.update(text)


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
        self.call_after_refresh(self.align_lanes)

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
        # Room after the last hop, grown by `reveal` when a lane must scroll past its end to
        # start at a chip boundary (a scroll container cannot scroll further than its content).
        row.append(Static("", classes="lane-end", markup=False))
        lane = Vertical(
            LaneTitle(title),
            HorizontalScroll(*row, classes="lane-hops"),
            classes="lane",
        )
        return lane

    def align_lanes(self) -> None:
        """Scroll every lane so its blocking hop (else its first hop) is in view."""
        for chips in self.lanes:
            if not chips:
                continue
            blocking = next((c for c in chips if c.blocking), None)
            self.reveal(blocking or chips[0])

    def reveal(self, chip: HopChip) -> None:
        """Scroll ``chip``'s lane the least that shows it whole, starting at a chip boundary."""
        chips = self.lanes[chip.lane] if chip.lane < len(self.lanes) else []
        lane = chip.parent
        if not isinstance(lane, HorizontalScroll) or chip not in chips:
            return
        width = lane.scrollable_content_region.width
        start = chips[0].virtual_region.x
        if width <= 0:
            return
        current = lane.scroll_offset.x
        left, right = chip.virtual_region.x - start, chip.virtual_region.right - start
        starts = [c.virtual_region.x - start for c in chips]
        if left >= current and right <= current + width and (current == 0 or current in starts):
            scroll = current
        elif left < current:
            scroll = left
        else:
            # The least scroll that shows the chip's right edge, moved on to the next chip start
            # so the lane does not begin with half a chip.
            least = max(0, right - width)
            scroll = min((x for x in starts if x >= least), default=left)
            scroll = min(scroll, left)
        hidden = sum(1 for c in chips if c.virtual_region.x - start < scroll)
        end = lane.query(".lane-end").first(Static) if lane.query(".lane-end") else None
        if end is not None and scroll > lane.max_scroll_x:
            end.styles.width = end.outer_size.width + scroll - int(lane.max_scroll_x)
            lane.call_after_refresh(lane.scroll_to, x=scroll, animate=False, immediate=True)
        else:
            lane.scroll_to(x=scroll, animate=False, immediate=True)
        title = lane.parent.query_one(LaneTitle) if lane.parent is not None else None
        if title is not None:
            title.hidden = hidden

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
        chips[max(0, min(index, len(chips) - 1))].focus(scroll_visible=False)

    def focus_blocking(self) -> None:
        """Focus the hop that blocks (the result's own blocking hop first), else the first."""
        if self.result is None:
            return
        target = self.result.blocking
        for chips in self.lanes:
            for chip in chips:
                if target is not None and chip.hop is target:
                    chip.focus(scroll_visible=False)
                    return
        for chips in self.lanes:
            for chip in chips:
                if chip.blocking:
                    chip.focus(scroll_visible=False)
                    return
        self.focus_hop(0, 0)

    @property
    def selected(self) -> HopChip | None:
        focused = self.screen.focused
        return focused if isinstance(focused, HopChip) else None
