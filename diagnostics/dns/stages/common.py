"""What the stages of the Resolver simulation share: candidates, answers, base state, helpers."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

import networkx as nx

from vpcdoctor.diagnostics.dns.model import DecidedBy, DnsOutcome
from vpcdoctor.diagnostics.dns.names import (
    in_domain,
    label_count,
)
from vpcdoctor.graph.engine.graph import ZONE_ASSOCIATED
from vpcdoctor.graph.engine.network import Network
from vpcdoctor.graph.model import (
    Account,
    HostedZone,
    LoadBalancer,
    ResolverRule,
    ResolverRuleType,
    RouteTargetType,
    Vpc,
    VpcEndpoint,
    normalize_dns_name,
)
from vpcdoctor.graph.model.commands import Arg, Cmd, Command, aws, checked
from vpcdoctor.graph.model.named import NamedResource
from vpcdoctor.graph.model.verdict import Evidence, FixOption, Hop, HopKind, HopStatus

MAX_CHAIN = 8
"""CNAME / alias links followed before giving up (Route 53 Resolver gives up too: SERVFAIL)."""

_ADDRESS_TYPES = ("A", "AAAA")
_POSITIVE = (DnsOutcome.ANSWER, DnsOutcome.FORWARDED, DnsOutcome.PUBLIC)
"""Outcomes an unknown VPC attribute can overturn (a negative one fails either way)."""
_EC2_NAME = re.compile(r"^ip-(\d{1,3})-(\d{1,3})-(\d{1,3})-(\d{1,3})\.")
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")
_RESOLVER_PORT = 53

# Route targets over which an outbound endpoint's private addresses can reach a DNS server.
_ROUTABLE_FOR_RESOLVER = {
    RouteTargetType.LOCAL: "inside the VPC",
    RouteTargetType.VIRTUAL_PRIVATE_GATEWAY: "over the VPN / Direct Connect gateway",
    RouteTargetType.TRANSIT_GATEWAY: "through the transit gateway",
    RouteTargetType.VPC_PEERING: "over the peering connection",
    RouteTargetType.NAT_GATEWAY: "through the NAT gateway",
    RouteTargetType.NETWORK_INTERFACE: "through the network interface",
    RouteTargetType.INSTANCE: "through the instance",
    RouteTargetType.CORE_NETWORK: "through the Cloud WAN core network",
    RouteTargetType.LOCAL_GATEWAY: "through the local gateway",
}


# --------------------------------------------------------------------------------------------
# Candidates
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _EndpointZone:
    """The private zone an interface endpoint's private DNS creates for its service name."""

    endpoint: VpcEndpoint
    domain: str
    wildcard: bool
    """True when every name below ``domain`` is answered too (``*.s3.<region>.amazonaws.com``)."""

    def covers(self, name: str) -> bool:
        return name == self.domain or (self.wildcard and name.endswith("." + self.domain))


@dataclass(frozen=True, slots=True)
class _Candidate:
    domain: str
    rule: ResolverRule | None = None
    zone: HostedZone | None = None
    endpoint_zone: _EndpointZone | None = None
    autodefined: bool = False

    @property
    def specificity(self) -> int:
        return label_count(self.domain)

    @property
    def order(self) -> tuple[int, int]:
        """Sort key: most specific first; on an equal name FORWARD rule, zone, endpoint, rest."""
        if self.rule is not None:
            rank = 0 if self.rule.rule_type in _FORWARDING else 3
        elif self.zone is not None:
            rank = 1
        elif self.endpoint_zone is not None:
            rank = 2
        else:
            rank = 4
        return (-self.specificity, rank)


_FORWARDING = (ResolverRuleType.FORWARD, ResolverRuleType.DELEGATE)

_NAMED_CODES = {
    "database": "DNS_DATABASE_NAME",
    "cache": "DNS_CACHE_NAME",
    "search-domain": "DNS_SEARCH_DOMAIN_NAME",
    "vpc-endpoint": "DNS_ENDPOINT_NAME",
    "load-balancer": "DNS_LOAD_BALANCER",
}

# Private DNS names that are not simply ``<service>.<region>.amazonaws.com``.
_ENDPOINT_NAMES: dict[str, tuple[tuple[str, bool], ...]] = {
    "s3": (("s3.{r}.amazonaws.com", True),),
    "ecr.api": (("api.ecr.{r}.amazonaws.com", False),),
    "ecr.dkr": (("dkr.ecr.{r}.amazonaws.com", True),),
    "execute-api": (("execute-api.{r}.amazonaws.com", True),),
}


def service_host(service: str, region: str) -> str:
    """The Regional DNS name of an AWS service (``secretsmanager.<region>.amazonaws.com``;
    ``api.ecr.<region>.amazonaws.com``…): what an SDK calls for a bare service target."""
    template = _ENDPOINT_NAMES.get(service, (("{s}.{r}.amazonaws.com", False),))[0][0]
    return template.format(r=region, s=service)


