"""The checklist walk (:class:`~vpcdoctor.diagnostics.findings.Walk`) as Markdown and as rich text.

Used by ``vpcdoctor walk`` and by the TUI's export. Every string of a step has already been
cleaned by :mod:`vpcdoctor.diagnostics.checklist` (values from AWS are untrusted) and goes into
rich ``Text`` objects, never into markup.
"""

from __future__ import annotations

import sys
from typing import TextIO

from vpcdoctor.diagnostics.findings import Finding, StepStatus, Walk
from vpcdoctor.diagnostics.safe_text import clean, fenced
from vpcdoctor.diagnostics.safe_text import markdown_inline as md
from vpcdoctor.knowledge import render, ui_text

__all__ = ["badge", "print_text", "to_markdown"]

_STYLE = {
    StepStatus.OK: "bold green",
    StepStatus.WARN: "bold yellow",
    StepStatus.FAIL: "bold white on red",
    StepStatus.UNKNOWN: "bold magenta",
    StepStatus.NOT_APPLICABLE: "dim",
}
_EMOJI = {
    StepStatus.OK: "✅",
    StepStatus.WARN: "⚠️",
    StepStatus.FAIL: "❌",
    StepStatus.UNKNOWN: "❔",
    StepStatus.NOT_APPLICABLE: "➖",
}


def badge(status: StepStatus, lang: str) -> str:
    """The status label in the chosen language (``OK``, ``注意`` …)."""
    return ui_text(lang)[f"status_{str(status).replace('-', '_')}"]


# ---------------------------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------------------------


def _summary(result: Walk) -> str:
    counts = {s: 0 for s in StepStatus}
    for step in result.steps:
        counts[step.status] += 1
    return render(
        ui_text(result.lang)["summary"],
        {
            "fail": counts[StepStatus.FAIL],
            "warn": counts[StepStatus.WARN],
            "unknown": counts[StepStatus.UNKNOWN],
            "ok": counts[StepStatus.OK],
            "na": counts[StepStatus.NOT_APPLICABLE],
        },
    )


def to_markdown(result: Walk) -> str:
    """The walk as Markdown (a table of steps, then each step's why, evidence and fix)."""
    ui = ui_text(result.lang)
    heading = render(ui["heading"], {"function": md(result.function)})
    out = [f"# {heading}", "", _summary(result), ""]
    out += [f"| # | {ui['step']} | {ui['status']} |", "|---|---|---|"]
    for n, step in enumerate(result.steps, 1):
        label = f"{_EMOJI[step.status]} {badge(step.status, result.lang)}"
        out.append(f"| {n} | {md(step.title)} ({_code(step.id)}) | {label} |")
    out.append("")
    for n, step in enumerate(result.steps, 1):
        out += _markdown_step(n, step, result.lang)
    return "\n".join(out) + "\n"


def _code(value: str) -> str:
    """An inline code span for an id (``reach:TARGET`` holds the target someone typed): one
    the content cannot close; escaped text when it holds a backtick or a table's pipe."""
    text = clean(value)
    return f"`{text}`" if "`" not in text and "|" not in text else md(text)


def _markdown_step(n: int, step: Finding, lang: str) -> list[str]:
    ui = ui_text(lang)
    # Titles and ids name the function and the target: untrusted, escaped like the evidence.
    out = [f"## {n}. {_EMOJI[step.status]} {md(step.title)} — {badge(step.status, lang)}", ""]
    out += [_code(step.id), ""]
    if step.why:
        out += [f"**{ui['why']}**", "", step.why, ""]
    out += [f"**{ui['evidence']}**", ""]
    # evidence quotes the account (names, descriptions): literal text, never Markdown or HTML
    out += [f"- {md(line)}" for line in step.evidence] or [f"- {ui['no_evidence']}"]
    out.append("")
    if step.fixes:
        out += [f"**{ui['fix']}**", ""]
        texts = list(dict.fromkeys(b.text for b in step.fixes if b.text))
        out += [f"- {md(t)}" for t in texts]
        cli = "\n\n".join(b.cli for b in step.fixes if b.cli)
        cfn = "\n".join(b.cloudformation for b in step.fixes if b.cloudformation)
        if cli:
            out += ["", *fenced(cli, "bash")]
        if cfn:
            out += ["", f"{ui['cloudformation']}:", "", *fenced(cfn, "yaml")]
        out.append("")
    if step.links:
        out += [f"**{ui['links']}**", ""]
        out += [f"- [{link.title}]({link.url})" for link in step.links]
        out.append("")
    return out


# ---------------------------------------------------------------------------------------------
# Terminal (rich)
# ---------------------------------------------------------------------------------------------


def print_text(result: Walk, file: TextIO | None = None) -> None:
    """The walk in the terminal: one panel per step with its badge, evidence and fix."""
    from rich.console import Console, Group, RenderableType
    from rich.panel import Panel
    from rich.text import Text

    console = Console(file=file or sys.stdout, soft_wrap=False)
    ui = ui_text(result.lang)
    console.print(Text(render(ui["heading"], {"function": clean(result.function)}), style="bold"))
    console.print(Text(_summary(result)))
    for n, step in enumerate(result.steps, 1):
        parts: list[RenderableType] = []
        body = Text()
        for line in step.evidence:
            body.append("• ", style="dim")
            body.append(line + "\n")
        if not step.evidence:
            body.append(ui["no_evidence"] + "\n", style="dim")
        parts.append(body)
        if step.fixes:
            parts.append(Text(ui["fix"], style="bold"))
            texts = list(dict.fromkeys(b.text for b in step.fixes if b.text))
            for text in texts:
                parts.append(Text("  " + text))
        title = Text()
        title.append(f" {badge(step.status, result.lang)} ", style=_STYLE[step.status])
        title.append(f" {n}. {step.title} ", style="bold")
        title.append(f"({step.id})", style="dim")
        console.print(
            Panel(
                Group(*parts),
                title=title,
                title_align="left",
                border_style=_STYLE[step.status].replace("bold ", "").split(" on ")[0],
            )
        )
        # Commands and templates go below the panel, never hard-wrapped or boxed: a newline or
        # a border inside a command breaks copy and paste at 3 a.m.
        cli = "\n\n".join(b.cli for b in step.fixes if b.cli)
        cfn = "\n".join(b.cloudformation for b in step.fixes if b.cloudformation)
        if cli:
            console.print(Text(cli, style="cyan"), soft_wrap=True)
        if cfn:
            console.print(Text(ui["cloudformation"], style="bold"))
            console.print(Text(cfn), soft_wrap=True)
        if cli or cfn:
            console.print()
