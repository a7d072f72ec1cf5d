"""The path as a numbered list, one hop a line, like Reachability Analyzer's path list.

::

    Path from  ✘ prod-core-worker-1c (1c)  ·  ✔ prod-core-worker-1a (1a)        ← → subnet
     1 ✔ λ inventory-sync            state
     2 ✔ ENI eni-0dff…2183
     3 ✔ SG sg-0cb7…ce5c             egress
     4 ✔ NACL acl-0214…d802          out           prod-core-worker-1c
     5 ✔ NACL acl-0214…d802          in (return)   prod-core-worker-1c
     6 ✘ route table rtb-0147…914c                 prod-core-worker-1c

One path (one subnet of the function) is shown at a time; ``←`` / ``→`` switch subnet and keep
the same hop selected, ``↑`` / ``↓`` (or the mouse) move through the hops. Each line is one row
whatever the width (it is cut with an ellipsis, never wrapped, never scrolled sideways): the
evidence below shows the selected hop whole. Highlighting a hop posts
:class:`PathView.HopSelected`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from vpcdoctor.diagnostics.safe_text import clean
from vpcdoctor.tui.labels import HopLabel, hop_labels, subnet_label

if TYPE_CHECKING:
    from vpcdoctor.graph.model.verdict import CheckResult, Hop, PathResult

_STATUS_STYLE = {"pass": "green", "fail": "red", "unknown": "yellow", "skip": "dim"}
_VERDICT_MARK = {"reachable": ("✔", "green"), "unreachable": ("✘", "red")}


def short_az(az: str | None) -> str:
    """``ap-northeast-1c`` → ``1c``."""
    if not az:
        return ""
    tail = az.rsplit("-", 1)[-1]
    return clean(tail, limit=8)


def hop_rows(path: PathResult, subnet_names: Mapping[str, str]) -> list[Text]:
    """The numbered, aligned lines of one path (pure: tests read them too)."""
    labels = hop_labels(path.hops, subnet_names, path.subnet)
    blocking = path.blocking
    width = len(str(len(labels)))
    what = [f"{label.kind} {label.resource}".strip() for label in labels]
    what_width = min(max((len(w) for w in what), default=0), 34)
    direction_width = max((len(label.direction) for label in labels), default=0)
    rows = []
    for i, (hop, label, name) in enumerate(zip(path.hops, labels, what, strict=True)):
        rows.append(_row(i + 1, width, hop, label, name, what_width, direction_width, blocking))
    return rows


def _row(
    number: int,
    width: int,
    hop: Hop,
    label: HopLabel,
    what: str,
    what_width: int,
    direction_width: int,
    blocking: Hop | None,
) -> Text:
    style = _STATUS_STYLE.get(str(hop.status), "")
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{number:>{width}} ", style="dim")
    text.append(f"{label.symbol} ", style=f"bold {style}")
    text.append(what.ljust(what_width), style="bold" if hop is blocking else "")
    if direction_width:
        text.append("  ")
        text.append(label.direction.ljust(direction_width), style="cyan")
    if label.subnet:
        text.append("  ")
        text.append(label.subnet, style="dim")
    if label.note:
        text.append(f"  ({label.note})", style="italic")
    if hop is blocking:
        text.append("  ◀ blocks" if str(hop.status) == "fail" else "  ◀ undecided", style=style)
    text.rstrip()
    return text


class HopList(OptionList):
    """The hops of the shown path. ``←`` / ``→`` switch subnet (handled by :class:`PathView`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "left",
            "switch_path(-1)",
            "Subnet",
            show=False,
            tooltip="The same hop in the function's previous / next subnet",
            id="path-previous",
            group=Binding.Group("Subnet"),
        ),
        Binding(
            "right",
            "switch_path(1)",
            "Subnet",
            show=False,
            tooltip="The same hop in the function's previous / next subnet",
            id="path-next",
            group=Binding.Group("Subnet"),
        ),
    ]

    def action_switch_path(self, delta: int) -> None:
        view = next((a for a in self.ancestors if isinstance(a, PathView)), None)
        if view is not None:
            view.switch(delta)


