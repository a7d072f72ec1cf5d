"""Security groups (R2): the sender's egress and the receiver's ingress; stateful.

The groups of one interface are combined (any rule of any group allows). The reply of an
allowed connection is always allowed, so on the way back this handler says nothing. The
evidence lists every rule of the direction that was evaluated and what it did.
"""

from __future__ import annotations

from vpcdoctor.graph.engine.filters import SgDecision, security_groups_allow
from vpcdoctor.graph.engine.fixes_filters import authorize, fix_cidr
from vpcdoctor.graph.engine.hops.common import FAIL, PASS, UNKNOWN, hop, option
from vpcdoctor.graph.engine.walk import At, Stage, Step, Walk, handles
from vpcdoctor.graph.model.verdict import Hop, HopKind

_MAX_RULES_SHOWN = 12


def _evidence(decision: SgDecision, egress: bool) -> list[tuple[str, str]]:
    rules = decision.rules
    shown = [(r.group_id, f"{r.rule}: {r.outcome}") for r in rules[:_MAX_RULES_SHOWN]]
    if len(rules) > _MAX_RULES_SHOWN:
        shown.append(("", f"… and {len(rules) - _MAX_RULES_SHOWN} more rules"))
    if not rules:
        direction = "egress" if egress else "ingress"
        shown = [(g, f"no {direction} rules") for g in decision.checked]
    return shown


@handles(HopKind.SECURITY_GROUP)
def security_group(w: Walk, at: At) -> Step:
    """EGRESS (the sender's groups, peer = destination) or INGRESS (the receiver's, peer =
    source); ``at.data``: groups, owner, and optionally peer_groups, cross_vpc_ok,
    peer_groups_known."""
    if w.packet.reply:
        return Step()
    net = w.net
    data = at.data
    groups: tuple[str, ...] = tuple(data["groups"])
    owner: str = data["owner"]
    egress = at.stage is Stage.EGRESS
    packet = w.packet
    peer = packet.dst if egress else packet.src
    port = packet.port
    proto = packet.protocol_name
    direction = "egress" if egress else "ingress"
    to_from = "to" if egress else "from"
    resource = groups[0] if len(groups) == 1 else ",".join(groups) or None
    if not groups:
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    FAIL,
                    "SG_HAS_NO_RULES",
                    f"{owner} has no security group, so no {direction} is allowed.",
                    resource=None,
                ),
            )
        )
    peer_groups: tuple[str, ...] = tuple(data.get("peer_groups", ()))
    decision = security_groups_allow(
        net,
        net.groups(groups),
        egress=egress,
        peer=peer,
        peer_groups=peer_groups,
        port=port,
        protocol=packet.protocol,
        cross_vpc_reference_ok=data.get("cross_vpc_ok", True),
        peer_groups_known=data.get("peer_groups_known", True),
    )
    evidence = _evidence(decision, egress)
    if decision.allowed is True:
        allowing = decision.allowing
        rule_text = "; ".join(str(r.rule) for r in allowing) or str(decision.rule)
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    PASS,
                    "SG_RULE_ALLOWS",
                    f"{decision.group_id} ({owner}) allows {direction} {to_from} {peer.label} "
                    f"{proto}/{port}: {rule_text}.",
                    resource=decision.group_id,
                    evidence=[(r.group_id, f"{r.rule}: {r.outcome}") for r in allowing]
                    or [(decision.group_id or "", str(decision.rule))],
                ),
            )
        )
    if decision.allowed is None:
        return Step(
            hops=(
                _unknown(
                    w,
                    at,
                    decision,
                    owner,
                    peer.label,
                    resource,
                    direction,
                    to_from,
                    proto,
                    port,
                    evidence,
                ),
            )
        )
    note = (" " + "; ".join(decision.notes) + ".") if decision.notes else ""
    group = groups[0]
    own = net.security_group(group)
    same_vpc = [
        g
        for g in peer_groups
        if (sg := net.security_group(g)) is not None and own is not None and sg.vpc_id == own.vpc_id
    ]
    # The narrowest rule that admits the whole peer: its prefix list (a gateway endpoint's list
    # holds many CIDRs; one of them opens a fraction of the service), else one of its groups when
    # a reference can match (same VPC, or an active same-Region peering:
    # vpc-peering-security-groups.html), else a CIDR (the function's subnet, not today's ENI).
    kwargs: dict[str, str] = {}
    if peer.prefix_lists:
        kwargs["prefix_list"] = sorted(peer.prefix_lists)[0]
    elif same_vpc:
        kwargs["group_ref"] = same_vpc[0]
    elif peer_groups and data.get("cross_vpc_ok", True) is True and not egress:
        kwargs["group_ref"] = peer_groups[0]
    else:
        kwargs["cidr"] = fix_cidr(net, peer)
    command = authorize(group, egress=egress, protocol=proto, port=port, **kwargs)
    return Step(
        hops=(
            hop(
                w,
                at,
                FAIL,
                "ENI_SG_RULES_MISMATCH",
                f"No {direction} rule of {', '.join(groups)} ({owner}) allows {proto}/{port} "
                f"{to_from} {peer.label}.{note}",
                resource=group,
                evidence=evidence,
                fixes=[option(f"allow {proto}/{port} {to_from} {peer.label} in {group}", command)],
            ),
        )
    )


def _unknown(
    w: Walk,
    at: At,
    decision: SgDecision,
    owner: str,
    label: str,
    resource: str | None,
    direction: str,
    to_from: str,
    proto: str,
    port: int,
    evidence: list[tuple[str, str]],
) -> Hop:
    net = w.net
    missing = decision.missing_groups
    if missing:
        return hop(
            w,
            at,
            UNKNOWN,
            "UNKNOWN_RESOURCE",
            f"Security group {', '.join(missing)} of {owner} is not in the snapshot; the groups "
            f"present ({', '.join(decision.checked) or 'none'}) do not allow {direction} "
            f"{to_from} {label} {proto}/{port}.",
            resource=missing[0],
            evidence=evidence,
            needs=net.needs("describe-security-groups"),
        )
    if decision.unknown_references and not decision.unknown_prefix_lists:
        refs = ", ".join(decision.unknown_references)
        return hop(
            w,
            at,
            UNKNOWN,
            "SG_REFERENCE_PEER_UNKNOWN",
            f"A rule of {owner}'s groups allows {direction} {to_from} security group {refs}; "
            f"whether {label} is in it is not known: no network interface in the snapshot has "
            "that address.",
            resource=resource,
            evidence=evidence,
            needs=net.needs("describe-network-interfaces"),
        )
    if decision.unknown_prefix_lists:
        pl = decision.unknown_prefix_lists[0]
        return hop(
            w,
            at,
            UNKNOWN,
            "PREFIX_LIST_ENTRIES_UNKNOWN",
            f"A rule of {owner}'s groups allows prefix list {pl}, whose entries are not in the "
            f"snapshot: whether it covers {label} is unknown.",
            resource=resource,
            evidence=evidence,
            needs=net.needs("get-managed-prefix-list-entries", pl),
        )
    why = "; ".join(decision.notes)
    return hop(
        w,
        at,
        UNKNOWN,
        "ENI_SG_RULES_MISMATCH",
        f"{owner}'s groups allow part of {label} only; which address is used decides"
        + (f" ({why})." if why else "."),
        resource=resource,
        evidence=evidence,
        needs="the exact address: vpcdoctor dns NAME --nameserver IP, then check it"
        if w.packet.dst.any_public
        else net.needs("describe-network-interfaces"),
    )