def endpoint_private_names(endpoint: VpcEndpoint) -> tuple[tuple[str, bool], ...]:
    """``(domain, wildcard)`` pairs an interface endpoint's private DNS answers for.

    Taken from the endpoint's DNS entries when the snapshot lists the private name there, else
    derived from the service name (``com.amazonaws.<region>.<service>``).
    """
    names: list[tuple[str, bool]] = []
    for entry in endpoint.dns_entries:
        dns_name = normalize_dns_name(entry.dns_name)
        if dns_name.endswith(".vpce.amazonaws.com") or not dns_name:
            continue
        if dns_name.startswith("*."):
            names.append((dns_name[2:], True))
        else:
            names.append((dns_name, False))
    if names:
        return tuple(dict.fromkeys(names))
    parts = endpoint.service_name.split(".")
    if len(parts) < 4 or parts[:2] != ["com", "amazonaws"] or parts[2] == "vpce":
        return ()
    region, service = parts[2], ".".join(parts[3:])
    templates = _ENDPOINT_NAMES.get(service, (("{s}.{r}.amazonaws.com", False),))
    return tuple((t.format(r=region, s=service), w) for t, w in templates)


def endpoint_specific_names(endpoint: VpcEndpoint) -> tuple[str, ...]:
    """The endpoint's own public names (``vpce-….<service>.<region>.vpce.amazonaws.com``)."""
    return tuple(
        n
        for n in (normalize_dns_name(e.dns_name) for e in endpoint.dns_entries)
        if n.endswith(".vpce.amazonaws.com")
    )


# --------------------------------------------------------------------------------------------
# The simulation
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Answer:
    """The outcome of one link of the chain."""

    outcome: DnsOutcome
    addresses: tuple[str, ...] = ()
    decided_by: DecidedBy | None = None
    forwarded_to: tuple[str, ...] = ()
    canonical_name: str | None = None
    target_resources: tuple[str, ...] = ()
    named: NamedResource | None = None
    """The resource of the account the answer's name is an endpoint of (R12)."""
    weak_decider: bool = False
    """True when ``decided_by`` is only the AWS resource a public name belongs to: a zone earlier
    in the chain that pointed at it is the better answer to "who decided"."""


@dataclass(slots=True)
class SimulationBase:
    """The state of one resolution and what every stage shares: the steps, the associations.

    The stages (:mod:`.answerer`, :mod:`.zones`, :mod:`.rules`, :mod:`.named`) are mixins of
    this class; :class:`vpcdoctor.diagnostics.dns.simulate._Simulation` combines them. A stage
    calls another stage's method through the declarations at the end of this class.
    """

    account: Account
    vpc_id: str | None
    graph: nx.MultiDiGraph | None = None
    steps: list[Hop] = field(default_factory=list)
    vpc: Vpc | None = None
    conditions: list[str] = field(default_factory=list)
    """Unknown attributes the answer depends on; any makes the final outcome ``unknown``."""
    blocker: DecidedBy | None = None
    """A VPC attribute that kept a private zone from answering (decides a public outcome)."""
    network: Network | None = field(default=None, repr=False)
    """The engine's navigation of ``graph`` (routes and filters are the engine's: one rule)."""

    def _step(
        self,
        resource: str | None,
        hop_kind: HopKind,
        status: HopStatus,
        code: str,
        detail: str,
        *,
        evidence: tuple[Evidence, ...] = (),
        fix: str | Command | None = None,
        needs: str | None = None,
        summary: str = "",
    ) -> Hop:
        """One step of the resolution; a :class:`Command` fix is also its one runnable option."""
        options: tuple[FixOption, ...] = ()
        if isinstance(fix, Command):
            options = (FixOption(summary=summary or fix.text, commands=(fix,)),)
            fix = fix.text
        hop = Hop(
            resource=resource,
            kind=hop_kind,
            status=status,
            code=code,
            detail=detail,
            evidence=evidence,
            fix=fix,
            needs=needs,
            fixes=options,
        )
        self.steps.append(hop)
        return hop

    # ---- associations, read from the graph's edges ---------------------------------------
    def _zone_associated(self, zone: HostedZone, vpc_id: str) -> bool | None:
        """Is ``zone`` associated with ``vpc_id``? (None: its VPC list was not exported.)"""
        if self.graph is None:
            return zone.associated_with(vpc_id)
        if _associated(self.graph, zone.id, vpc_id) is not None:
            return True
        return None if zone.vpcs is None else False

    def _rule_statuses(self, vpc_id: str | None) -> dict[str, str]:
        """Resolver rule id → the status of its association with ``vpc_id``."""
        if self.graph is None:
            return {
                a.rule_id: a.status
                for a in self.account.resolver_rule_associations.values()
                if a.vpc_id == vpc_id
            }
        out: dict[str, str] = {}
        for rule_id in self.account.resolver_rules:
            data = _associated(self.graph, rule_id, vpc_id or "")
            if data is not None:
                out[rule_id] = str(data.get("status") or "COMPLETE")
        return out

    # ---- implemented by the stages --------------------------------------------------------
    def _interface_endpoints(self) -> list[VpcEndpoint]:
        raise NotImplementedError  # in a stage module

    def _resolve(self, name: str, chain: list[str]) -> _Answer:
        raise NotImplementedError  # in a stage module

    def _private_zones_work(
        self, resource: str, domain: str, hop_kind: HopKind, code: str, *, endpoint: bool = False
    ) -> bool:
        raise NotImplementedError  # in a stage module

    def _answer_from_phz(self, name: str, zone: HostedZone, chain: list[str]) -> _Answer:
        raise NotImplementedError  # in a stage module

    def _answer_from_endpoint(self, name: str, ez: _EndpointZone) -> _Answer:
        raise NotImplementedError  # in a stage module

    def _answer_autodefined(self, name: str, domain: str) -> _Answer:
        raise NotImplementedError  # in a stage module

    def _forward(self, name: str, rule: ResolverRule) -> _Answer:
        raise NotImplementedError  # in a stage module

    def _public(self, name: str, *, outside_vpc: bool) -> _Answer:
        raise NotImplementedError  # in a stage module

    def _load_balancer(self, name: str) -> LoadBalancer | None:
        raise NotImplementedError  # in a stage module

    def _endpoint_by_name(self, name: str) -> VpcEndpoint | None:
        raise NotImplementedError  # in a stage module

    def _unassociated(self, name: str, *, outside_vpc: bool) -> DecidedBy | None:
        raise NotImplementedError  # in a stage module


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _associated(graph: nx.MultiDiGraph, node: str, vpc_id: str) -> dict[str, object] | None:
    """The data of the ``associated-with`` edge from a zone or rule to a VPC, if there is one."""
    edges = graph.get_edge_data(node, vpc_id)
    if not edges:
        return None
    for data in edges.values():
        if data.get("rel") == ZONE_ASSOCIATED:
            found: dict[str, object] = data
            return found
    return None


