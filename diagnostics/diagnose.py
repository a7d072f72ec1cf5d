"""The full answer for any TARGET: DNS simulation, then the walks over the graph.

``check(graph, function, target)`` (DESIGN.md, "The library") takes the account's networkx graph
(:func:`vpcdoctor.graph.build_graph`); an :class:`Account` (its graph is built once and kept) or
a :class:`~vpcdoctor.graph.engine.network.Network` (an audit's, shared by its checks) do too.
Host names are resolved as the function's VPC would resolve them
(:func:`vpcdoctor.diagnostics.dns.simulate`); the resolution steps become the first hops of
every path, and the engine (:func:`vpcdoctor.graph.engine.evaluate.evaluate`) walks to each
answer address. IP, ``internet`` and AWS-service targets go to the engine directly.
"""

from __future__ import annotations

import ipaddress
from dataclasses import replace
from typing import TypeAlias

import networkx as nx

from vpcdoctor.diagnostics.dns import DnsOutcome, Resolution, simulate
from vpcdoctor.diagnostics.dns.simulate import service_host
from vpcdoctor.diagnostics.fix_notes import annotate
from vpcdoctor.graph.engine.destinations import for_named
from vpcdoctor.graph.engine.evaluate import evaluate, vpc_of_function
from vpcdoctor.graph.engine.graph import graph_for
from vpcdoctor.graph.engine.network import Network
from vpcdoctor.graph.model import Account, LambdaFunction, ResolverRuleType
from vpcdoctor.graph.model.targets import find_function, parse_target
from vpcdoctor.graph.model.verdict import (
    CheckResult,
    Hop,
    HopKind,
    HopStatus,
    PathResult,
    Target,
    TargetKind,
    Verdict,
    combine,
    path_verdict,
)
from vpcdoctor.graph.sources import unused_files

_FAILED_OUTCOMES = {
    DnsOutcome.NXDOMAIN: "DNS_NXDOMAIN",
    DnsOutcome.NODATA: "DNS_NODATA",
    DnsOutcome.SERVFAIL: "DNS_SERVFAIL",
    DnsOutcome.REFUSED: "DNS_REFUSED",
    DnsOutcome.TIMEOUT: "DNS_TIMEOUT",
}


_SERVICES: dict[int, tuple[Account, frozenset[str]]] = {}


def endpoint_services(account: Account) -> frozenset[str]:
    """Short names of every endpoint service the account has (accepted as bare targets)."""
    # Computed once per account: an audit asks for every check (id reuse is prevented by
    # holding the account, as graph.engine.graph.graph_for does).
    hit = _SERVICES.get(id(account))
    if hit is not None and hit[0] is account:
        return hit[1]
    services = frozenset(v.service_short_name for v in account.vpc_endpoints.values())
    if len(_SERVICES) >= 8:
        _SERVICES.clear()
    _SERVICES[id(account)] = (account, services)
    return services


Source: TypeAlias = Account | nx.MultiDiGraph | Network


def network_of(source: Source) -> Network:
    """The graph to walk: the account's (built once), a graph given, or a shared network."""
    if isinstance(source, Network):
        return source
    if isinstance(source, Account):
        graph = graph_for(source)
        # The account's own graph is never edited, so its navigation (and the indexes it
        # builds lazily) is kept with it for every later check of that account.
        cached = graph.graph.get("_network")
        if not isinstance(cached, Network):
            cached = graph.graph["_network"] = Network(graph)
        return cached
    return Network(source)


