"""Security groups (R2) and network ACLs (R3): the two packet filters of a VPC.

Both are evaluated against an :class:`Endpoint`, the far side of the traffic, which is either
exact (an address), a set of networks (a subnet when the ENI's address is unknown, a prefix
list's entries), or "some public address" (the ``internet`` shorthand). Matching is three-valued:
``True`` (every address of the endpoint is inside), ``False`` (none is), ``None`` (some are: the
answer depends on which address, so the evaluation says unknown rather than guess).

Sources: https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html (allow rules
only, groups combined, stateful, rule targets CIDR / prefix list / group) and
https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html (stateless, ascending rule
number, first match applies, final ``*`` denies).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field

from vpcdoctor.graph.model import (
    Account,
    IPAddress,
    IPNetwork,
    NetworkAcl,
    NetworkAclEntry,
    RuleAction,
    SecurityGroup,
    SecurityGroupRule,
)

EPHEMERAL = (1024, 65535)
"""The ports Lambda's Hyperplane ENIs and NAT gateways use for the return traffic."""

_PRIVATE_V4 = tuple(
    ipaddress.IPv4Network(n)
    for n in (
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
        "169.254.0.0/16",
        "127.0.0.0/8",
    )
)


def _subnet_of(inner: IPNetwork, outer: IPNetwork) -> bool:
    """``inner.subnet_of(outer)``, False when the two are not of the same IP version."""
    if isinstance(inner, ipaddress.IPv4Network):
        return isinstance(outer, ipaddress.IPv4Network) and inner.subnet_of(outer)
    return isinstance(outer, ipaddress.IPv6Network) and inner.subnet_of(outer)


@dataclass(frozen=True, slots=True, kw_only=True)
class Endpoint:
    """One side of a connection, as precise as the snapshot allows."""

    nets: tuple[IPNetwork, ...] = ()
    """The addresses it may have (a /32 for an exact address)."""
    any_public: bool = False
    """"Some public address": the internet shorthand, an AWS service's public endpoint."""
    prefix_lists: frozenset[str] = frozenset()
    """Prefix lists that contain it by definition (a service's gateway-endpoint list)."""
    version: int = 4
    label: str = ""

    @classmethod
    def address(cls, ip: IPAddress | str, label: str = "") -> Endpoint:
        addr = ipaddress.ip_address(ip)
        return cls(
            nets=(ipaddress.ip_network(addr),), version=addr.version, label=label or str(addr)
        )

    @classmethod
    def network(cls, cidr: IPNetwork, label: str = "") -> Endpoint:
        return cls(nets=(cidr,), version=cidr.version, label=label or str(cidr))

    @classmethod
    def public(
        cls,
        label: str = "the internet",
        *,
        version: int = 4,
        prefix_lists: Iterable[str] = (),
        nets: tuple[IPNetwork, ...] = (),
    ) -> Endpoint:
        return cls(
            nets=nets,
            any_public=not nets,
            version=version,
            prefix_lists=frozenset(prefix_lists),
            label=label,
        )

    @property
    def ip(self) -> IPAddress | None:
        if len(self.nets) == 1 and self.nets[0].num_addresses == 1:
            return self.nets[0].network_address
        return None

    @property
    def cidr_text(self) -> str:
        """A CIDR to put in a fix command."""
        if self.any_public or not self.nets:
            return "0.0.0.0/0" if self.version == 4 else "::/0"
        return str(self.nets[0])

    def in_cidr(self, cidr: IPNetwork) -> bool | None:
        """Is every address of the endpoint inside ``cidr``? (None: some are.)"""
        if cidr.version != self.version:
            return False
        if self.any_public and not self.nets:
            if cidr.prefixlen == 0:
                return True
            if cidr.version == 4 and any(cidr.subnet_of(p) for p in _PRIVATE_V4):
                return False
            return None
        if not self.nets:
            return None
        # Route and rule lookups call this hundreds of times per check: compare the ranges as
        # integers (``_ip`` is the address's int in every CPython ipaddress) instead of
        # ipaddress's subnet_of/overlaps, which cost microseconds each. Same answers.
        # typeshed does not declare the private ``_ip`` (hence the ignores); int() would be typed
        # but costs 4x the attribute read here.
        c_lo: int = cidr.network_address._ip  # type: ignore[union-attr]
        c_hi: int = cidr.broadcast_address._ip  # type: ignore[union-attr]
        inside = True
        overlaps = False
        for n in self.nets:
            if n.version != cidr.version:
                # What n.subnet_of(cidr) raised before, with ipaddress's own message.
                raise TypeError(f"{n} and {cidr} are not of the same version")
            lo: int = n.network_address._ip  # type: ignore[union-attr]
            hi: int = n.broadcast_address._ip  # type: ignore[union-attr]
            if not (c_lo <= lo and hi <= c_hi):
                inside = False
            if lo <= c_hi and c_lo <= hi:
                overlaps = True
        if inside:
            return True
        if not overlaps:
            return False
        return None

    def in_any(self, cidrs: Iterable[IPNetwork]) -> bool | None:
        """Is every address inside one of ``cidrs`` (a prefix list's entries)?"""
        cidrs = tuple(cidrs)
        if self.any_public and not self.nets:
            return bool(any(c.prefixlen == 0 and c.version == self.version for c in cidrs))
        if not self.nets:
            return None
        covered = [any(_subnet_of(n, c) for c in cidrs) for n in self.nets]
        if all(covered):
            return True
        if not any(n.version == c.version and n.overlaps(c) for n in self.nets for c in cidrs):
            return False
        return None


