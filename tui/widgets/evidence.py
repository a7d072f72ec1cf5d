"""The evidence of one hop: the exact routes, rules, entries or DNS step that decided it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text

from vpcdoctor.diagnostics.safe_text import clean
from vpcdoctor.graph.model.verdict import HopKind
from vpcdoctor.tui.labels import STATUS_SYMBOLS, hop_direction, kind_label
from vpcdoctor.tui.text import fix_block, line, literal
from vpcdoctor.tui.widgets.wrapped import WrappedText

if TYPE_CHECKING:
    from vpcdoctor.graph.model.verdict import Hop, PathResult, Warning

STATUS_STYLES = {"pass": "bold green", "fail": "bold red", "unknown": "bold yellow", "skip": "dim"}

_EVIDENCE_HEADING: dict[str, str] = {
    HopKind.SECURITY_GROUP: "Rules evaluated",
    HopKind.NETWORK_ACL: "Entry that decided",
    HopKind.ROUTE_TABLE: "Routes",
}


def related_warnings(hop: Hop, warnings: Sequence[Warning]) -> list[Warning]:
    """The result's warnings that are about this hop (its resource, or a resource in its
    evidence), or all of them when the hop's sentence points at "the warning"."""
    if "warning" in hop.detail.lower():
        return list(warnings)
    about = {hop.resource, *(e.resource for e in hop.evidence)} - {None, ""}
    return [w for w in warnings if w.resource and w.resource in about]


def unique_warnings(warnings: Sequence[Warning]) -> list[tuple[Warning, int]]:
    """Each warning code once, with how many times it was raised (one per subnet, often)."""
    seen: dict[str, list[Warning]] = {}
    for warning in warnings:
        seen.setdefault(warning.code, []).append(warning)
    return [(group[0], len(group)) for group in seen.values()]


def warning_line(warning: Warning, count: int = 1) -> Text:
    """``! <the sentence>  CODE`` (the code small, once; ``×2`` when raised on several paths)."""
    text = Text()
    text.append("! ", style="bold yellow")
    text.append_text(literal(warning.detail, limit=600))
    text.append("  ")
    text.append(clean(warning.code, limit=60), style="dim")
    if count > 1:
        text.append(f" ×{count}", style="dim")
    return text


def evidence_text(
    hop: Hop,
    path: PathResult | None = None,
    *,
    number: int | None = None,
    warnings: Sequence[Warning] = (),
) -> Text:
    """Everything the hop carries, for a person (pure: tests use it too)."""
    status = str(hop.status)
    style = STATUS_STYLES.get(status, "bold")
    text = Text()
    text.append(f"{STATUS_SYMBOLS.get(status, '·')} {status.upper()}  ", style=style)
    if number is not None:
        text.append(f"hop {number} · ", style="dim")
    text.append(kind_label(hop.kind) + " ", style="bold")
    text.append_text(literal(hop.resource or "(nothing in the account)", "bold"))
    direction = hop_direction(hop)
    if direction:
        text.append(f"  {direction}", style="cyan")
    where = hop.subnet or (path.subnet if path is not None else None)
    if where:
        text.append(f"  · {clean(where, limit=40)}", style="dim")
    text.append("  ")
    text.append(clean(hop.code, limit=80), style="dim")
    text.append("\n")
    text.append_text(literal(hop.detail, limit=1000))
    if hop.evidence:
        heading = _EVIDENCE_HEADING.get(hop.kind, "Evidence")
        text.append(f"\n\n{heading}\n", style="bold")
        for item in hop.evidence:
            allows = item.text.endswith(("(allows)", ": allows"))
            text.append("  ▶ " if allows else "    ", style="bold green")
            text.append_text(literal(item.resource, "cyan", limit=80))
            text.append("  ")
            text.append_text(literal(item.text, "bold" if allows else "", limit=300))
            text.append("\n")
        if hop.kind == "security-group" and status == "fail":
            text.append("    none of these rules allows it\n", style="italic red")
    for warning, count in unique_warnings(related_warnings(hop, warnings)):
        text.append("\n")
        text.append_text(warning_line(warning, count))
        text.append("\n")
    fixes = getattr(hop, "fixes", ())
    if fixes:
        text.append("\nFix\n", style="bold green")
        for option in fixes:
            text.append_text(literal(option.summary, limit=400))
            text.append("\n")
            for command in option.commands:
                text.append("  $ ", style="dim")
                text.append_text(literal(command.text, limit=2000))
                text.append("\n")
    elif hop.fix:
        text.append("\nFix\n", style="bold green")
        text.append(fix_block(hop))
        text.append("\n")
    if hop.needs:
        text.append("\nTo decide\n", style="bold yellow")
        text.append(line(hop.needs, limit=2000))
        text.append("\n")
    keys = []
    if hop.resource:
        keys += ["y copy id", "o console URL", "j raw JSON"]
    if hop.fix or fixes:
        keys.append("f copy fix")
    if keys:
        text.append("\n" + " · ".join(keys), style="dim italic")
    return text


class EvidencePanel(WrappedText):
    """Shows the selected hop (wrapped between words: an id or a command word stays whole)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text("Select a hop to see why it passed or failed.", style="dim"), id=id)
        self.hop: Hop | None = None
        self.path: PathResult | None = None
        self.title = "Evidence"
        """The border's word (the screen sets it in the app's language)."""

    def show(
        self, hop: Hop, path: PathResult | None = None, *, warnings: Sequence[Warning] = ()
    ) -> None:
        self.hop = hop
        self.path = path
        number = None
        if path is not None:
            number = next((i + 1 for i, h in enumerate(path.hops) if h is hop), None)
        self.border_title = f"{self.title}: {kind_label(hop.kind)}"
        self.update(evidence_text(hop, path, number=number, warnings=warnings))

    def clear(self) -> None:
        self.hop = None
        self.path = None
        self.border_title = self.title
        self.update(Text("Select a hop to see why it passed or failed.", style="dim"))