def check(source: Source, function: str, target: str | Target) -> CheckResult:
    """Can ``function`` reach ``target``? Host names are resolved as the function's VPC would.

    Args:
        source: the account's graph (``build_graph(account)``), the account, or a Network.

    Raises:
        FunctionNotFound: no such function (the message names the nearest matches).
        TargetError: the target cannot be parsed.
    """
    net = network_of(source)
    account = net.account
    fn = find_function(account, function)
    if isinstance(target, str):
        target = parse_target(target, services=endpoint_services(account))
    overridden = _service_override(net, fn, target)
    if overridden is not None:
        result = _after_dns(net, fn, target, overridden)
    elif target.kind is not TargetKind.HOSTNAME:
        result = evaluate(net, fn, target)
    else:
        resolution = resolve_once(net, vpc_of_function(net, fn), target.host)
        result = _after_dns(net, fn, target, resolution)
    if result.verdict is not Verdict.REACHABLE:
        result = annotate(result, net)
    notes = unused_notes(account)
    return replace(result, notes=notes) if notes else result


_OVERRIDING = frozenset({"private-hosted-zone", "resolver-rule"})
_OVERRIDES = frozenset(
    {
        DnsOutcome.ANSWER,
        DnsOutcome.NXDOMAIN,
        DnsOutcome.NODATA,
        DnsOutcome.FORWARDED,
        DnsOutcome.SERVFAIL,
    }
)


def _service_override(net: Network, fn: LambdaFunction, target: Target) -> Resolution | None:
    """The resolution of an AWS service's name when a private hosted zone or a Resolver rule
    answers it in the function's VPC instead of the service's own DNS (a shared-services VPC's
    centralized endpoint behind a PHZ named like the service): then the trace goes where that
    answer goes, exactly as ``dns`` shows it. None when the service's own DNS answers (its
    endpoint's private DNS, or public DNS): the service path decides (graph.engine.services).
    """
    if target.kind is not TargetKind.AWS_SERVICE or not target.service:
        return None
    vpc_id = vpc_of_function(net, fn)
    if vpc_id is None:
        return None
    region = net.region or net.account.region
    host = target.host if "." in target.host else None
    if host is None:
        if region is None:
            return None
        host = service_host(target.service, region)
    if not _may_override(net.account, host):
        return None
    resolution = resolve_once(net, vpc_id, host)
    decided = resolution.decided_by
    if decided is None or decided.kind not in _OVERRIDING:
        return None
    if resolution.outcome not in _OVERRIDES:
        return None
    return resolution


_OVERRIDE_DOMAINS: dict[int, tuple[Account, frozenset[str]]] = {}


def _may_override(account: Account, host: str) -> bool:
    """Cheap first look: does any private zone or forwarding Resolver rule of the account cover
    ``host`` (itself or a parent domain)? Only then can the simulation's answer differ from the
    service's own DNS; an audit asks this for every function and service."""
    hit = _OVERRIDE_DOMAINS.get(id(account))
    if hit is None or hit[0] is not account:
        domains = frozenset(
            [z.name for z in account.hosted_zones.values() if z.private]
            + [
                r.domain_name.rstrip(".").lower()
                for r in account.resolver_rules.values()
                if r.rule_type in (ResolverRuleType.FORWARD, ResolverRuleType.DELEGATE)
            ]
        )
        if len(_OVERRIDE_DOMAINS) >= 8:
            _OVERRIDE_DOMAINS.clear()
        hit = _OVERRIDE_DOMAINS[id(account)] = (account, domains)
    if not hit[1]:
        return False
    labels = host.rstrip(".").lower().split(".")
    return "" in hit[1] or any(".".join(labels[i:]) in hit[1] for i in range(len(labels)))


def resolve_once(net: Network, vpc_id: str | None, host: str) -> Resolution:
    """The simulated resolution of ``host`` from ``vpc_id`` over the network's graph, computed
    once per (VPC, name) for the network's life (an audit asks for every function; a graph
    edited between two checks gets a new Network, so it is resolved afresh)."""
    key = ("name-resolution", vpc_id, host)
    cached = net.walk_cache.get(key)
    if cached is None:
        cached = net.walk_cache[key] = (simulate(net.account, vpc_id, host, graph=net.graph),)
    found: Resolution = cached[0]
    return found


