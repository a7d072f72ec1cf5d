"""Route lookup (R1): which route of a route table carries traffic to a destination.

https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html: the longest prefix
wins (IPv4 and IPv6 separately); on identical destinations a static route beats a prefix-list
route, which beats a propagated route. A ``blackhole`` route still matches, and drops; a
``filtered`` route (filtered by a route server) is not used for forwarding at all
(API_Route.html). This is the one route ranking: the engine and the DNS simulation use it.

When the destination stands for several addresses (a public name whose address only DNS knows,
a subnet range), a route that holds some of them but not all — ``0.0.0.0/1`` to a blackhole,
a /24 of public space to a firewall — may or may not apply: unless it leads where the winner
leads, the decision is **ambiguous** and the caller says unknown, naming the routes. AWS-managed
service prefix lists (a gateway endpoint's ``com.amazonaws.<region>.s3`` list) hold only that
service's addresses, so they never apply to a destination that is not that service.

A prefix-list route whose entries the snapshot lacks might contain the destination with any
prefix length, so unless every such route leads where the winner leads, the answer is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass

from vpcdoctor.graph.engine.endpoint import Endpoint, touches_public
from vpcdoctor.graph.engine.filters import is_service_list
from vpcdoctor.graph.engine.network import Network, RouteEdge
from vpcdoctor.graph.model import (
    EndpointType,
    RouteOrigin,
    RouteState,
    RouteTable,
    RouteTargetType,
    VpcEndpoint,
)

# Tie-break on identical prefix length: static (and local) > prefix list > propagated.
_STATIC, _PREFIX_LIST, _PROPAGATED = 3, 2, 1


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    edge: RouteEdge
    prefixlen: int
    priority: int


@dataclass(frozen=True, slots=True, kw_only=True)
class RouteDecision:
    """The outcome of one lookup, with what it beat (for the evidence)."""

    table: RouteTable
    winner: Candidate | None
    runner_up: Candidate | None = None
    unknown_prefix_lists: tuple[str, ...] = ()
    """Prefix lists whose missing entries make the winner uncertain."""
    ambiguous: tuple[RouteEdge, ...] = ()
    """Routes that hold part of the destination and lead elsewhere than the winner."""

    @property
    def edge(self) -> RouteEdge | None:
        return None if self.winner is None else self.winner.edge

    @property
    def reason(self) -> str:
        """Why the winner won: ``MORE_SPECIFIC_ROUTE``, ``HIGHER_PRIORITY_ROUTE`` or ``ROUTE``."""
        if self.winner is None or self.runner_up is None:
            return "ROUTE"
        if self.winner.prefixlen > self.runner_up.prefixlen:
            return "MORE_SPECIFIC_ROUTE"
        return "HIGHER_PRIORITY_ROUTE"


def _priority(edge: RouteEdge) -> int:
    if edge.route.prefix_list_id:
        return _PREFIX_LIST
    if edge.route.origin is RouteOrigin.ENABLE_VGW_ROUTE_PROPAGATION:
        return _PROPAGATED
    return _STATIC


def _is_gateway_endpoint(edge: RouteEdge) -> bool:
    obj = edge.obj
    if isinstance(obj, VpcEndpoint):
        return obj.type is EndpointType.GATEWAY
    return edge.route.target_type is RouteTargetType.VPC_ENDPOINT


def lookup(net: Network, table: RouteTable, dest: Endpoint) -> RouteDecision:
    """R1 for ``dest`` in ``table`` (its routes read from the graph)."""
    full = 32 if dest.version == 4 else 128
    candidates: list[Candidate] = []
    partial: list[tuple[RouteEdge, int]] = []
    unknown: list[RouteEdge] = []
    private_dest = not dest.any_public and bool(dest.nets) and all(n.is_private for n in dest.nets)
    for edge in net.routes(table.id):
        route = edge.route
        if route.state is RouteState.FILTERED:
            continue
        if route.prefix_list_id:
            pl = route.prefix_list_id
            entries = net.prefix_list_cidrs(pl)
            if pl in dest.prefix_lists:
                length = max((e.prefixlen for e in entries or ()), default=full)
                candidates.append(Candidate(edge=edge, prefixlen=length, priority=_PREFIX_LIST))
                continue
            # A gateway endpoint's route carries the AWS-managed list of its service's ranges.
            service_list = is_service_list(net, pl) or _is_gateway_endpoint(edge)
            if service_list and (dest.any_public or private_dest or dest.prefix_lists):
                continue  # one service's own ranges: never another destination's
            if entries is None:
                if dest.any_public and service_list:
                    continue
                unknown.append(edge)
                continue
            m = dest.in_any(entries)
            if m is True:
                length = max(e.prefixlen for e in entries if e.version == dest.version)
                candidates.append(Candidate(edge=edge, prefixlen=length, priority=_PREFIX_LIST))
            elif m is None:
                length = max((e.prefixlen for e in entries if e.version == dest.version), default=0)
                partial.append((edge, length))
            continue
        if route.destination is None:
            continue
        m = dest.in_cidr(route.destination)
        if m is True:
            candidates.append(
                Candidate(
                    edge=edge, prefixlen=route.destination.prefixlen, priority=_priority(edge)
                )
            )
        elif m is None and (not dest.any_public or touches_public(route.destination)):
            partial.append((edge, route.destination.prefixlen))
    candidates.sort(key=lambda c: (c.prefixlen, c.priority), reverse=True)
    winner = candidates[0] if candidates else None
    runner_up = candidates[1] if len(candidates) > 1 else None
    uncertain = tuple(
        e.route.prefix_list_id or ""
        for e in unknown
        if winner is None or e.target != winner.edge.target
        if winner is None or not (winner.prefixlen == full and winner.priority == _STATIC)
    )
    ambiguous = tuple(
        e
        for e, length in partial
        if winner is None or (length > winner.prefixlen and not _same_way(e, winner.edge))
    )
    return RouteDecision(
        table=table,
        winner=winner,
        runner_up=runner_up,
        unknown_prefix_lists=uncertain,
        ambiguous=ambiguous,
    )


def _same_way(a: RouteEdge, b: RouteEdge) -> bool:
    """Two routes that lead to the same place in the same state."""
    return a.target == b.target and a.route.state == b.route.state
