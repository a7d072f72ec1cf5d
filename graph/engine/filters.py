"""Security groups (R2) and network ACLs (R3): the two packet filters of a VPC, evaluated once.

Both are evaluated against an :class:`~vpcdoctor.graph.engine.endpoint.Endpoint`, the far side
of the traffic. When it stands for several addresses (a subnet range, "some public address"),
a filter allows only if its rules together admit every one of them: ``0.0.0.0/1`` +
``128.0.0.0/1`` allow all of IPv4; a deny for part of the range makes the answer depend on the
address (``None``: unknown), never a silent allow.

Sources: https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html (allow rules
only, groups combined, stateful, rule targets CIDR / prefix list / group) and
https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html (stateless, ascending rule
number, first match applies, final ``*`` denies). This is the one evaluator of each: the engine
and the DNS simulation both call it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from vpcdoctor.graph.engine.endpoint import (
    Endpoint,
    Interval,
    _bounds,
    overlaps_any,
    subtract,
)
from vpcdoctor.graph.model import (
    IPNetwork,
    NetworkAcl,
    NetworkAclEntry,
    PrefixList,
    RuleAction,
    SecurityGroup,
    SecurityGroupRule,
)

__all__ = [
    "EPHEMERAL",
    "AclDecision",
    "Endpoint",
    "PrefixSource",
    "SgDecision",
    "acl_allows",
    "security_groups_allow",
]

EPHEMERAL = (1024, 65535)
"""The ports Lambda's Hyperplane ENIs and NAT gateways use for the return traffic."""


class PrefixSource(Protocol):
    """Where prefix lists come from (the account or the graph)."""

    @property
    def prefix_lists(self) -> Mapping[str, PrefixList]: ...

    def prefix_list_cidrs(self, prefix_list_id: str) -> tuple[IPNetwork, ...] | None: ...


def is_service_list(source: PrefixSource, prefix_list_id: str) -> bool:
    """An AWS-managed list of one service's public ranges (``com.amazonaws.<region>.s3``)."""
    pl = source.prefix_lists.get(prefix_list_id)
    return pl is not None and pl.name.startswith("com.amazonaws.")


def _protocol_matches(rule_protocol: str, protocol: str) -> bool:
    return rule_protocol in ("-1", protocol)


# --------------------------------------------------------------------------------------------
# Security groups
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleCheck:
    """One rule that was evaluated, and what it did for this traffic."""

    group_id: str
    rule: SecurityGroupRule
    outcome: str
    """``allows``, ``allows part`` or why it does not apply (``port 22 only``…)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SgDecision:
    allowed: bool | None
    """True: the rules allow; False: no rule does; None: undecidable from the snapshot."""
    group_id: str | None = None
    rule: SecurityGroupRule | None = None
    """The rule that allowed (the first, when several together cover the peer)."""
    rules: tuple[RuleCheck, ...] = ()
    """Every rule of the direction that was evaluated, with its outcome (the evidence)."""
    missing_groups: tuple[str, ...] = ()
    unknown_prefix_lists: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    checked: tuple[str, ...] = ()
    """Groups that were evaluated."""
    unknown_references: tuple[str, ...] = ()
    """Referenced groups a rule allows, when the peer's own groups are not known."""

    @property
    def allowing(self) -> tuple[RuleCheck, ...]:
        return tuple(r for r in self.rules if r.outcome.startswith("allows"))


def _cross_vpc(source: PrefixSource, group: SecurityGroup, rule: SecurityGroupRule) -> bool:
    groups: Mapping[str, SecurityGroup] | None = getattr(source, "security_groups", None)
    referenced = groups.get(rule.referenced_group_id or "") if groups is not None else None
    return (
        referenced is not None
        and group.vpc_id is not None
        and referenced.vpc_id not in (None, group.vpc_id)
    ) or bool(rule.referenced_vpc_id and rule.referenced_vpc_id != group.vpc_id)