def unused_notes(account: Account) -> tuple[str, ...]:
    """Each file of the snapshot the loader did not use, with why (one line each)."""
    return tuple(f"{n.path}: {n.note}" for n in unused_files(account))


def _dns_hops(resolution: Resolution) -> list[Hop]:
    hops = list(resolution.steps)
    if not hops:
        hops.append(
            Hop(
                resource=resolution.decided_by.resource if resolution.decided_by else None,
                kind=resolution.decided_by.kind if resolution.decided_by else HopKind.DNS,
                status=HopStatus.PASS
                if resolution.outcome is DnsOutcome.ANSWER
                else HopStatus.UNKNOWN,
                code=f"DNS_{str(resolution.outcome).upper()}",
                detail=f"{resolution.name}: {resolution.outcome}"
                + (f" {', '.join(resolution.addresses)}" if resolution.addresses else "")
                + ".",
            )
        )
    return hops


def _deciding_failure(resolution: Resolution, hops: list[Hop]) -> list[Hop]:
    """Make sure a failed resolution ends in a failing DNS hop that names what decided it."""
    if any(h.status is HopStatus.FAIL for h in hops):
        return hops
    code = _FAILED_OUTCOMES.get(resolution.outcome, "DNS_FAILED")
    decided = resolution.decided_by
    detail = f"{resolution.name} does not resolve in the function's VPC ({resolution.outcome})"
    if decided is not None:
        detail += f": {decided.detail}"
    hops.append(
        Hop(
            resource=decided.resource if decided else None,
            kind=decided.kind if decided else HopKind.DNS,
            status=HopStatus.FAIL,
            code=code,
            detail=detail + ".",
        )
    )
    return hops


def _dns_only(
    fn: LambdaFunction, target: Target, hops: list[Hop], account: Account
) -> tuple[PathResult, ...]:
    subnet_ids = fn.vpc.subnet_ids if fn.vpc is not None and fn.vpc.subnet_ids else (None,)
    paths = []
    for subnet_id in subnet_ids:
        subnet = account.subnets.get(subnet_id) if subnet_id else None
        paths.append(
            PathResult(
                subnet=subnet_id,
                az=subnet.az if subnet else None,
                verdict=path_verdict(hops),
                hops=tuple(hops),
            )
        )
    del target
    return tuple(paths)


