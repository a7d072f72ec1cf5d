"""The overview's words: tree labels, the filter's match, the loading line (pure; no widget).

Split from the overview screen so the screen holds only its events and workers; the functions
here take the account and the audit explicitly, and tests can call them as they are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text

from vpcdoctor.tui.badges import Badge, FunctionAudit, pending
from vpcdoctor.tui.messages import CollectionProgress
from vpcdoctor.tui.text import line as clean
from vpcdoctor.tui.text import literal
from vpcdoctor.tui.widgets.function_detail import subnet_summary

if TYPE_CHECKING:
    from textual.widgets import Tree
    from textual.widgets.tree import TreeNode

    from vpcdoctor.graph.model import Account, LambdaFunction

NO_VPC = "(not in a VPC)"


def progress_message(event: Any) -> CollectionProgress:
    """A collector :class:`~vpcdoctor.graph.live.collect.ProgressEvent` in words for the loading
    line."""
    from vpcdoctor.graph.live.collect import ProgressEvent, ProgressKind

    if not isinstance(event, ProgressEvent):
        return CollectionProgress(str(event))
    if event.event is ProgressKind.DONE:
        text = f"Collected: {event.calls} AWS calls"
    elif event.total:
        text = f"Collecting from AWS (read-only): {event.done} of {event.total} operations"
    else:
        text = "Collecting from AWS (read-only)…"
    detail = []
    if event.operation and event.event is not ProgressKind.DONE:
        detail.append(event.operation)
    if event.gaps:
        detail.append(f"{event.gaps} not readable (shown as unknown)")
    return CollectionProgress(text, event.done, event.total or None, detail=" · ".join(detail))


def az_summary(account: Account, fn: LambdaFunction) -> str:
    """``1a·1c`` : the AZ suffixes of the function's subnets, short enough for 80 columns."""
    if fn.vpc is None:
        return ""
    azs = []
    for subnet_id in fn.vpc.subnet_ids:
        subnet = account.subnets.get(subnet_id)
        az = subnet.az if subnet is not None else "?"
        short = az.rsplit("-", 1)[-1] if "-" in az else az
        short = short[1:] if short[:1].isdigit() and len(short) > 2 else short
        if short not in azs:
            azs.append(clean(short, limit=12))
    return "·".join(azs)


def function_label(account: Account | None, name: str, audit: FunctionAudit | None) -> Text:
    """``✘ orders-api  1a·1c  internet ✘`` (badge, name, AZs, what the audit found)."""
    audit = audit or pending(name)
    label = _badge(audit)
    label.append(" ")
    label.append_text(literal(name, "bold", limit=64))
    if account is not None and name in account.functions:
        fn = account.functions[name]
        azs = az_summary(account, fn)
        if azs:
            label.append(f"  {azs}", style="cyan")
        if audit.short:
            style = "red" if audit.badge in (Badge.BLOCKED, Badge.NOT_ACTIVE) else "yellow"
            label.append("  ")
            label.append_text(literal(audit.short, style, limit=60))
        else:
            summary = subnet_summary(account, fn)
            if summary:
                label.append(f"  {summary}", style="dim")
    return label


def _badge(audit: FunctionAudit) -> Text:
    from vpcdoctor.tui.badges import badge_text

    return badge_text(audit.badge, with_label=False)


def matches(
    account: Account | None, fn: LambdaFunction, audit: FunctionAudit | None, words: list[str]
) -> bool:
    """Every filter word is in the function's name, runtime, badge, VPC, subnets or AZs."""
    if not words:
        return True
    audit = audit or pending(fn.name)
    hay = [fn.name, fn.runtime or "", audit.badge.value]
    if fn.vpc is not None:
        hay.append(fn.vpc.vpc_id or "")
        for subnet_id in fn.vpc.subnet_ids:
            hay.append(subnet_id)
            subnet = account.subnets.get(subnet_id) if account else None
            if subnet is not None:
                hay.extend([subnet.az, subnet.name, subnet.vpc_id])
                vpc = account.vpcs.get(subnet.vpc_id) if account else None
                if vpc is not None:
                    hay.append(vpc.name)
    text = " ".join(hay).lower()
    return all(word in text for word in words)


def vpc_of(account: Account | None, fn: LambdaFunction) -> str:
    """The VPC a function is grouped under (or :data:`NO_VPC`)."""
    if not fn.in_vpc:
        return NO_VPC
    found = account.function_vpc(fn) if account is not None else fn.vpc_id_via(lambda _s: None)
    return found or "(unknown VPC)"


def vpc_label(account: Account | None, vpc_id: str, count: int) -> Text:
    """``vpc-0…  prod-core  10.20.0.0/16  (4 functions)``."""
    vpc = account.vpcs.get(vpc_id) if account else None
    label = Text()
    label.append_text(literal(vpc_id, "bold"))
    if vpc is not None:
        if vpc.name != vpc.id:
            label.append("  ")
            label.append_text(literal(vpc.name, "italic", limit=40))
        if vpc.cidrs:
            label.append("  " + ", ".join(str(c) for c in vpc.cidrs), style="dim")
    label.append(f"  ({count} function{'s' if count != 1 else ''})", style="dim")
    return label


def best_match(tree: Tree[str | None], words: list[str]) -> TreeNode[str | None] | None:
    """The first function whose own name matches the filter (then any match)."""
    first = None
    for node in tree.root.children:
        for leaf in node.children:
            name = (leaf.data or "").lower()
            if all(word in name for word in words):
                return leaf
            first = first or leaf
    return first


def no_account_text(source: Any, *, error_shown: bool) -> Text:
    """The side panel before an account is there: what is happening and what to do."""
    if error_shown:
        text = Text()
        text.append("No account loaded.\n", style="bold")
        text.append("r", style="bold reverse")
        text.append(" try again once the problem above is fixed\n")
        text.append("ctrl+q", style="bold reverse")
        text.append(" quit\n\n")
        text.append("Offline instead: vpcdoctor --snapshot DIR, or vpcdoctor demo", style="dim")
        return text
    if source.live:
        text = Text()
        text.append("Collecting the account from AWS…\n", style="bold")
        text.append(
            "Read-only calls, in parallel; a large account takes a minute. The functions "
            "appear here as soon as it is done.\n\n",
        )
        text.append("ctrl+q", style="bold reverse")
        text.append(" quit  ")
        text.append("?", style="bold reverse")
        text.append(" help")
        return text
    return Text(f"Reading the {source.describe()}…", style="dim")
