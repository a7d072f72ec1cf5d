"""``vpcdoctor diff OLD NEW``: it worked yesterday — what changed on the path since?

Every (function, target) pair is checked on both snapshots (targets: the ones given, else the
audit's defaults of the function in either snapshot). For each pair whose verdict differs, the
resources on either path (every hop's resource and evidence, the DNS steps, and the Resolver
rule associations of the rules on it) are looked up in both snapshots and their records
compared field by field: a route removed, a rule edited, an association gone, a NAT gateway that
went from ``available`` to ``failed``.

Ranking (most suspicious first):

* pairs: those that got worse (reachable → unreachable, then → unknown) before those that got
  better, then by function and target;
* resources of a pair: the resource that blocks the worse of the two checks first; then by what
  the change is — something removed or a state that went bad (3), a value edited (2), something
  added (1), tags only (0); then by the order on the path.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import ClassVar

from vpcdoctor.errors import FunctionNotFound
from vpcdoctor.graph.model import Account
from vpcdoctor.graph.model.jsonshape import JsonRecord, JsonShape, key, shape
from vpcdoctor.graph.model.verdict import CheckResult, Hop, Target, Verdict

_RANK = {Verdict.REACHABLE: 0, Verdict.UNKNOWN: 1, Verdict.UNREACHABLE: 2}
_BAD_STATES = frozenset(
    {
        "failed",
        "deleted",
        "deleting",
        "blackhole",
        "rejected",
        "expired",
        "detached",
        "detaching",
        "pending",
        "pending-acceptance",
        "stopped",
        "stopping",
        "terminated",
        "Failed",
        "Inactive",
        "Pending",
        "FAILED",
        "DELETING",
        "ACTION_NEEDED",
    }
)


_BLOCKER_JSON = shape("resource", "code", "detail")
"""A check's blocking hop in a diff: which resource, why (no fix: the diff is the story)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ResourceChange(JsonRecord):
    """One resource on a path whose record differs between the snapshots."""

    resource: str
    kind: str
    changes: tuple[str, ...]
    """What changed, one line each (``route removed: 0.0.0.0/0 → nat-…``)."""
    severity: int
    """3 removed / went bad, 2 edited, 1 added, 0 tags only."""
    blocking: bool
    """True when it is the blocking resource of the worse check."""

    JSON: ClassVar[JsonShape] = shape("resource", "kind", "changes")


@dataclass(frozen=True, slots=True, kw_only=True)
class PairDiff(JsonRecord):
    """A (function, target) whose verdict differs between the snapshots."""

    function: str
    target: Target
    before: CheckResult
    after: CheckResult
    resources: tuple[ResourceChange, ...]

    JSON: ClassVar[JsonShape] = shape(
        "function",
        "target",
        key("verdict_before", attr="before.verdict"),
        key("verdict_after", attr="after.verdict"),
        key("blocking_before", attr="before.blocking", encode=_BLOCKER_JSON),
        key("blocking_after", attr="after.blocking", encode=_BLOCKER_JSON),
        key("changed_resources", attr="resources"),
    )

    @property
    def worse(self) -> bool:
        return _RANK[self.after.verdict] > _RANK[self.before.verdict]


@dataclass(frozen=True, slots=True, kw_only=True)
class Diff(JsonRecord):
    """Everything ``vpcdoctor diff`` reports."""

    old: str
    new: str
    compared: int
    """How many (function, target) pairs were checked on both snapshots."""
    changed: tuple[PairDiff, ...]
    only_in_old: tuple[str, ...] = ()
    """Functions the new snapshot no longer has."""
    only_in_new: tuple[str, ...] = ()

    JSON: ClassVar[JsonShape] = shape(
        "old",
        "new",
        "compared",
        "changed",
        key("functions_only_in_old", attr="only_in_old"),
        key("functions_only_in_new", attr="only_in_new"),
    )

    @property
    def exit_code(self) -> int:
        """0 no verdict changed, 1 some changed (a function gone or new counts)."""
        return 1 if self.changed or self.only_in_old or self.only_in_new else 0


# ---- records ---------------------------------------------------------------------------------


def _records(account: Account) -> dict[str, object]:
    """Every record of the account by the id a hop names it with."""
    out: dict[str, object] = {}
    for f in dataclasses.fields(account):
        if f.name.startswith("_"):
            continue
        value = getattr(account, f.name)
        if hasattr(value, "items") and f.name not in ("present",):
            for key, record in value.items():
                out.setdefault(str(key), record)
    return out