class PathView(Vertical):
    """The paths of a :class:`CheckResult`: a subnet line and the numbered hops of one path."""

    class HopSelected(Message):
        """A hop was highlighted: show its evidence."""

        def __init__(self, hop: Hop, path: PathResult) -> None:
            super().__init__()
            self.hop = hop
            self.path = path

    current: reactive[int] = reactive(0, init=False)
    """Index of the shown path in ``result.paths``."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.result: CheckResult | None = None
        self.subnet_names: Mapping[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Static("", id="path-tabs", markup=False)
        yield HopList(id="hops")

    def on_mount(self) -> None:
        self.query_one("#path-tabs", Static).display = False

    @property
    def hops(self) -> HopList:
        return self.query_one("#hops", HopList)

    @property
    def path(self) -> PathResult | None:
        if self.result is None or not self.result.paths:
            return None
        return self.result.paths[min(self.current, len(self.result.paths) - 1)]

    @property
    def selected(self) -> Hop | None:
        path = self.path
        index = self.hops.highlighted
        if path is None or index is None or not 0 <= index < len(path.hops):
            return None
        return path.hops[index]

    def show(self, result: CheckResult, subnet_names: Mapping[str, str]) -> None:
        """Show ``result``, opened on the path and hop that block (the answer first)."""
        self.result = result
        self.subnet_names = subnet_names
        blocking = result.blocking
        index = 0
        for i, path in enumerate(result.paths):
            if blocking is not None and any(h is blocking for h in path.hops):
                index = i
                break
        self.set_reactive(PathView.current, index)
        self._fill(focus_hop=None)

    def switch(self, delta: int) -> None:
        if self.result is None or len(self.result.paths) < 2:
            return
        keep = self.hops.highlighted
        self.set_reactive(PathView.current, (self.current + delta) % len(self.result.paths))
        self._fill(focus_hop=keep)

    def _fill(self, *, focus_hop: int | None) -> None:
        path = self.path
        hops = self.hops
        hops.clear_options()
        tabs = self.query_one("#path-tabs", Static)
        if path is None:
            tabs.display = False
            hops.add_option(Option(Text("The engine returned no path.", style="dim")))
            hops.highlighted = None
            return
        tabs.update(self._tabs())
        tabs.display = True
        hops.add_options(Option(row) for row in hop_rows(path, self.subnet_names))
        if focus_hop is None:
            blocking = path.blocking
            focus_hop = next((i for i, h in enumerate(path.hops) if h is blocking), 0)
        hops.highlighted = max(0, min(focus_hop, len(path.hops) - 1))
        self._post_selected()

    def _tabs(self) -> Text:
        assert self.result is not None
        text = Text(no_wrap=True, overflow="ellipsis")
        paths = self.result.paths
        text.append("Path from ", style="dim")
        for i, path in enumerate(paths):
            if i:
                text.append("  ·  ", style="dim")
            symbol, style = _VERDICT_MARK.get(str(path.verdict), ("?", "yellow"))
            name = subnet_label(path.subnet, self.subnet_names) or "outside any VPC"
            az = short_az(path.az)
            label = f"{symbol} {name}" + (f" ({az})" if az else "")
            text.append(label, style=f"bold reverse {style}" if i == self.current else style)
        if len(paths) > 1:
            text.append("   ← → subnet", style="dim italic")
        return text

    def _post_selected(self) -> None:
        hop, path = self.selected, self.path
        if hop is not None and path is not None:
            self.post_message(PathView.HopSelected(hop, path))

    @on(OptionList.OptionHighlighted, "#hops")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._post_selected()

    @on(OptionList.OptionSelected, "#hops")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._post_selected()
