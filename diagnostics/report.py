"""Renderers of a :class:`CheckResult` and of an audit (:mod:`~vpcdoctor.diagnostics.audit`):
rich text, Markdown and Mermaid.

Everything shown comes partly from the account (names, tags, descriptions), which is untrusted:
text goes through :mod:`vpcdoctor.diagnostics.safe_text` (``clean``: escape sequences and control
characters stripped) and into rich ``Text`` objects, never into markup; Markdown escapes with
``md`` (``safe_text.markdown_inline``) and fences code with ``fenced``; Mermaid labels use entity
codes (``mermaid_label``).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from vpcdoctor.diagnostics.safe_text import clean, fenced, mermaid_label
from vpcdoctor.diagnostics.safe_text import markdown_inline as md
from vpcdoctor.graph.model.verdict import CheckResult, Hop, HopStatus, PathResult, Verdict

if TYPE_CHECKING:
    from vpcdoctor.diagnostics.audit import AuditRow
    from vpcdoctor.diagnostics.context import SnapshotContext

VERDICT_STYLE = {
    Verdict.REACHABLE: "bold green",
    Verdict.UNREACHABLE: "bold red",
    Verdict.UNKNOWN: "bold yellow",
}
STATUS_MARK = {
    HopStatus.PASS: ("✓", "green"),
    HopStatus.FAIL: ("✗", "red"),
    HopStatus.UNKNOWN: ("?", "yellow"),
    HopStatus.SKIP: ("·", "dim"),
}


# --------------------------------------------------------------------------------------------
# Text (rich)
# --------------------------------------------------------------------------------------------


class Prose(Text):
    """A sentence that wraps under its own indentation in a terminal, and is one long line
    when piped (so a pasted report has no hard wraps)."""

    indent: int = 0


def _prose(text: str, indent: int) -> Prose:
    prose = Prose(text)
    prose.indent = indent
    return prose


def _printable(part: RenderableType, *, terminal: bool) -> RenderableType:
    if isinstance(part, Prose):
        if terminal:
            return Padding(Text(part.plain, style=part.style), (0, 0, 0, part.indent))
        return Text(" " * part.indent + part.plain, style=part.style)
    return part


class CommandLine(Text):
    """A command line: printed soft-wrapped (never cut, never hard-wrapped), because a newline
    inside it breaks copy and paste."""


def _command(label: str, command: str, indent: int, style: str) -> Text:
    line = CommandLine(" " * indent + label, style="bold")
    line.append(command, style=style)
    return line


def _answer(result: CheckResult) -> list[RenderableType]:
    out: list[RenderableType] = []
    head = Text()
    head.append(clean(result.function), style="bold")
    head.append(" → ")
    head.append(clean(result.target.input), style="bold")
    head.append(f" ({result.target.protocol}/{result.target.port}, {result.target.kind}): ")
    head.append(str(result.verdict).upper(), style=VERDICT_STYLE[result.verdict])
    out.append(head)
    blocking = result.blocking
    if blocking is not None:
        decided = blocking.status is HopStatus.FAIL
        # An unknown did not fail: it is undecided at that hop (issue 16, item 15).
        line = Text("  blocked at " if decided else "  undecided at ", style="bold")
        line.append(
            clean(blocking.resource or "(nothing in the account)"),
            style="bold red" if decided else "bold yellow",
        )
        line.append(f" [{clean(blocking.code)}]")
        out.append(line)
        out.append(_prose(clean(blocking.detail), 2))
        if blocking.fixes and (
            len(blocking.fixes) > 1 or any(o.cost or o.affects for o in blocking.fixes)
        ):
            out.extend(_options(blocking))
        elif blocking.fix:
            out.append(_command("fix: ", clean(blocking.fix), 2, "cyan"))
        if blocking.needs:
            out.append(_command("needs: ", clean(blocking.needs), 2, "yellow"))
    failing = result.failing_subnets
    if failing and result.verdict is not Verdict.REACHABLE and len(result.paths) > 1:
        failed = [p.subnet for p in result.paths if p.verdict is Verdict.UNREACHABLE and p.subnet]
        undecided = [p.subnet for p in result.paths if p.verdict is Verdict.UNKNOWN and p.subnet]
        if failed:
            out.append(Text(f"  failing subnets: {', '.join(clean(s) for s in failed)}"))
        if undecided:
            out.append(Text(f"  undecided subnets: {', '.join(clean(s) for s in undecided)}"))
    for w in result.warnings:
        warn = Text("  warning ", style="bold yellow")
        warn.append(f"{clean(w.code)}: ")
        warn.append(clean(w.detail))
        out.append(warn)
    if result.notes:
        shown = "; ".join(clean(n) for n in result.notes[:3])
        more = (
            f" (and {len(result.notes) - 3} more: --format json lists them)"
            if len(result.notes) > 3
            else ""
        )
        out.append(Text(f"  not used: {shown}{more}", style="dim"))
    return out


def _options(hop: Hop) -> list[RenderableType]:
    """Every ranked way to fix the blocking hop: the first is the one to try; each with its
    commands (one a line, in order), what it costs and what else it changes."""
    out: list[RenderableType] = []
    for i, option in enumerate(hop.fixes):
        label = "fix: " if i == 0 else "or:  "
        line = Text("  " + label, style="bold")
        line.append(clean(option.summary))
        out.append(line)
        for command in option.commands:
            out.append(_command("", clean(command.text), 7, "cyan"))
        if option.cost:
            out.append(_prose("cost: " + clean(option.cost), 7))
        for other in option.affects:
            out.append(_prose("also: " + clean(other), 7))
    return out


def _path_lines(path: PathResult) -> list[RenderableType]:
    """One path: a header, then per hop a status line and its indented detail (reads well in
    narrow terminals and in pasted incident tickets)."""
    title = Text()
    title.append(
        f"{clean(path.subnet or 'outside any VPC')} ({clean(path.az or '-')}): ", style="bold"
    )
    title.append(str(path.verdict), style=VERDICT_STYLE[path.verdict])
    out: list[RenderableType] = [title]
    for hop in path.hops:
        mark, style = STATUS_MARK[hop.status]
        line = Text("  ")
        line.append(mark, style=style)
        line.append(f" {clean(hop.kind)} ")
        line.append(clean(hop.resource or "-"), style="bold")
        line.append(f"  {clean(hop.code)}", style=style)
        out.append(line)
        out.append(_prose(clean(hop.detail), 6))
        if hop.status is HopStatus.FAIL and hop.fix:
            out.append(_command("fix: ", clean(hop.fix), 6, "cyan"))
        if hop.needs:
            out.append(_command("needs: ", clean(hop.needs), 6, "yellow"))
    return out


def text_parts(result: CheckResult) -> list[RenderableType]:
    """The answer first (verdict, blocking hop, fix), then hop by hop per subnet."""
    parts: list[RenderableType] = _answer(result)
    for path in result.paths:
        parts.append(Text(""))
        parts.extend(_path_lines(path))
    return parts


def text_renderable(result: CheckResult) -> RenderableType:
    return Group(*(_printable(p, terminal=True) for p in text_parts(result)))


def print_text(result: CheckResult, console: Console | None = None) -> None:
    # Piped into a file or an incident ticket: no hard wraps at all.
    console = console or Console(highlight=False, soft_wrap=not sys.stdout.isatty())
    terminal = not console.soft_wrap
    for part in text_parts(result):
        soft = True if isinstance(part, CommandLine) else None
        console.print(_printable(part, terminal=terminal), soft_wrap=soft)


# --------------------------------------------------------------------------------------------
# Markdown
# --------------------------------------------------------------------------------------------


def markdown(result: CheckResult, context: SnapshotContext | None = None) -> str:
    """The incident-ticket Markdown; ``context`` adds account, Region and snapshot age."""
    lines = [
        f"## {md(result.function)} → {md(result.target.input)}: **{result.verdict}**",
        "",
        *((*context.markdown_lines(), "") if context is not None else ()),
        f"Target: {md(result.target.host)} {result.target.protocol}/{result.target.port} "
        f"({result.target.kind})",
        "",
    ]
    blocking = result.blocking
    if blocking is not None:
        verb = "Blocked at" if blocking.status is HopStatus.FAIL else "Undecided at"
        lines += [
            f"**{verb}** {md(blocking.resource or '(nothing in the account)')} "
            f"(`{clean(blocking.code)}`): {md(blocking.detail)}",
            "",
        ]
        if blocking.fix:
            lines += ["Fix:", "", *fenced(blocking.fix, "sh"), ""]
        if blocking.needs:
            lines += [f"Needs: {md(blocking.needs)}", ""]
    if result.warnings:
        lines += ["Warnings:", ""]
        lines += [f"- `{clean(w.code)}`: {md(w.detail)}" for w in result.warnings]
        lines.append("")
    for path in result.paths:
        lines += [
            f"### {md(path.subnet or 'outside any VPC')} ({md(path.az or '-')}): {path.verdict}",
            "",
            "| | hop | resource | code | detail |",
            "|---|---|---|---|---|",
        ]
        for hop in path.hops:
            extra = ""
            if hop.status is HopStatus.FAIL and hop.fix:
                extra += f"<br>fix: {md(hop.fix)}"
            if hop.needs:
                extra += f"<br>needs: {md(hop.needs)}"
            lines.append(
                f"| {STATUS_MARK[hop.status][0]} | {md(hop.kind)} | "
                f"{md(hop.resource or '-')} | {md(hop.code)} | {md(hop.detail)}{extra} |"
            )
        lines.append("")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Mermaid
# --------------------------------------------------------------------------------------------


def mermaid(result: CheckResult) -> str:
    """A flowchart like the seed documents': the function, one subgraph per subnet/AZ, hop by
    hop, the blocking hop styled."""
    lines = ["flowchart LR"]
    lines.append(f'  fn["Lambda {mermaid_label(result.function)}"]')
    classes: dict[str, list[str]] = {
        "pass": [],
        "fail": [],
        "unknown": [],
        "skip": [],
        "blocking": [],
    }
    for pi, path in enumerate(result.paths):
        title = f"{path.subnet or 'outside any VPC'} ({path.az or '-'}): {path.verdict}"
        lines.append(f'  subgraph P{pi}["{mermaid_label(title)}"]')
        lines.append("    direction LR")
        ids = []
        for hi, hop in enumerate(path.hops):
            if hop.kind == "lambda" and hop.status is HopStatus.PASS:
                continue
            node = f"p{pi}h{hi}"
            ids.append(node)
            label = f"{hop.kind}: {hop.resource or '-'}<br/>{hop.code}"
            # <br/> is Mermaid's line break; everything else in the label is escaped
            label = "<br/>".join(mermaid_label(x) for x in label.split("<br/>"))
            lines.append(f'    {node}["{label}"]')
            classes[str(hop.status)].append(node)
            if hop is path.blocking and path.verdict is not Verdict.REACHABLE:
                classes["blocking"].append(node)
        lines.append("  end")
        prev = "fn"
        for node in ids:
            lines.append(f"  {prev} --> {node}")
            prev = node
    lines += [
        "  classDef pass fill:#e8f5e9,stroke:#2e7d32",
        "  classDef fail fill:#ffebee,stroke:#c62828",
        "  classDef unknown fill:#fff8e1,stroke:#f9a825",
        "  classDef skip fill:#f5f5f5,stroke:#9e9e9e,color:#757575",
        "  classDef blocking fill:#ffcdd2,stroke:#b71c1c,stroke-width:3px",
    ]
    for cls, nodes in classes.items():
        if nodes:
            lines.append(f"  class {','.join(nodes)} {cls}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Audit
# --------------------------------------------------------------------------------------------


def audit_summary(rows: Sequence[AuditRow]) -> dict[str, int]:
    verdicts = [r.verdict for row in rows for r in row.results]
    return {
        "functions": len(rows),
        "checks": len(verdicts),
        "reachable": sum(v is Verdict.REACHABLE for v in verdicts),
        "unreachable": sum(v is Verdict.UNREACHABLE for v in verdicts),
        "unknown": sum(v is Verdict.UNKNOWN for v in verdicts),
    }


def audit_json(rows: Sequence[AuditRow]) -> dict[str, Any]:
    functions = []
    for row in rows:
        entry: dict[str, Any] = {
            "function": row.function,
            "vpc": row.vpc,
            "results": [r.to_json() for r in row.results],
        }
        if row.error:
            entry["error"] = row.error
        functions.append(entry)
    return {"functions": functions, "summary": audit_summary(rows)}


def _blocking_text(result: CheckResult) -> str:
    b = result.blocking
    if b is None:
        return ""
    return f"{b.code} @ {b.resource or '-'}"


def audit_table(rows: Sequence[AuditRow]) -> Table:
    """One row per (function, target); the VPC is under the function name."""
    table = Table(title="vpcdoctor audit", title_justify="left")
    table.add_column("function", overflow="fold", min_width=12)
    table.add_column("target", overflow="fold", min_width=8)
    table.add_column("verdict", no_wrap=True)
    table.add_column("blocking", overflow="fold", min_width=24)
    table.add_column("warnings", overflow="fold")
    for row in rows:
        name = Text(clean(row.function), style="bold")
        name.append("\n" + clean(row.vpc or "(no VPC)"), style="dim")
        if row.error:
            table.add_row(
                name, Text("-"), Text("error", style="bold red"), Text(clean(row.error)), Text("")
            )
            continue
        for i, r in enumerate(row.results):
            table.add_row(
                name if i == 0 else Text(""),
                Text(clean(r.target.input)),
                Text(str(r.verdict), style=VERDICT_STYLE[r.verdict]),
                Text(clean(_blocking_text(r))),
                Text(clean(", ".join(sorted({w.code for w in r.warnings})))),
                end_section=i == len(row.results) - 1,
            )
    return table


def audit_summary_text(rows: Sequence[AuditRow]) -> Text:
    s = audit_summary(rows)
    text = Text(f"{s['functions']} functions, {s['checks']} checks: ")
    text.append(f"{s['reachable']} reachable", style="green")
    text.append(", ")
    text.append(f"{s['unreachable']} unreachable", style="red")
    text.append(", ")
    text.append(f"{s['unknown']} unknown", style="yellow")
    return text


def audit_markdown(rows: Sequence[AuditRow], context: SnapshotContext | None = None) -> str:
    lines = [
        "## vpcdoctor audit",
        "",
        *((*context.markdown_lines(), "") if context is not None else ()),
        "| function | vpc | target | verdict | blocking | warnings |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        if row.error:
            lines.append(
                f"| {md(row.function)} | {md(row.vpc or '-')} | - | error | {md(row.error)} | |"
            )
            continue
        for r in row.results:
            lines.append(
                f"| {md(row.function)} | {md(row.vpc or '-')} | {md(r.target.input)} | "
                f"**{r.verdict}** | {md(_blocking_text(r))} | "
                f"{md(', '.join(sorted({w.code for w in r.warnings})))} |"
            )
    s = audit_summary(rows)
    lines += [
        "",
        f"{s['functions']} functions, {s['checks']} checks: {s['reachable']} "
        f"reachable, {s['unreachable']} unreachable, {s['unknown']} unknown.",
        "",
    ]
    return "\n".join(lines)


def hops_text(hops: Iterable[Hop]) -> str:
    """One line per hop, plain text (for logs and tests)."""
    return "\n".join(
        f"{STATUS_MARK[h.status][0]} {clean(h.kind)} {clean(h.resource or '-')} "
        f"{clean(h.code)}: {clean(h.detail)}"
        for h in hops
    )
