"""What a target stands for, as the engine traces it: one or more :class:`Destination` s.

An address is one destination; a name resolves (in :mod:`vpcdoctor.diagnostics.dns`) to each of
its addresses, and to the resource they belong to (a database, a load balancer, an endpoint) so
the resource's security groups decide the ingress (R12); an AWS service is its interface
endpoint's interfaces, or its public endpoint (reached through a gateway endpoint's prefix list
route or the internet) — :mod:`.services`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vpcdoctor.graph.engine.endpoint import Endpoint
from vpcdoctor.graph.engine.network import Network
from vpcdoctor.graph.model.addresses import is_private
from vpcdoctor.graph.model.verdict import FixOption, Hop, Target


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
