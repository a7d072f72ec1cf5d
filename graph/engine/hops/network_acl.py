"""Network ACLs (R3): stateless, so checked in each direction of each subnet crossed.

OUT checks what leaves ``at.subnet`` (peer: the packet's destination), IN what enters it (peer:
the packet's source); the ports are the packet's destination ports — the service port for the
request, the ephemeral range 1024–65535 for the reply. Traffic that stays inside one subnet is
never filtered by its ACL (the callers do not visit it then).
"""

from __future__ import annotations

from vpcdoctor.graph.engine.endpoint import Endpoint
from vpcdoctor.graph.engine.filters import EPHEMERAL, acl_allows
from vpcdoctor.graph.engine.fixes_filters import fix_cidr
from vpcdoctor.graph.engine.hops.common import FAIL, PASS, UNKNOWN, hop, option
from vpcdoctor.graph.engine.network import Network
from vpcdoctor.graph.engine.walk import At, Stage, Step, Walk, handles
from vpcdoctor.graph.model import NetworkAcl, NetworkAclEntry
from vpcdoctor.graph.model.commands import Cmd, Command
from vpcdoctor.graph.model.verdict import HopKind


def free_rule_numbers(
    acl: NetworkAcl, egress: bool, entry: NetworkAclEntry | None, count: int
) -> tuple[list[int], bool]:
    """``count`` rule numbers before the deciding entry, highest first (numbers are unique per
    direction: create-network-acl-entry fails on a used one); False when there are not enough
    (then the fix replaces that entry, which puts an allow in its place)."""
    used = {e.rule_number for e in acl.rules(egress=egress)}
    limit = entry.rule_number if entry and not entry.is_default_deny else 100
    free = [n for n in range(limit - 1, 0, -1) if n not in used][:count]
    if len(free) == count:
        return sorted(free), True
    if not (entry and not entry.is_default_deny):
        later = [n for n in range(101, 32767) if n not in used][:count]
        if len(later) == count:
            return later, True
    return [limit], False


def acl_fix(
    acl: NetworkAcl,
    *,
    egress: bool,
    entry: NetworkAclEntry | None,
    protocol: str,
    ports: tuple[int, int],
    cidrs: list[str],
) -> tuple[tuple[Command, ...], bool]:
    """One allow entry per CIDR (a service's ranges are many: all of them, not the first)."""
    numbers, free = free_rule_numbers(acl, egress, entry, len(cidrs))
    if not free:
        cidrs = cidrs[:1]
    commands = []
    for number, cidr in zip(numbers, cidrs, strict=False):
        c = Cmd("ec2", "create-network-acl-entry" if free else "replace-network-acl-entry")
        c.opt("--network-acl-id", "network-acl", acl.id)
        c.opt("--egress" if egress else "--ingress")
        c.opt("--rule-number", "number", number)
        c.opt("--protocol", "protocol", protocol)
        c.raw("--port-range", f"From={c.val('port', ports[0])},To={c.val('port', ports[1])}")
        c.opt("--ipv6-cidr-block" if ":" in cidr else "--cidr-block", "cidr", cidr)
        c.raw("--rule-action", "allow")
        commands.append(c.build())
    return tuple(commands), free


def _cidrs(net: Network, peer: Endpoint) -> list[str]:
    """The CIDRs a fix must admit for ``peer``: each of a service's ranges, else one."""
    if peer.nets and not peer.any_public and len(peer.nets) > 1:
        return [str(n) for n in peer.nets][:20]
    return [fix_cidr(net, peer)]


@handles(HopKind.NETWORK_ACL)
def network_acl(w: Walk, at: At) -> Step:
    """OUT / IN at ``at.subnet``; ``at.data``: the role of the subnet on the path."""
    net = w.net
    subnet = at.subnet or ""
    egress = at.stage is Stage.OUT
    packet = w.packet
    peer: Endpoint = packet.dst if egress else packet.src
    ports = packet.dst_ports
    role = (at.data or {}).get("role", "")
    if packet.reply:
        role = f"{role}, return traffic" if role else "return traffic"
    acl = net.nacl_of(subnet)
    direction = "outbound" if egress else "inbound"
    port_text = str(ports[0]) if ports[0] == ports[1] else f"{ports[0]}-{ports[1]}"
    to_from = "to" if egress else "from"
    if acl is None:
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    UNKNOWN,
                    "UNKNOWN_RESOURCE",
                    f"The network ACL of {subnet} is not in the snapshot.",
                    resource=subnet,
                    needs=net.needs("describe-network-acls"),
                ),
            )
        )
    proto = packet.protocol_name
    decision = acl_allows(acl, egress=egress, peer=peer, ports=ports, protocol=packet.protocol)
    what = f"{direction} {proto}/{port_text} {to_from} {peer.label} ({role})"
    if decision.allowed is True:
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    PASS,
                    "ACL_RULE_ALLOWS",
                    f"{acl.id} of {subnet} allows {what}: {decision.entry}.",
                    resource=acl.id,
                    evidence=[(acl.id, str(e)) for e in decision.allowing],
                ),
            )
        )
    if decision.allowed is None:
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    UNKNOWN,
                    "SUBNET_ACL_RESTRICTION",
                    f"{acl.id} of {subnet}: {decision.note}; the exact address decides.",
                    resource=acl.id,
                    evidence=[(acl.id, str(decision.entry))] if decision.entry else [],
                    needs="the exact address: vpcdoctor dns NAME --nameserver IP, then check it"
                    if peer.any_public
                    else net.needs("describe-network-interfaces"),
                ),
            )
        )
    entry = decision.entry
    commands, free = acl_fix(
        acl, egress=egress, entry=entry, protocol=proto, ports=ports, cidrs=_cidrs(net, peer)
    )
    replaced = (
        ""
        if free
        else f" No rule number before #{entry.rule_number if entry else 100} is free: the fix "
        "replaces that entry, so whatever else it denied is no longer denied."
    )
    stateless = ""
    if packet.reply and not egress:
        stateless = (
            " Network ACLs are stateless: the return traffic needs its own inbound rule for "
            "the ephemeral ports 1024-65535."
        )
    elif packet.reply and egress and ports == EPHEMERAL:
        stateless = (
            " Network ACLs are stateless: the replies leave on the ephemeral ports "
            "1024-65535 and need an outbound rule."
        )
    return Step(
        hops=(
            hop(
                w,
                at,
                FAIL,
                "SUBNET_ACL_RESTRICTION",
                f"{acl.id} of {subnet} denies {what}: "
                f"{entry if entry else 'the final * rule'}.{stateless}{replaced}",
                resource=acl.id,
                evidence=[(acl.id, str(entry) if entry else "* deny")],
                fixes=[option(f"allow {what} in {acl.id}", *commands)],
            ),
        )
    )