def _after_dns(
    net: Network, fn: LambdaFunction, target: Target, resolution: Resolution
) -> CheckResult:
    account = net.account
    hops = _dns_hops(resolution)
    outcome = resolution.outcome
    named = resolution.named
    if outcome is DnsOutcome.ANSWER and named is not None and named.internal:
        if vpc_of_function(net, fn) is None:
            return _named_outside_vpc(net, fn, target, resolution, hops)
        # R12: the name is the resource's private addresses (or, when its interfaces are not
        # in the snapshot, its subnets with its groups: those stand for the addresses).
        destinations = for_named(net, target, named, vpc_of_function(net, fn))
        if not named.addresses and named.subnet_ids:
            hops = [_addresses_stand_in(h, named.resource) for h in hops]
        return evaluate(net, fn, target, destinations=destinations, prefix_hops=hops)
    if outcome is DnsOutcome.ANSWER and resolution.addresses:
        addresses = [a for a in resolution.addresses if _is_ip(a)]
        if addresses:
            # The target stays a "hostname": the name is what the user asked about; each
            # address is classified (private or public) by the engine.
            return evaluate(net, fn, target, addresses=addresses, prefix_hops=hops)
    if outcome is DnsOutcome.PUBLIC:
        # Public DNS decides: the name is on the internet; the path is the internet path.
        public = replace(target, kind=TargetKind.INTERNET)
        return evaluate(net, fn, public, prefix_hops=hops)
    if outcome in _FAILED_OUTCOMES:
        hops = _deciding_failure(resolution, hops)
        paths = _dns_only(fn, target, hops, account)
        return CheckResult(
            function=fn.name,
            target=target,
            verdict=Verdict.UNREACHABLE,
            paths=paths,
            dns=tuple(hops),
        )
    if outcome is DnsOutcome.FORWARDED:
        targets = ", ".join(resolution.forwarded_to) or "the rule's targets"
        hops.append(
            Hop(
                resource=resolution.decided_by.resource if resolution.decided_by else None,
                kind=HopKind.RESOLVER_RULE,
                status=HopStatus.UNKNOWN,
                code="DNS_FORWARDED_ANSWER_UNKNOWN",
                detail=f"{resolution.name} is forwarded to {targets}; the address it resolves to "
                "is only known by asking those servers, so the path to it is not evaluated.",
                needs=f"vpcdoctor dns {resolution.name} --nameserver "
                f"{resolution.forwarded_to[0] if resolution.forwarded_to else 'IP'}",
            )
        )
        paths = _dns_only(fn, target, hops, account)
        return CheckResult(
            function=fn.name,
            target=target,
            verdict=combine([p.verdict for p in paths]),
            paths=paths,
            dns=tuple(hops),
        )
    # unknown, or an answer without addresses (an alias the simulation could not follow)
    if not any(h.status in (HopStatus.UNKNOWN, HopStatus.FAIL) for h in hops):
        hops.append(
            Hop(
                resource=None,
                kind=HopKind.DNS,
                status=HopStatus.UNKNOWN,
                code="DNS_UNKNOWN",
                detail=f"What {resolution.name} resolves to in the function's VPC is "
                "not known from the snapshot.",
                needs=f"vpcdoctor dns {resolution.name} --nameserver IP",
            )
        )
    paths = _dns_only(fn, target, hops, account)
    return CheckResult(
        function=fn.name,
        target=target,
        verdict=combine([p.verdict for p in paths]),
        paths=paths,
        dns=tuple(hops),
    )


def _named_outside_vpc(
    net: Network, fn: LambdaFunction, target: Target, resolution: Resolution, hops: list[Hop]
) -> CheckResult:
    """A function outside any VPC asks for a named resource: Lambda's own network reaches no
    private address, so a private resource is unreachable; a publicly accessible database
    answers there with a public address the snapshot does not hold (unknown)."""
    named = resolution.named
    assert named is not None
    if not named.public:
        private = list(named.addresses) or [
            str(s.cidr.network_address)
            for s in (net.subnet(i) for i in named.subnet_ids)
            if s is not None and s.cidr is not None
        ]
        if private:
            return evaluate(net, fn, target, addresses=private, prefix_hops=hops)
    hops.append(
        Hop(
            resource=named.resource,
            kind=named.hop_kind,
            status=HopStatus.UNKNOWN,
            code="DNS_PUBLIC_ADDRESS_UNKNOWN",
            detail=f"Outside a VPC, {resolution.name} (the endpoint of {named.label}) answers "
            "with its public address, which the snapshot does not hold; whether its groups "
            "admit Lambda's public addresses is not known.",
            needs=f"vpcdoctor dns {resolution.name} --nameserver IP",
        )
    )
    paths = _dns_only(fn, target, hops, net.account)
    return CheckResult(
        function=fn.name,
        target=target,
        verdict=combine([p.verdict for p in paths]),
        paths=paths,
        dns=tuple(hops),
    )


def _addresses_stand_in(hop: Hop, resource: str) -> Hop:
    """The resolution step that could not give the resource's addresses: its subnets (traced
    one by one) stand for them, so the step does not leave the verdict unknown."""
    if hop.resource != resource or not hop.code.endswith("_ADDRESSES_UNKNOWN"):
        return hop
    return replace(
        hop,
        status=HopStatus.PASS,
        detail=hop.detail + " Each of those subnets is traced, with its security groups.",
        needs=None,
    )


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