def _on_path(result: CheckResult) -> list[tuple[str, str]]:
    """(resource id, kind) of every hop and evidence on every path, in path order, once each."""
    seen: dict[str, str] = {}
    hops: list[Hop] = [*result.dns]
    for path in result.paths:
        hops.extend(path.hops)
        if path.subnet:
            seen.setdefault(path.subnet, "subnet")
    for hop in hops:
        if hop.resource:
            seen.setdefault(hop.resource, hop.kind)
        for ev in hop.evidence:
            seen.setdefault(ev.resource, _kind_of(ev.resource))
    seen.setdefault(result.function, "lambda")
    return list(seen.items())


def _kind_of(resource: str) -> str:
    try:
        from vpcdoctor.graph.engine.graph import kind_for_id

        return kind_for_id(resource)
    except Exception:  # a resource id the graph does not classify
        return "resource"


def _related(account: Account, resource: str) -> list[tuple[str, str]]:
    """Records not on the path that decide it: the associations of a Resolver rule."""
    return [
        (a.id, "resolver-rule-association")
        for a in account.resolver_rule_associations.values()
        if a.rule_id == resource
    ]


def _shown(value: object) -> str:
    if isinstance(value, Enum):
        return str(value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if type(value).__str__ is not object.__str__:
            return str(value)
        parts = []
        for f in dataclasses.fields(value):
            v = getattr(value, f.name)
            if v not in (None, (), "", False):
                parts.append(f"{f.name}={_shown(v)}")
        return ", ".join(parts)
    if isinstance(value, tuple):
        return "[" + ", ".join(_shown(v) for v in value) + "]"
    return str(value)


def _label(field: str) -> str:
    singular = {
        "routes": "route",
        "ingress": "ingress rule",
        "egress": "egress rule",
        "entries": "entry",
        "subnet_ids": "subnet association",
        "vpcs": "VPC association",
        "records": "record",
        "route_table_ids": "route table",
        "security_group_ids": "security group",
        "attachments": "attachment",
        "addresses": "address",
        "private_ips": "private IP",
    }
    return singular.get(field, field.replace("_", " "))


def compare(old: object | None, new: object | None) -> tuple[tuple[str, ...], int]:
    """What changed between two records of one resource, and how suspicious that is."""
    if old is None and new is None:
        return (), 0
    if new is None:
        return ("removed: absent from the new snapshot",), 3
    if old is None:
        return ("added: absent from the old snapshot",), 1
    if old == new or not dataclasses.is_dataclass(old) or type(old) is not type(new):
        return ((), 0) if old == new else ((f"{_shown(old)} → {_shown(new)}",), 2)
    lines: list[str] = []
    severity = 0
    for f in dataclasses.fields(old):
        a, b = getattr(old, f.name), getattr(new, f.name)
        if a == b:
            continue
        if f.name == "tags":
            lines.append("tags changed")
            continue
        if isinstance(a, tuple) and isinstance(b, tuple):
            for item in a:
                if item not in b:
                    lines.append(f"{_label(f.name)} removed: {_shown(item)}")
                    severity = max(severity, 3)
            for item in b:
                if item not in a:
                    lines.append(f"{_label(f.name)} added: {_shown(item)}")
                    severity = max(severity, 1)
            continue
        lines.append(f"{f.name.replace('_', ' ')}: {_shown(a)} → {_shown(b)}")
        went_bad = _shown(b) in _BAD_STATES or b is False or b is None
        severity = max(severity, 3 if went_bad and f.name in _STATE_FIELDS else 2)
    return tuple(lines), severity


_STATE_FIELDS = frozenset(
    {
        "state",
        "status",
        "enable_dns_support",
        "enable_dns_hostnames",
        "private_dns_enabled",
        "association_state",
        "vpc",
        "last_update_status",
    }
)


# ---- the diff --------------------------------------------------------------------------------


def _pair(
    old: Account,
    new: Account,
    function: str,
    target: Target | str,
    before: CheckResult,
    after: CheckResult,
) -> PairDiff:
    old_records, new_records = _records(old), _records(new)
    worse = after if _RANK[after.verdict] >= _RANK[before.verdict] else before
    blocker = worse.blocking.resource if worse.blocking else None
    order: dict[str, tuple[int, str]] = {}
    for result, account in ((after, new), (before, old)):
        for rid, kind in _on_path(result):
            order.setdefault(rid, (len(order), kind))
            for related, rkind in _related(account, rid):
                order.setdefault(related, (len(order), rkind))
    for result, account in ((after, old), (before, new)):
        for rid, _ in _on_path(result):
            for related, rkind in _related(account, rid):
                order.setdefault(related, (len(order), rkind))
    changes: list[tuple[tuple[int, int, int], ResourceChange]] = []
    for rid, (position, kind) in order.items():
        lines, severity = compare(old_records.get(rid), new_records.get(rid))
        if not lines:
            continue
        change = ResourceChange(
            resource=rid, kind=kind, changes=lines, severity=severity, blocking=rid == blocker
        )
        changes.append(((0 if change.blocking else 1, -severity, position), change))
    changes.sort(key=lambda item: item[0])
    return PairDiff(
        function=function,
        target=after.target,
        before=before,
        after=after,
        resources=tuple(c for _, c in changes),
    )


def diff(
    old: Account,
    new: Account,
    *,
    functions: Sequence[str] | None = None,
    targets: Sequence[str] | None = None,
    old_name: str = "OLD",
    new_name: str = "NEW",
) -> Diff:
    """Compare every (function, target) between two accounts (see the module's docstring).

    Raises:
        FunctionNotFound: a named function is in neither snapshot.
        TargetError: a target cannot be parsed.
    """
    from vpcdoctor.diagnostics.audit import default_targets
    from vpcdoctor.diagnostics.diagnose import check

    names = sorted(set(old.functions) | set(new.functions))
    if functions:
        for name in functions:
            if name not in old.functions and name not in new.functions:
                raise FunctionNotFound(f"no Lambda function named {name!r} in either snapshot")
        names = [n for n in names if n in set(functions)]
    only_old = tuple(n for n in names if n not in new.functions)
    only_new = tuple(n for n in names if n not in old.functions)
    compared = 0
    changed: list[PairDiff] = []
    for name in names:
        if name in only_old or name in only_new:
            continue
        wanted: Iterable[str] = targets or list(
            dict.fromkeys(
                [
                    *default_targets(old, old.functions[name]),
                    *default_targets(new, new.functions[name]),
                ]
            )
        )
        for target in wanted:
            before = check(old, name, target)
            after = check(new, name, target)
            compared += 1
            if before.verdict is not after.verdict:
                changed.append(_pair(old, new, name, target, before, after))
    changed.sort(
        key=lambda p: (
            0 if p.worse else 1,
            -_RANK[p.after.verdict] if p.worse else 0,
            p.function,
            p.target.input,
        )
    )
    return Diff(
        old=old_name,
        new=new_name,
        compared=compared,
        changed=tuple(changed),
        only_in_old=only_old,
        only_in_new=only_new,
    )


# ---- rendering -------------------------------------------------------------------------------


def _blocker(result: CheckResult) -> str:
    hop = result.blocking
    return f" ({hop.code} at {hop.resource or '-'})" if hop else ""


def diff_text(d: Diff) -> str:
    from vpcdoctor.diagnostics.safe_text import clean

    n = len(d.changed)
    lines = [
        f"{n} of {d.compared} checks changed verdict between {clean(d.old)} and {clean(d.new)}."
    ]
    for p in d.changed:
        lines.append("")
        lines.append(
            f"{clean(p.function)} → {clean(p.target.input)}: {p.before.verdict}"
            f"{clean(_blocker(p.before))} → {p.after.verdict}{clean(_blocker(p.after))}"
        )
        if not p.resources:
            lines.append("  no resource on either path changed in the snapshots' records")
        for r in p.resources:
            mark = " (blocking)" if r.blocking else ""
            lines.append(f"  {clean(r.resource)} [{r.kind}]{mark}")
            lines.extend(f"    - {clean(c)}" for c in r.changes)
    for label, names in (
        ("only in the old snapshot", d.only_in_old),
        ("only in the new snapshot", d.only_in_new),
    ):
        if names:
            lines.append("")
            lines.append(f"Functions {label}: {', '.join(clean(n) for n in names)}")
    return "\n".join(lines) + "\n"


def diff_markdown(d: Diff) -> str:
    from vpcdoctor.diagnostics.safe_text import markdown_inline as md

    out = [
        "# vpcdoctor diff",
        "",
        f"{len(d.changed)} of {d.compared} checks changed verdict between {md(d.old)} and "
        f"{md(d.new)}.",
    ]
    for p in d.changed:
        out += [
            "",
            f"## {md(p.function)} → {md(p.target.input)}: **{p.before.verdict}** → "
            f"**{p.after.verdict}**",
            "",
        ]
        if p.after.blocking:
            out.append(f"Blocking now: {md(_blocker(p.after).strip(' ()'))}")
            out.append("")
        if not p.resources:
            out.append("No resource on either path changed in the snapshots' records.")
        for r in p.resources:
            mark = " (blocking)" if r.blocking else ""
            out.append(f"- {md(r.resource)} ({r.kind}){mark}")
            out.extend(f"  - {md(c)}" for c in r.changes)
    for label, names in (
        ("only in the old snapshot", d.only_in_old),
        ("only in the new snapshot", d.only_in_new),
    ):
        if names:
            out += ["", f"Functions {label}: {', '.join(md(n) for n in names)}"]
    return "\n".join(out) + "\n"
