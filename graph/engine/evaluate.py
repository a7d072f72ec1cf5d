"""One function, one target: a request walk and a reply walk per subnet and destination.

For each subnet of the function's VpcConfig (AZs can differ) and each destination the target
stands for (every address a name can answer with, every interface of an endpoint), the request
is walked from the function to the destination and, when it got there, the reply from the
destination back to the function. The worst destination decides the subnet's path (the name is
reachable only if every address it can answer is); the overall verdict is reachable only if
every path is (DESIGN.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import networkx as nx

from vpcdoctor.graph.engine import hops as _hops  # noqa: F401  (registers the handlers)
from vpcdoctor.graph.engine import services
from vpcdoctor.graph.engine.destinations import Destination, for_address
from vpcdoctor.graph.engine.endpoint import Endpoint
from vpcdoctor.graph.engine.fixes_subnets import attach_to_vpc
from vpcdoctor.graph.engine.graph import function_node
from vpcdoctor.graph.engine.network import Network
from vpcdoctor.graph.engine.walk import At, Disposition, Packet, Stage, Walk, run
from vpcdoctor.graph.model import LambdaFunction
from vpcdoctor.graph.model.verdict import (
    CheckResult,
    Hop,
    HopKind,
    HopStatus,
    PathResult,
    Target,
    TargetKind,
    Verdict,
    Warning,
    combine,
    path_verdict,
)

_RANK = {Verdict.UNREACHABLE: 2, Verdict.UNKNOWN: 1, Verdict.REACHABLE: 0}


def network(graph_or_net: nx.MultiDiGraph | Network) -> Network:
    return graph_or_net if isinstance(graph_or_net, Network) else Network(graph_or_net)


def vpc_of_function(net: Network, fn: LambdaFunction) -> str | None:
    """The VPC a function is attached to, read from the graph's subnet → VPC edges."""
    return fn.vpc_id_via(net.vpc_of)


def evaluate(
    net: Network,
    fn: LambdaFunction,
    target: Target,
    *,
    addresses: Sequence[str] | None = None,
    destinations: Sequence[Destination] | None = None,
    prefix_hops: Sequence[Hop] = (),
    extra_warnings: Sequence[Warning] = (),
) -> CheckResult:
    """Every path of ``fn`` to ``target``.

    Args:
        addresses: resolved addresses of a host-name target (the DNS simulation's answer).
        destinations: what the target stands for, when the caller knows better (named
            resources with their groups); default: the addresses, the service, or the target.
        prefix_hops: hops that come first on every path (the DNS steps).
        extra_warnings: warnings to report alongside the engine's.
    """
    protocol = "17" if target.protocol == "udp" else "6"
    vpc_id = vpc_of_function(net, fn)
    warnings: list[Warning] = list(extra_warnings)
    paths: list[PathResult] = []
    subnet_ids: Sequence[str | None] = (
        fn.vpc.subnet_ids if fn.vpc is not None and fn.vpc.subnet_ids else [None]
    )
    for subnet_id in subnet_ids:
        if subnet_id is None:
            paths.append(_outside_vpc(net, fn, target, addresses, prefix_hops))
            continue
        dests = _destinations(net, fn, target, subnet_id, vpc_id, addresses, destinations)
        best: tuple[Verdict, list[Hop], list[Warning]] | None = None
        each: list[tuple[str, Verdict]] = []
        for dest in dests:
            hops, found = _walk(net, fn, target, subnet_id, dest, protocol, prefix_hops)
            verdict = path_verdict(hops)
            each.append((dest.label or dest.endpoint.label, verdict))
            if best is None or _RANK[verdict] > _RANK[best[0]]:
                best = (verdict, hops, found)
        assert best is not None
        verdict, hops, found = best
        if len({v for _, v in each}) > 1:
            found = [*found, _mixed_addresses(target, subnet_id, each)]
        sub = net.subnet(subnet_id)
        paths.append(
            PathResult(
                subnet=subnet_id, az=sub.az if sub else None, verdict=verdict, hops=tuple(hops)
            )
        )
        for w in found:
            if all((w.code, w.resource) != (x.code, x.resource) for x in warnings):
                warnings.append(w)
    verdict = combine([p.verdict for p in paths])
    warnings.extend(_function_warnings(net, fn))
    warnings.extend(_suspicious(paths, prefix_hops))
    if verdict is Verdict.UNREACHABLE and any(p.verdict is Verdict.REACHABLE for p in paths):
        failing = [p.subnet or "?" for p in paths if p.verdict is not Verdict.REACHABLE]
        warnings.append(
            Warning(
                code="SOME_SUBNETS_FAIL",
                detail=f"Only some subnets reach {target.input}: {', '.join(failing)} do not, so "
                "invocations fail depending on the AZ they land in.",
            )
        )
    return CheckResult(
        function=fn.name,
        target=target,
        verdict=verdict,
        paths=tuple(paths),
        warnings=tuple(warnings),
        dns=tuple(prefix_hops),
    )


