"""What a target stands for, as the engine traces it: one or more :class:`Destination` s.

An address is one destination; a name resolves (in :mod:`vpcdoctor.diagnostics.dns`) to each of
its addresses, and to the resource they belong to (a database, a load balancer, an endpoint) so
the resource's security groups decide the ingress (R12); an AWS service is its interface
endpoint's interfaces, or its public endpoint (reached through a gateway endpoint's prefix list
route or the internet) — :mod:`.services`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from vpcdoctor.graph.engine.endpoint import Endpoint
from vpcdoctor.graph.engine.network import Network
from vpcdoctor.graph.model.addresses import is_private
from vpcdoctor.graph.model.named import NamedResource
from vpcdoctor.graph.model.verdict import Evidence, FixOption, Hop, HopKind, HopStatus, Target


@dataclass(frozen=True, slots=True, kw_only=True)
class Destination:
    """One place the function's traffic must get to for the target to answer."""

    endpoint: Endpoint
    label: str = ""
    resource: str | None = None
    """The graph node of the resource the address belongs to (a vpce, a database…)."""
    groups: tuple[str, ...] | None = None
    """The resource's security groups, when its interface is not in the snapshot."""
    subnets: tuple[str, ...] = ()
    """The resource's subnets, when its interface (and so its address) is not known."""
    peer_groups: tuple[str, ...] = ()
    """Groups of the destination's interface, for the sender's group-reference rules."""
    groups_known: bool = True
    """False when the destination's interface (and so its groups) may exist unseen."""
    hops: tuple[Hop, ...] = ()
    """Hops that come before the walk for this destination (e.g. "private DNS sends the
    service to this endpoint")."""
    promotable: tuple[int, ...] = ()
    """Indices into ``hops`` of skip hops that become the blocking failure if the walk fails."""
    alternatives: tuple[FixOption, ...] = field(default=())
    """Other ways out, offered with an internet-path failure (an endpoint that would do)."""
    warnings: tuple[tuple[str, str, str | None], ...] = ()
    """(code, detail, resource) warnings that come with this destination."""
    walk: bool = True
    """False when ``hops`` already decide (an endpoint that is not available): no walk."""


def for_address(
    net: Network, target: Target, address: str | None, vpc_id: str | None
) -> Destination:
    """The destination of an address (or the target's own literal, or "some public address")."""
    if address is None:
        address = target.ip
    if address is None:
        label = "the internet" if target.host == "internet" else target.host
        return Destination(endpoint=Endpoint.public(label=label), label=label)
    label = f"{target.host} ({address})" if target.host != address else address
    endpoint = Endpoint.address(address, label)
    ip = endpoint.ip
    assert ip is not None
    # The interface holding the address: in the function's own VPC first (VPCs of one account
    # often repeat CIDRs: the local route keeps the traffic in this VPC), else a unique one.
    eni = net.eni_at(vpc_id, ip) if vpc_id else None
    own = net.vpc(vpc_id) if vpc_id else None
    if eni is None and not (own is not None and own.contains(ip)):
        others = net.enis_with(ip)
        eni = others[0] if len(others) == 1 else None
    known = eni is not None or not is_private(ip)
    return Destination(
        endpoint=endpoint,
        label=label,
        peer_groups=tuple(eni.security_group_ids) if eni else (),
        groups_known=known,
    )


_TCP_LISTENERS = frozenset({"HTTP", "HTTPS", "TCP", "TLS", "TCP_UDP"})
_UDP_LISTENERS = frozenset({"UDP", "TCP_UDP"})