def security_groups_allow(
    source: PrefixSource,
    groups: Iterable[tuple[str, SecurityGroup | None]],
    *,
    egress: bool,
    peer: Endpoint,
    peer_groups: Iterable[str] = (),
    port: int,
    protocol: str = "6",
    cross_vpc_reference_ok: bool | None = True,
    peer_groups_known: bool = True,
) -> SgDecision:
    """R2: do the rules of the groups allow traffic to/from ``peer`` on ``port``?

    Args:
        source: prefix lists (and security groups, for cross-VPC references).
        groups: (group id, group or None when the snapshot lacks it).
        peer_groups: security groups attached to the peer's ENI (for group references).
        cross_vpc_reference_ok: whether a reference to a group of another VPC can match (True
            over an active same-Region peering; False across Regions; None unknown).
        peer_groups_known: False when the peer's network interface is not in the snapshot: a
            rule referencing a group might then cover the peer, so it cannot be ruled out.
    """
    peer_group_set = frozenset(peer_groups)
    missing: list[str] = []
    unknown_pls: list[str] = []
    notes: list[str] = []
    checked: list[str] = []
    unknown_refs: list[str] = []
    evaluated: list[RuleCheck] = []
    remaining: list[Interval] = peer.intervals()
    first: tuple[str, SecurityGroupRule] | None = None
    partial = False

    def allow(group_id: str, rule: SecurityGroupRule) -> SgDecision:
        evaluated.append(RuleCheck(group_id=group_id, rule=rule, outcome="allows"))
        winner = first or (group_id, rule)
        return SgDecision(
            allowed=True,
            group_id=winner[0],
            rule=winner[1],
            rules=tuple(evaluated),
            checked=tuple(checked),
        )

    def cover(group_id: str, rule: SecurityGroupRule, nets: Iterable[IPNetwork]) -> bool:
        """Take the rule's networks out of what is left of the peer; True when none is left."""
        nonlocal remaining, first
        before = remaining
        for net in nets:
            if net.version == peer.version:
                remaining = subtract(remaining, *_bounds(net))
        if remaining != before:
            first = first or (group_id, rule)
            evaluated.append(RuleCheck(group_id=group_id, rule=rule, outcome="allows part"))
        else:
            evaluated.append(
                RuleCheck(group_id=group_id, rule=rule, outcome=f"does not contain {peer.label}")
            )
        return not remaining

    for group_id, group in groups:
        if group is None:
            missing.append(group_id)
            continue
        checked.append(group_id)
        for rule in group.egress if egress else group.ingress:
            if not _protocol_matches(rule.protocol, protocol):
                evaluated.append(RuleCheck(group_id=group_id, rule=rule, outcome="other protocol"))
                continue
            if rule.protocol != "-1" and not rule.ports.contains(port):
                evaluated.append(
                    RuleCheck(group_id=group_id, rule=rule, outcome=f"port {rule.ports} only")
                )
                continue
            if rule.cidr is not None:
                m = peer.in_cidr(rule.cidr)
                if m is True:
                    return allow(group_id, rule)
                if m is None and cover(group_id, rule, (rule.cidr,)):
                    return allow(group_id, rule)
                if m is False:
                    evaluated.append(
                        RuleCheck(group_id=group_id, rule=rule, outcome=f"not {peer.label}")
                    )
                continue
            if rule.prefix_list_id:
                if rule.prefix_list_id in peer.prefix_lists:
                    return allow(group_id, rule)
                entries = source.prefix_list_cidrs(rule.prefix_list_id)
                if entries is None:
                    if peer.prefix_lists or not is_service_list(source, rule.prefix_list_id):
                        unknown_pls.append(rule.prefix_list_id)
                    evaluated.append(
                        RuleCheck(group_id=group_id, rule=rule, outcome="entries not exported")
                    )
                    continue
                m = peer.in_any(entries)
                if m is True:
                    return allow(group_id, rule)
                if m is None and cover(group_id, rule, entries):
                    return allow(group_id, rule)
                if m is False:
                    evaluated.append(
                        RuleCheck(group_id=group_id, rule=rule, outcome=f"not {peer.label}")
                    )
                continue
            if rule.referenced_group_id and rule.referenced_group_id in peer_group_set:
                status = (rule.peering_status or "").lower()
                if status and status not in ("active",):
                    notes.append(
                        f"{group_id} references {rule.referenced_group_id} over a "
                        f"peering that is {status}: the reference does not apply"
                    )
                    evaluated.append(
                        RuleCheck(group_id=group_id, rule=rule, outcome=f"peering {status}")
                    )
                    continue
                cross = _cross_vpc(source, group, rule)
                if cross and cross_vpc_reference_ok is False:
                    notes.append(
                        f"{group_id} references {rule.referenced_group_id} of another "
                        "VPC: references work only over an active same-Region peering"
                    )
                    evaluated.append(
                        RuleCheck(group_id=group_id, rule=rule, outcome="other VPC's group")
                    )
                    continue
                if cross and cross_vpc_reference_ok is None:
                    partial = True
                    evaluated.append(
                        RuleCheck(group_id=group_id, rule=rule, outcome="cross-VPC reference")
                    )
                    continue
                return allow(group_id, rule)
            if rule.referenced_group_id and not peer_groups_known:
                unknown_refs.append(rule.referenced_group_id)
                evaluated.append(
                    RuleCheck(group_id=group_id, rule=rule, outcome="peer's groups unknown")
                )
                continue
            evaluated.append(
                RuleCheck(group_id=group_id, rule=rule, outcome=f"not {peer.label}'s group")
            )
    if remaining != peer.intervals():
        partial = True
    if missing or unknown_pls or partial or unknown_refs:
        return SgDecision(
            allowed=None,
            rules=tuple(evaluated),
            missing_groups=tuple(missing),
            unknown_prefix_lists=tuple(dict.fromkeys(unknown_pls)),
            notes=tuple(notes),
            checked=tuple(checked),
            unknown_references=tuple(dict.fromkeys(unknown_refs)),
        )
    return SgDecision(
        allowed=False, rules=tuple(evaluated), notes=tuple(notes), checked=tuple(checked)
    )