def _mixed_addresses(target: Target, subnet_id: str, each: list[tuple[str, Verdict]]) -> Warning:
    """The destinations of one target disagree: each one's verdict (the worst is the path's)."""
    shown = "; ".join(f"{label}: {verdict}" for label, verdict in each)
    return Warning(
        code="SOME_ADDRESSES_FAIL",
        detail=f"{target.input} answers with {len(each)} addresses and they differ from "
        f"{subnet_id} ({shown}): the name is reachable only if every address it can answer "
        "with is; the path shown is the worst one.",
        resource=subnet_id,
    )


def _destinations(
    net: Network,
    fn: LambdaFunction,
    target: Target,
    subnet_id: str,
    vpc_id: str | None,
    addresses: Sequence[str] | None,
    given: Sequence[Destination] | None,
) -> list[Destination]:
    if given is not None:
        return list(given) or [for_address(net, target, None, vpc_id)]
    if addresses is not None:
        return [for_address(net, target, a, vpc_id) for a in addresses] or [
            for_address(net, target, None, vpc_id)
        ]
    if target.kind is TargetKind.AWS_SERVICE:
        sub = net.subnet(subnet_id)
        if sub is not None:
            return services.resolve(net, fn, target, sub)
    return [for_address(net, target, None, vpc_id)]


def _walk(
    net: Network,
    fn: LambdaFunction,
    target: Target,
    subnet_id: str,
    dest: Destination,
    protocol: str,
    prefix_hops: Sequence[Hop],
) -> tuple[list[Hop], list[Warning]]:
    """The request (and, when it got there, the reply) for one subnet and destination."""
    packet = Packet(src=Endpoint(), dst=dest.endpoint, protocol=protocol, port=target.port)
    w = Walk(net=net, packet=packet, fn=fn, target=target, destination=dest)
    w.hops.extend(prefix_hops)
    lead = len(w.hops)
    w.hops.extend(dest.hops)
    w.promotable.extend(lead + i for i in dest.promotable)
    w.alternatives.extend(dest.alternatives)
    for code, detail, resource in dest.warnings:
        w.warn(code, detail, resource)
    if dest.walk:
        start = At(
            node=function_node(fn.name), kind=HopKind.LAMBDA, stage=Stage.START, subnet=subnet_id
        )
        _walk_function(w, start, fn, dest)
    else:
        from vpcdoctor.graph.engine.hops.lambda_fn import state_hop

        w.hops.insert(
            lead,
            state_hop(
                w,
                At(
                    node=function_node(fn.name),
                    kind=HopKind.LAMBDA,
                    stage=Stage.START,
                    subnet=subnet_id,
                ),
            ),
        )
    _promote(w.hops, w.promotable)
    return _settle_state(w.hops), w.warnings


def _walk_function(w: Walk, start: At, fn: LambdaFunction, dest: Destination) -> None:
    """Run the function's walk; the part after its ENI is shared by every function with the
    same (subnet, security groups) pair — they share the Hyperplane ENI, so everything after it
    is the same — and is computed once per Network (an audit's thousands of checks)."""
    from vpcdoctor.graph.engine.hops.lambda_fn import function as start_handler

    net = w.net
    key = (
        start.subnet,
        frozenset(fn.vpc.security_group_ids) if fn.vpc else frozenset(),
        fn.vpc.ipv6_allowed_for_dual_stack if fn.vpc else False,
        dest,
        w.packet.protocol,
        w.packet.port,
        w.target.host if w.target else None,
    )
    cached = net.walk_cache.get(key)
    if cached is not None:
        step = start_handler(w, start)
        w.hops.extend(step.hops)
        if step.packet is not None:
            w.packet = step.packet
        if not any(h.status is HopStatus.FAIL for h in step.hops) and step.end is None:
            tail, warnings, end = cached
            w.hops.extend(tail)
            for warning in warnings:
                w.warn(warning.code, warning.detail, warning.resource)
            w.end = end
            return
        w.end = step.end or Disposition.DENIED
        return
    end = run(w, start)
    if end.arrived and not w.failed and w.reply_from is not None:
        w.packet = w.packet.reversed()
        run(w, w.reply_from)
    if w.tail_from is not None and not w.personal:
        net.walk_cache[key] = (tuple(w.hops[w.tail_from :]), tuple(w.warnings), w.end)