def for_named(
    net: Network, target: Target, res: NamedResource, vpc_id: str | None
) -> list[Destination]:
    """The destinations of a name that is an endpoint of ``res`` (R12): each of its interfaces'
    addresses, or each of its subnets with its security groups when its interfaces are not in
    the snapshot. What the resource itself decides first (its state, a load balancer's
    listeners) comes as the leading hops."""
    kind = _hop_kind(res.hop_kind)
    lead: list[Hop] = []
    if res.available is False:
        return [
            _decided(
                res,
                Hop(
                    resource=res.resource,
                    kind=kind,
                    status=HopStatus.FAIL,
                    code="RESOURCE_NOT_AVAILABLE",
                    detail=f"{res.label} is {res.status}: it accepts no connections now.",
                    evidence=(Evidence(resource=res.resource, text=f"Status={res.status}"),),
                ),
            )
        ]
    warnings: tuple[tuple[str, str, str | None], ...] = ()
    if res.kind == "load-balancer":
        listener_hop = _listener_hop(net, target, res)
        if listener_hop.status is HopStatus.FAIL:
            return [_decided(res, listener_hop)]
        lead.append(listener_hop)
        warnings = _target_health(net, target, res)
    if res.addresses:
        out = []
        for address in res.addresses:
            dest = for_address(net, target, address, vpc_id)
            out.append(replace(dest, resource=res.resource, hops=tuple(lead), warnings=warnings))
        return out
    subnets = [s for s in (net.subnet(i) for i in res.subnet_ids) if s is not None and s.cidr]
    if not subnets:
        return [
            _decided(
                res,
                Hop(
                    resource=res.resource,
                    kind=kind,
                    status=HopStatus.UNKNOWN,
                    code="UNKNOWN_DESTINATION",
                    detail=f"Where {res.label} has its network interfaces is not known: the "
                    "snapshot holds neither its interfaces nor its subnets.",
                    needs=net.needs("describe-network-interfaces"),
                ),
                lead,
            )
        ]
    groups = res.security_group_ids if res.filters else None
    out = []
    for sub in subnets:
        assert sub.cidr is not None
        label = f"{res.label} in {sub.id}"
        out.append(
            Destination(
                endpoint=Endpoint.network(sub.cidr, label),
                label=label,
                resource=res.resource,
                groups=groups,
                subnets=(sub.id,),
                peer_groups=res.security_group_ids,
                hops=tuple(lead),
                warnings=warnings,
            )
        )
    return out


def _hop_kind(name: str) -> HopKind:
    try:
        return HopKind(name)
    except ValueError:
        return HopKind.RESOURCE


def _decided(res: NamedResource, last: Hop, lead: list[Hop] | None = None) -> Destination:
    """A destination whose leading hops decide: nothing to walk."""
    return Destination(
        endpoint=Endpoint.public(label=res.label),
        label=res.label,
        resource=res.resource,
        hops=(*(lead or ()), last),
        walk=False,
    )


def _listener_hop(net: Network, target: Target, res: NamedResource) -> Hop:
    """A load balancer answers only on its listeners' ports (and protocols)."""
    protocols = _UDP_LISTENERS if target.protocol == "udp" else _TCP_LISTENERS
    shown = f"{target.protocol}/{target.port}"
    if res.listeners is None:
        return Hop(
            resource=res.resource,
            kind=HopKind.LOAD_BALANCER,
            status=HopStatus.UNKNOWN,
            code="LB_LISTENERS_UNKNOWN",
            detail=f"Whether {res.label} listens on {shown} is not known: its listeners are "
            "not in the snapshot.",
            needs=net.needs("describe-listeners", res.resource),
        )
    matching = [
        x for x in res.listeners if x.port == target.port and (x.protocol or "") in protocols
    ]
    ports = ", ".join(f"{x.protocol or '?'}:{x.port}" for x in res.listeners) or "none"
    if not matching:
        return Hop(
            resource=res.resource,
            kind=HopKind.LOAD_BALANCER,
            status=HopStatus.FAIL,
            code="LB_NO_LISTENER",
            detail=f"{res.label} has no listener for {shown} (its listeners: {ports}): it "
            "refuses the connection.",
            evidence=(Evidence(resource=res.resource, text=f"Listeners={ports}"),),
        )
    groups = sorted({g for x in matching for g in x.default_target_group_arns})
    forwards = (
        f"; it forwards to {', '.join(g.rsplit(':', 1)[-1] for g in groups)}" if groups else ""
    )
    return Hop(
        resource=res.resource,
        kind=HopKind.LOAD_BALANCER,
        status=HopStatus.PASS,
        code="LB_LISTENER",
        detail=f"{res.label} listens on {shown} ({matching[0].protocol}){forwards}.",
        evidence=(Evidence(resource=res.resource, text=f"Listeners={ports}"),),
    )


def _target_health(
    net: Network, target: Target, res: NamedResource
) -> tuple[tuple[str, str, str | None], ...]:
    """The listener's target groups with no healthy target: the network path to the load
    balancer works, but it has nothing to forward to (an ALB answers 503, an NLB resets a
    connection it cannot place). Known only from describe-target-health."""
    groups = {
        g for x in res.listeners or () if x.port == target.port for g in x.default_target_group_arns
    }
    out = []
    for arn in sorted(groups):
        group = net.account.target_groups.get(arn)
        if group is None or group.health is None:
            continue
        healthy = [h for h in group.health if h.state == "healthy"]
        if healthy:
            continue
        states = ", ".join(sorted({h.state for h in group.health})) or "no targets registered"
        out.append(
            (
                "LB_NO_HEALTHY_TARGETS",
                f"{res.label} forwards {target.protocol}/{target.port} to target group "
                f"{group.name}, which has no healthy target ({states}): the connection reaches "
                "the load balancer, but nothing behind it answers.",
                arn,
            )
        )
    return tuple(out)