# --------------------------------------------------------------------------------------------
# Security groups
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class SgDecision:
    allowed: bool | None
    """True: a rule allows; False: no rule does; None: undecidable from the snapshot."""
    group_id: str | None = None
    rule: SecurityGroupRule | None = None
    missing_groups: tuple[str, ...] = ()
    unknown_prefix_lists: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    checked: tuple[str, ...] = ()
    """Groups that were evaluated."""
    unknown_references: tuple[str, ...] = ()
    """Referenced groups a rule allows, when the peer's own groups are not known."""


def _protocol_matches(rule_protocol: str, protocol: str) -> bool:
    return rule_protocol in ("-1", protocol)


def security_groups_allow(
    account: Account,
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
    """R2: does any rule of any of the groups allow traffic to/from ``peer`` on ``port``?

    Args:
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
    partial = False
    for group_id, group in groups:
        if group is None:
            missing.append(group_id)
            continue
        checked.append(group_id)
        for rule in group.egress if egress else group.ingress:
            if not _protocol_matches(rule.protocol, protocol):
                continue
            if rule.protocol != "-1" and not rule.ports.contains(port):
                continue
            if rule.cidr is not None:
                m = peer.in_cidr(rule.cidr)
                if m is True:
                    return SgDecision(
                        allowed=True, group_id=group_id, rule=rule, checked=tuple(checked)
                    )
                if m is None and not peer.any_public:
                    partial = True
            elif rule.prefix_list_id:
                if rule.prefix_list_id in peer.prefix_lists:
                    return SgDecision(
                        allowed=True, group_id=group_id, rule=rule, checked=tuple(checked)
                    )
                entries = account.prefix_list_cidrs(rule.prefix_list_id)
                if entries is None:
                    if not peer.any_public:
                        unknown_pls.append(rule.prefix_list_id)
                    continue
                m = peer.in_any(entries)
                if m is True:
                    return SgDecision(
                        allowed=True, group_id=group_id, rule=rule, checked=tuple(checked)
                    )
                if m is None:
                    partial = True
            elif rule.referenced_group_id and rule.referenced_group_id in peer_group_set:
                status = (rule.peering_status or "").lower()
                if status and status not in ("active",):
                    notes.append(
                        f"{group_id} references {rule.referenced_group_id} over a "
                        f"peering that is {status}: the reference does not apply"
                    )
                    continue
                referenced = account.security_groups.get(rule.referenced_group_id)
                cross = (
                    referenced is not None
                    and group.vpc_id is not None
                    and referenced.vpc_id not in (None, group.vpc_id)
                ) or bool(rule.referenced_vpc_id and rule.referenced_vpc_id != group.vpc_id)
                if cross and cross_vpc_reference_ok is False:
                    notes.append(
                        f"{group_id} references {rule.referenced_group_id} of another "
                        "VPC: references work only over an active same-Region peering"
                    )
                    continue
                if cross and cross_vpc_reference_ok is None:
                    partial = True
                    continue
                return SgDecision(
                    allowed=True, group_id=group_id, rule=rule, checked=tuple(checked)
                )
            elif rule.referenced_group_id and not peer_groups_known:
                unknown_refs.append(rule.referenced_group_id)
    if missing or unknown_pls or partial or unknown_refs:
        return SgDecision(
            allowed=None,
            missing_groups=tuple(missing),
            unknown_prefix_lists=tuple(unknown_pls),
            notes=tuple(notes),
            checked=tuple(checked),
            unknown_references=tuple(dict.fromkeys(unknown_refs)),
        )
    return SgDecision(allowed=False, notes=tuple(notes), checked=tuple(checked))


# --------------------------------------------------------------------------------------------
# Network ACLs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class AclDecision:
    allowed: bool | None
    entry: NetworkAclEntry | None = None
    """The entry that decided (the deny, or the allow that completed the port range)."""
    allowing: tuple[NetworkAclEntry, ...] = field(default=())
    note: str = ""


def _subtract(ranges: list[tuple[int, int]], low: int, high: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in ranges:
        if high < a or low > b:
            out.append((a, b))
            continue
        if a < low:
            out.append((a, low - 1))
        if high < b:
            out.append((high + 1, b))
    return out


def _overlaps(ranges: list[tuple[int, int]], low: int, high: int) -> bool:
    return any(not (high < a or low > b) for a, b in ranges)


def acl_allows(
    acl: NetworkAcl,
    *,
    egress: bool,
    peer: Endpoint,
    ports: tuple[int, int],
    protocol: str = "6",
) -> AclDecision:
    """R3: first match per port in ascending rule number; every port of ``ports`` must be allowed.

    ``ports`` is one port (``(443, 443)``) for the request, or the ephemeral range for the return
    traffic: a rule allowing only part of it leaves the other ports to later rules.
    """
    remaining = [ports]
    allowing: list[NetworkAclEntry] = []
    entries = sorted(acl.rules(egress=egress), key=lambda e: e.rule_number)
    for entry in entries:
        if not _protocol_matches(entry.protocol, protocol):
            continue
        m = peer.in_cidr(entry.cidr)
        if m is False:
            continue
        if m is None:
            if peer.any_public:
                continue  # applies to some public addresses only; "the internet" is the rest
            return AclDecision(
                allowed=None, entry=entry, note=f"{entry} applies to part of {peer.label}"
            )
        low, high = (
            (0, 65535)
            if entry.protocol == "-1" or entry.ports.low is None
            else (entry.ports.low, entry.ports.high or entry.ports.low)
        )
        if not _overlaps(remaining, low, high):
            continue
        if entry.action is RuleAction.DENY:
            return AclDecision(allowed=False, entry=entry, allowing=tuple(allowing))
        allowing.append(entry)
        remaining = _subtract(remaining, low, high)
        if not remaining:
            return AclDecision(allowed=True, entry=entry, allowing=tuple(allowing))
    return AclDecision(
        allowed=False,
        entry=None,
        allowing=tuple(allowing),
        note="no rule matches: the final * rule denies",
    )