def _promote(hops: list[Hop], promotable: list[int]) -> None:
    """A bypassed endpoint becomes the blocking hop when the path after it fails."""
    for index in promotable:
        if any(h.status is HopStatus.FAIL for h in hops[index + 1 :]):
            hops[index] = replace(hops[index], status=HopStatus.FAIL)
            return


def _settle_state(hops: list[Hop]) -> list[Hop]:
    """An unknown Lambda state matters only when nothing else fails: then it decides."""
    if any(h.status is HopStatus.FAIL for h in hops):
        return [
            replace(h, status=HopStatus.SKIP) if h.code == "LAMBDA_STATE_UNKNOWN" else h
            for h in hops
        ]
    return hops


def _outside_vpc(
    net: Network,
    fn: LambdaFunction,
    target: Target,
    addresses: Sequence[str] | None,
    prefix_hops: Sequence[Hop],
) -> PathResult:
    """A function outside any VPC runs in Lambda's own network: internet yes, private no."""
    import ipaddress

    from vpcdoctor.graph.model.addresses import is_private

    private_addr = next((a for a in addresses or () if is_private(ipaddress.ip_address(a))), None)
    hops = list(prefix_hops)
    if target.kind is TargetKind.PRIVATE_IP or private_addr:
        shown = private_addr or target.host
        fix = attach_to_vpc(net, fn.name, private_addr or target.host)
        hops.append(
            Hop(
                resource=fn.name,
                kind=HopKind.LAMBDA,
                status=HopStatus.FAIL,
                code="LAMBDA_NOT_IN_VPC",
                detail=f"{fn.name} is not attached to a VPC: it runs in Lambda's own network and "
                f"cannot reach private addresses such as {shown}.",
                fix=fix.commands[0].text,
                fixes=(fix,),
            )
        )
    else:
        shown = ", ".join(addresses) if addresses else target.host
        hops.append(
            Hop(
                resource=fn.name,
                kind=HopKind.LAMBDA,
                status=HopStatus.PASS,
                code="LAMBDA_MANAGED_NETWORK",
                detail=f"{fn.name} is not attached to a VPC: Lambda's own network gives it "
                "internet access and public AWS endpoints.",
            )
        )
        hops.append(
            Hop(
                resource="internet",
                kind=HopKind.INTERNET,
                status=HopStatus.PASS,
                code="INTERNET",
                detail=f"Reaches {shown} from Lambda's network.",
            )
        )
    return PathResult(subnet=None, az=None, verdict=path_verdict(hops), hops=tuple(hops))


_ID_KINDS = {
    HopKind.LAMBDA: "function-name",
    HopKind.SUBNET: "subnet",
    HopKind.VPC: "vpc",
    HopKind.ROUTE_TABLE: "route-table",
    HopKind.SECURITY_GROUP: "security-group",
    HopKind.NETWORK_ACL: "network-acl",
    HopKind.INTERNET_GATEWAY: "internet-gateway",
    HopKind.EGRESS_ONLY_INTERNET_GATEWAY: "egress-only-internet-gateway",
    HopKind.NAT_GATEWAY: "nat-gateway",
    HopKind.VPC_ENDPOINT: "vpc-endpoint",
    HopKind.PEERING_CONNECTION: "peering-connection",
    HopKind.TRANSIT_GATEWAY: "transit-gateway",
    HopKind.TRANSIT_GATEWAY_ATTACHMENT: "transit-gateway-attachment",
    HopKind.TRANSIT_GATEWAY_ROUTE_TABLE: "transit-gateway-route-table",
    HopKind.ENI: "network-interface",
    HopKind.INSTANCE: "instance",
}
"""Hop kinds whose resource is an AWS identifier with a known syntax (graph/model/commands)."""


