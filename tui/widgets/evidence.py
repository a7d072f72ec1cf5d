"""The evidence of one hop: the exact route, rule, entry or DNS step that decided it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from vpcdoctor.tui.untrusted import clean, clean_block, literal
from vpcdoctor.tui.widgets.path import STATUS_SYMBOLS, kind_label

if TYPE_CHECKING:
    from vpcdoctor.graph.model.verdict import Hop, PathResult

STATUS_STYLES = {"pass": "bold green", "fail": "bold red", "unknown": "bold yellow", "skip": "dim"}


def evidence_text(hop: Hop, path: PathResult | None = None) -> Text:
    """Everything the hop carries, for a person (pure: also used by tests)."""
    status = str(hop.status)
    style = STATUS_STYLES.get(status, "bold")
    text = Text()
    text.append(f"{STATUS_SYMBOLS.get(status, '·')} {status.upper()}  ", style=style)
    text.append(kind_label(hop.kind) + " ", style="bold")
    text.append_text(literal(hop.resource or "(nothing in the account)", "bold"))
    if path is not None and path.subnet:
        text.append(f"   from {clean(path.subnet, limit=40)}", style="dim")
        if path.az:
            text.append(f" · {clean(path.az, limit=30)}", style="dim")
    text.append("\n")
    text.append(clean(hop.code, limit=80), style=style)
    text.append("\n")
    text.append_text(literal(hop.detail, limit=1000))
    if hop.evidence:
        text.append("\n\nEvidence\n", style="bold")
        for item in hop.evidence:
            text.append("  ")
            text.append_text(literal(item.resource, "bold cyan", limit=80))
            text.append("  ")
            text.append_text(literal(item.text, limit=300))
            text.append("\n")
    if hop.fix:
        text.append("\nFix\n" if not hop.evidence else "Fix\n", style="bold green")
        text.append(clean_block(hop.fix))
        text.append("\n")
    if hop.needs:
        text.append("\nTo decide\n", style="bold yellow")
        text.append(clean_block(hop.needs))
        text.append("\n")
    keys = ["y: copy the resource id"] if hop.resource else []
    if hop.fix:
        keys.append("f: copy the fix")
    if keys:
        text.append("\n" + " · ".join(keys), style="dim italic")
    return text


class EvidencePanel(Static):
    """Shows the selected hop."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            Text("Select a hop to see why it passed or failed.", style="dim"), markup=False, id=id
        )
        self.hop: Hop | None = None

    def show(self, hop: Hop, path: PathResult | None = None) -> None:
        self.hop = hop
        self.border_title = f"Evidence: {kind_label(hop.kind)}"
        self.update(evidence_text(hop, path))

    def clear(self) -> None:
        self.hop = None
        self.border_title = "Evidence"
        self.update(Text("Select a hop to see why it passed or failed.", style="dim"))