def _zone_decider(zone: HostedZone, detail: str) -> DecidedBy:
    return DecidedBy(
        resource=zone.id,
        kind=HopKind.PRIVATE_HOSTED_ZONE if zone.private else HopKind.PUBLIC_HOSTED_ZONE,
        detail=f"{zone.name}: {detail}",
    )


def _shown_domain(domain: str) -> str:
    return domain or ". (every name)"


def _bracket(ip: str) -> str:
    return f"[{ip}]" if ":" in ip else ip


def _alias_name(dns_name: str) -> str:
    """An alias target's name as resolved: ``dualstack.`` is how ELB aliases are written."""
    name = normalize_dns_name(dns_name)
    return name[len("dualstack.") :] if name.startswith("dualstack.") else name


def _find_node(zone: HostedZone, name: str) -> tuple[str | None, bool]:
    """The record name that answers ``name``: itself, else the wildcard of its closest encloser.

    Returns ``(node, synthesized)``; ``(None, False)`` when the name does not exist.
    """
    records = zone.records or ()
    names = {r.name for r in records}
    if name in names:
        return name, False
    if _is_empty_non_terminal(zone, name):
        return None, False
    # Closest encloser: the nearest existing ancestor inside the zone (RFC 4592).
    labels = name.split(".")
    for i in range(1, len(labels)):
        ancestor = ".".join(labels[i:])
        if not in_domain(ancestor, zone.name):
            break
        if ancestor in names or _is_empty_non_terminal(zone, ancestor) or ancestor == zone.name:
            wildcard = f"*.{ancestor}"
            if wildcard in names:
                return wildcard, True
            return None, False
    return None, False


def _is_empty_non_terminal(zone: HostedZone, name: str) -> bool:
    suffix = "." + name
    return any(r.name.endswith(suffix) for r in zone.records or ())


def _private_over_nat(account: Account, nat_id: str, ip_text: str) -> bool:
    """True when a private address is routed to a public NAT gateway (it cannot arrive)."""
    try:
        ip = ipaddress.ip_address(ip_text)
    except ValueError:
        return False
    nat = account.nat_gateways.get(nat_id)
    public_nat = nat is None or nat.connectivity.value == "public"
    return ip.is_private and public_nat


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _associate_zone(zone_id: str, region: str, vpc_id: str) -> Command:
    """``aws route53 associate-vpc-with-hosted-zone`` for this VPC, every value checked."""
    c = Cmd("route53", "associate-vpc-with-hosted-zone")
    c.opt("--hosted-zone-id", "hosted-zone", zone_id)
    c.raw("--vpc", f"VPCRegion={c.val('region', region)},VPCId={c.val('vpc', vpc_id)}")
    return c.build()


def _vpc_attribute(vpc_id: str, option: str) -> Command:
    """``aws ec2 modify-vpc-attribute --vpc-id VPC OPTION '{"Value":true}'``."""
    return aws(
        "ec2", "modify-vpc-attribute", "--vpc-id", Arg("vpc", vpc_id), option, '{"Value":true}'
    )


def _w(kind: str, value: str) -> str:
    """A snapshot value as it may appear inside advice text: checked, else a placeholder."""
    return checked(kind, value)[0]