def _suspicious(paths: Sequence[PathResult], prefix_hops: Sequence[Hop] = ()) -> list[Warning]:
    """Identifiers on the path, or values the fixes refused, that are not valid for their kind:
    AWS never prints them, so the snapshot may be hostile.

    Only the engine's hops are checked: a DNS step (``prefix_hops``) names the resource it is
    about under the kind of what it checked (an outbound endpoint on its route-table step), so
    its resource is not an identifier of that kind."""
    from vpcdoctor.graph.model.commands import checked

    seen: dict[tuple[str, str], None] = {}
    dns_steps = {id(h) for h in prefix_hops}
    for path in paths:
        for hop in path.hops:
            kind = None if id(hop) in dns_steps else _ID_KINDS.get(hop.kind)
            if kind is not None and hop.resource and "," not in hop.resource:
                _, bad_id = checked(kind, hop.resource)
                if bad_id is not None:
                    seen.setdefault((bad_id.kind, bad_id.value), None)
            for option in hop.fixes:
                for command in option.commands:
                    for bad in command.suspicious:
                        seen.setdefault((bad.kind, bad.value), None)
    return [
        Warning(
            code="SUSPICIOUS_IDENTIFIER",
            detail=f"The snapshot holds a {kind} {value!r} that AWS would never print: it is kept "
            f"out of every command (a <{kind}> placeholder stands there). The snapshot may be "
            "hostile or hand-edited: check it before pasting any fix.",
        )
        for kind, value in seen
    ]


def _function_warnings(net: Network, fn: LambdaFunction) -> list[Warning]:
    out: list[Warning] = []
    if fn.vpc is not None and fn.vpc.subnet_ids:
        azs = {s.az for sid in fn.vpc.subnet_ids if (s := net.subnet(sid)) is not None}
        if len(azs) == 1:
            out.append(
                Warning(
                    code="SINGLE_AZ",
                    detail=f"{fn.name} uses subnets in one AZ only ({next(iter(azs))}): an AZ "
                    "outage stops it. Add a subnet in another AZ (Security Hub Lambda.5).",
                    resource=fn.name,
                )
            )
    if fn.last_update_status == "Failed":
        out.append(
            Warning(
                code="LAMBDA_LAST_UPDATE_FAILED",
                detail=f"The last update of {fn.name} failed "
                f"({fn.last_update_status_reason_code or '?'}: "
                f"{fn.last_update_status_reason or ''}).",
                resource=fn.name,
            )
        )
    return out


__all__ = ["Destination", "evaluate", "network", "vpc_of_function"]


def trace(
    net: Network,
    *,
    subnet: str,
    source: Endpoint,
    groups: tuple[str, ...],
    owner: str,
    destination: Destination,
    protocol: str = "6",
    port: int = 443,
    source_eni: str | None = None,
    nested: bool = False,
) -> tuple[tuple[Hop, ...], Verdict]:
    """Walk from any sender in a subnet (not a function): a Resolver endpoint forwarding DNS, an
    instance… Its groups check the egress, the packet leaves ``subnet``, and the reply comes
    back to ``source``. Returns the hops (request, then reply) and their verdict.
    """
    from vpcdoctor.graph.engine.hops.common import leave
    from vpcdoctor.graph.engine.walk import Origin

    packet = Packet(src=source, dst=destination.endpoint, protocol=protocol, port=port)
    w = Walk(net=net, packet=packet, destination=destination, nested=nested)
    w.origin = Origin(subnet=subnet, eni=source_eni, endpoint=source)
    egress = At(
        node=groups[0] if groups else subnet,
        kind=HopKind.SECURITY_GROUP,
        stage=Stage.EGRESS,
        subnet=subnet,
        data={
            "groups": groups,
            "owner": owner,
            "peer_groups": destination.peer_groups,
            "peer_groups_known": destination.groups_known,
        },
    )
    end = run(w, (egress, leave(w, subnet, f"{owner}'s subnet")))
    if end.arrived and not w.failed and w.reply_from is not None:
        w.packet = w.packet.reversed()
        run(w, w.reply_from)
    hops = tuple(w.hops)
    return hops, path_verdict(hops)