# --------------------------------------------------------------------------------------------
# Network ACLs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class AclDecision:
    allowed: bool | None
    entry: NetworkAclEntry | None = None
    """The entry that decided (the deny, or the allow that completed the ports/addresses)."""
    allowing: tuple[NetworkAclEntry, ...] = field(default=())
    note: str = ""


def _entry_ports(entry: NetworkAclEntry) -> tuple[int, int]:
    if entry.protocol == "-1" or entry.ports.low is None:
        return (0, 65535)
    return (entry.ports.low, entry.ports.high or entry.ports.low)


def acl_allows(
    acl: NetworkAcl,
    *,
    egress: bool,
    peer: Endpoint,
    ports: tuple[int, int],
    protocol: str = "6",
) -> AclDecision:
    """R3: first match in ascending rule number; every (address, port) of the traffic allowed.

    ``ports`` is one port (``(443, 443)``) for the request, or the ephemeral range for the
    return traffic: a rule allowing part of it leaves the other ports to later rules. When the
    peer stands for several addresses, an allow for part of them leaves the rest to later rules
    (if it covers every remaining port), and a deny for part of them makes the answer depend on
    the address: unknown.
    """
    remaining_ports = [ports]
    remaining_addrs = peer.intervals()
    allowing: list[NetworkAclEntry] = []
    for entry in sorted(acl.rules(egress=egress), key=lambda e: e.rule_number):
        if not _protocol_matches(entry.protocol, protocol):
            continue
        if entry.cidr.version != peer.version:
            continue
        e_lo, e_hi = _bounds(entry.cidr)
        if not overlaps_any(remaining_addrs, e_lo, e_hi):
            continue
        whole = all(e_lo <= lo and hi <= e_hi for lo, hi in remaining_addrs)
        low, high = _entry_ports(entry)
        if not overlaps_any(remaining_ports, low, high):
            continue
        if entry.action is RuleAction.DENY:
            if whole:
                return AclDecision(allowed=False, entry=entry, allowing=tuple(allowing))
            return AclDecision(
                allowed=None,
                entry=entry,
                allowing=tuple(allowing),
                note=f"{entry} denies part of {peer.label}",
            )
        allowing.append(entry)
        if whole:
            remaining_ports = subtract(remaining_ports, low, high)
            if not remaining_ports:
                return AclDecision(allowed=True, entry=entry, allowing=tuple(allowing))
            continue
        if all(low <= a and b <= high for a, b in remaining_ports):
            remaining_addrs = subtract(remaining_addrs, e_lo, e_hi)
            if not remaining_addrs:
                return AclDecision(allowed=True, entry=entry, allowing=tuple(allowing))
            continue
        return AclDecision(
            allowed=None,
            entry=entry,
            allowing=tuple(allowing),
            note=f"{entry} allows part of {peer.label} on part of the ports",
        )
    return AclDecision(
        allowed=False,
        entry=None,
        allowing=tuple(allowing),
        note="no rule matches: the final * rule denies",
    )
