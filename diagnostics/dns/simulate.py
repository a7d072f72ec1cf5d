"""Simulated resolution: what the VPC's Route 53 Resolver would answer, from the snapshot alone.

The order follows the Resolver (knowledge-facts §7, decision rules R8 and R9):

1. Who answers at all: custom DHCP name servers take the question away from the Amazon
   resolver; ``enableDnsSupport`` off silences it.
2. Candidates: Resolver rules associated with the VPC, private hosted zones associated with the
   VPC (which need both DNS attributes), interface endpoints' private DNS names, and the
   autodefined EC2 names. The most specific domain wins; on an equal name a FORWARD rule beats a
   zone; a SYSTEM rule hands a subdomain of a forwarded domain back to the zones and public DNS.
3. The winner answers: a zone from its records (A/AAAA, CNAME and alias chains, wildcards; a
   missing name is NXDOMAIN with no fallback to public DNS), a FORWARD rule by sending the
   question through its outbound endpoint (checked: state, security group, routes), and
   otherwise public DNS — except the special-use names public DNS never answers.

Every step is a :class:`~vpcdoctor.graph.model.verdict.Hop`. Statuses are honest for the engine: the
step a negative outcome rests on is ``fail``; what the snapshot cannot settle is ``unknown``
with ``needs``; a candidate that did not apply, and why, is ``skip``.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import Literal

import networkx as nx

from vpcdoctor.diagnostics.dns.model import DecidedBy, DnsOutcome, Resolution
from vpcdoctor.diagnostics.dns.names import (
    in_domain,
    label_count,
    special_use_suffix,
    validate_name,
)
from vpcdoctor.graph.engine.endpoint import Endpoint
from vpcdoctor.graph.engine.filters import security_groups_allow
from vpcdoctor.graph.engine.graph import ZONE_ASSOCIATED, graph_for
from vpcdoctor.graph.engine.network import Network
from vpcdoctor.graph.engine.routing import lookup
from vpcdoctor.graph.model import (
    Account,
    EndpointType,
    HostedZone,
    LoadBalancer,
    RecordSet,
    ResolverEndpoint,
    ResolverRule,
    ResolverRuleType,
    Route,
    RouteState,
    RouteTable,
    RouteTargetType,
    SecurityGroup,
    Vpc,
    VpcEndpoint,
    normalize_dns_name,
)
from vpcdoctor.graph.model.commands import Arg, Cmd, Command, aws, checked
from vpcdoctor.graph.model.kinds import kind
from vpcdoctor.graph.model.named import NamedResource, named_resource, resource_family
from vpcdoctor.graph.model.verdict import Evidence, FixOption, Hop, HopStatus

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


def simulate(
    account: Account, vpc_id: str | None, name: str, *, graph: nx.MultiDiGraph | None = None
) -> Resolution:
    """Answer ``name`` as the Route 53 Resolver of ``vpc_id`` would (``None``: outside any VPC).

    Args:
        account: the account the snapshot describes.
        graph: the account's reachability graph (``build_graph``), whose zone → VPC and rule →
            VPC ``associated-with`` edges decide which zones and rules apply (``check`` passes
            the graph it walks, so an edited graph resolves as it is); default: the account's
            own graph.
        vpc_id: the VPC the question comes from (the function's), or None for a function that
            is not attached to a VPC.
        name: the name as typed; validated and normalised first.

    Raises:
        DnsError: when ``name`` is not a valid DNS name (the message says why).
    """
    host = validate_name(name)
    return _Simulation(
        account, vpc_id, graph=graph if graph is not None else graph_for(account)
    ).run(host)


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
class _Simulation:
    account: Account
    vpc_id: str | None
    graph: nx.MultiDiGraph | None = None
    steps: list[Hop] = field(default_factory=list)
    vpc: Vpc | None = None
    conditions: list[str] = field(default_factory=list)
    blocker: DecidedBy | None = None
    """A VPC attribute that kept a private zone from answering (decides a public outcome)."""
    """Unknown attributes the answer depends on; any makes the final outcome ``unknown``."""
    network: Network | None = field(default=None, repr=False)
    """The engine's navigation of ``graph`` (routes and filters are the engine's: one rule)."""

    # ---- entry --------------------------------------------------------------------------
    def run(self, host: str) -> Resolution:
        if self.vpc_id is None:
            self._step(
                None,
                "dns",
                HopStatus.PASS,
                "DNS_NOT_IN_VPC",
                f"The function is not attached to a VPC, so Lambda's own resolver answers "
                f"{host}: private hosted zones and Resolver rules never apply to it.",
            )
            return self._finish(host, self._public(host, outside_vpc=True))
        vpc = self.account.vpcs.get(self.vpc_id)
        if vpc is None:
            self._step(
                self.vpc_id,
                "vpc",
                HopStatus.UNKNOWN,
                "DNS_VPC_NOT_IN_SNAPSHOT",
                f"{self.vpc_id} is not in the snapshot, so its resolver cannot be simulated.",
                needs=kind("describe-vpcs").cli,
            )
            return self._finish(host, _Answer(DnsOutcome.UNKNOWN))
        self.vpc = vpc
        early = self._who_answers(vpc, host)
        if early is not None:
            return self._finish(host, early)
        answer = self._resolve(host, chain=[])
        return self._finish(host, answer)

    def _finish(self, host: str, answer: _Answer) -> Resolution:
        outcome = answer.outcome
        addresses = answer.addresses
        if self.conditions and outcome is not DnsOutcome.UNKNOWN:
            shown = f"{outcome}" + (f" {', '.join(addresses)}" if addresses else "")
            self._step(
                self.vpc_id,
                "vpc",
                HopStatus.UNKNOWN,
                "DNS_DEPENDS_ON_UNKNOWN_ATTRIBUTE",
                f"If {' and '.join(self.conditions)}, the answer is {shown}; the snapshot does "
                "not say" + (", so the outcome stays unknown." if outcome in _POSITIVE else "."),
                needs="; ".join(
                    kind(f"describe-vpc-attribute-{a}").cli.format(id=self.vpc_id)
                    for a in self._unknown_attributes()
                ),
            )
            if outcome in _POSITIVE:
                outcome, addresses = DnsOutcome.UNKNOWN, ()
        return Resolution(
            name=host,
            vpc_id=self.vpc_id,
            outcome=outcome,
            addresses=addresses,
            decided_by=answer.decided_by,
            forwarded_to=answer.forwarded_to,
            steps=tuple(self.steps),
            canonical_name=answer.canonical_name,
            target_resources=answer.target_resources,
            named=answer.named if outcome is DnsOutcome.ANSWER else None,
        )

    def _unknown_attributes(self) -> list[str]:
        out = []
        if self.vpc is not None and self.vpc.enable_dns_support is None:
            out.append("enableDnsSupport")
        if (
            self.vpc is not None
            and self.vpc.enable_dns_hostnames is None
            and any("enableDnsHostnames" in c for c in self.conditions)
        ):
            out.append("enableDnsHostnames")
        return out

    def _step(
        self,
        resource: str | None,
        hop_kind: str,
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

    # ---- 1. who answers -----------------------------------------------------------------
    def _who_answers(self, vpc: Vpc, host: str) -> _Answer | None:
        """DHCP name servers and enableDnsSupport; an answer when they settle everything."""
        options = self.account.dhcp_options.get(vpc.dhcp_options_id or "")
        if options is not None and not options.uses_amazon_dns:
            servers = ", ".join(options.domain_name_servers)
            first = options.domain_name_servers[0]
            self._step(
                options.id,
                "dhcp-options",
                HopStatus.UNKNOWN,
                "DNS_CUSTOM_NAME_SERVERS",
                f"{vpc.id} uses DHCP options {options.id}, whose name servers ({servers}) "
                f"answer {host} instead of the Amazon resolver: their answer is unknown offline.",
                evidence=(Evidence(resource=options.id, text=f"domain-name-servers = {servers}"),),
                needs=f"a live probe: vpcdoctor dns {host} --nameserver {first}",
            )
            if vpc.enable_dns_support is False:
                self._step(
                    vpc.id,
                    "vpc",
                    HopStatus.SKIP,
                    "DNS_SUPPORT_DISABLED",
                    f"enableDnsSupport is off on {vpc.id}: if those servers forward to the "
                    f"Amazon resolver ({vpc.resolver_ip}), that part fails too.",
                    fix=_vpc_attribute(vpc.id, "--enable-dns-support"),
                    summary=f"turn enableDnsSupport on for {vpc.id}",
                )
            return _Answer(
                DnsOutcome.UNKNOWN,
                decided_by=DecidedBy(
                    resource=options.id,
                    kind="dhcp-options",
                    detail=f"custom name servers {servers} answer for {vpc.id}",
                ),
            )
        if options is not None and len(options.domain_name_servers) > 1:
            others = [s for s in options.domain_name_servers if s != "AmazonProvidedDNS"]
            self._step(
                options.id,
                "dhcp-options",
                HopStatus.PASS,
                "DNS_MIXED_NAME_SERVERS",
                f"DHCP options {options.id} list AmazonProvidedDNS and {', '.join(others)}: "
                "clients may ask either, and the other servers may answer differently; "
                "this simulation follows the Amazon resolver.",
            )
        elif options is None and vpc.dhcp_options_id and vpc.dhcp_options_id != "default":
            self._step(
                vpc.dhcp_options_id,
                "dhcp-options",
                HopStatus.PASS,
                "DNS_DHCP_OPTIONS_ASSUMED",
                f"DHCP options {vpc.dhcp_options_id} of {vpc.id} are not in the snapshot; "
                f"assuming AmazonProvidedDNS, the default (export "
                f"'{kind('describe-dhcp-options').cli}' to confirm).",
            )
        if vpc.enable_dns_support is False:
            self._step(
                vpc.id,
                "vpc",
                HopStatus.FAIL,
                "DNS_SUPPORT_DISABLED",
                f"enableDnsSupport is off on {vpc.id}: the Amazon resolver ({vpc.resolver_ip} "
                f"and 169.254.169.253) does not answer anything from this VPC, so {host} "
                "does not resolve (clients see timeouts or SERVFAIL).",
                evidence=(Evidence(resource=vpc.id, text="enableDnsSupport = false"),),
                fix=_vpc_attribute(vpc.id, "--enable-dns-support"),
                summary=f"turn enableDnsSupport on for {vpc.id}",
            )
            return _Answer(
                DnsOutcome.SERVFAIL,
                decided_by=DecidedBy(resource=vpc.id, kind="vpc", detail="enableDnsSupport is off"),
            )
        if vpc.enable_dns_support is None:
            self.conditions.append("enableDnsSupport is on (the default)")
        return None

    # ---- 2. candidates ------------------------------------------------------------------
    def _candidates(self, name: str) -> list[_Candidate]:
        assert self.vpc_id is not None
        out: list[_Candidate] = []
        associated = {r for r, st in self._rule_statuses(self.vpc_id).items() if st == "COMPLETE"}
        for rule in self.account.resolver_rules.values():
            if rule.id in associated and in_domain(name, rule.domain_name):
                out.append(_Candidate(domain=rule.domain_name, rule=rule))
        for zone in self.account.hosted_zones.values():
            if (
                zone.private
                and in_domain(name, zone.name)
                and self._zone_associated(zone, self.vpc_id) is not False
            ):
                out.append(_Candidate(domain=zone.name, zone=zone))
        for endpoint in self._interface_endpoints():
            if not endpoint.private_dns_enabled:
                continue
            for domain, wildcard in endpoint_private_names(endpoint):
                ez = _EndpointZone(endpoint=endpoint, domain=domain, wildcard=wildcard)
                if ez.covers(name):
                    out.append(_Candidate(domain=domain, endpoint_zone=ez))
        auto = self._autodefined_domain(name)
        if auto is not None:
            out.append(_Candidate(domain=auto, autodefined=True))
        out.sort(key=lambda c: c.order)
        return out

    def _interface_endpoints(self) -> list[VpcEndpoint]:
        return sorted(
            (
                e
                for e in self.account.vpc_endpoints.values()
                if e.vpc_id == self.vpc_id and e.type is EndpointType.INTERFACE
            ),
            key=lambda e: e.id,
        )

    def _autodefined_domain(self, name: str) -> str | None:
        """The autodefined domain covering ``name``, or None.

        The Resolver answers EC2 private names itself (``ip-10-0-1-5.<region>.compute.internal``).
        """
        if in_domain(name, "ec2.internal"):
            return "ec2.internal"
        if in_domain(name, "compute.internal"):
            labels = name.split(".")
            if len(labels) >= 3 and _REGION.match(labels[-3]):
                region = labels[-3]
                if self.account.region in (None, region):
                    return f"{region}.compute.internal"
        return None

    # ---- 3. resolution of one link ------------------------------------------------------
    def _resolve(self, name: str, chain: list[str]) -> _Answer:
        chain = [*chain, name]
        vpc = self.vpc
        assert vpc is not None
        candidates = self._candidates(name)
        rules_done = False
        for cand in candidates:
            rule = cand.rule
            if rule is None:
                answer = self._from_zone_candidate(name, cand, chain)
                if answer is not None:
                    return answer
                continue
            if rules_done:
                continue
            rules_done = True  # only the most specific rule counts
            if rule.rule_type is ResolverRuleType.RECURSIVE:
                continue  # the autodefined "Internet Resolver" rule: nothing to say
            if rule.rule_type in _FORWARDING:
                for z in candidates:
                    if z.zone is not None and z.specificity == cand.specificity:
                        self._step(
                            z.zone.id,
                            "private-hosted-zone",
                            HopStatus.SKIP,
                            "DNS_PHZ_SHADOWED_BY_RULE",
                            f"Private hosted zone {z.zone.name} ({z.zone.id}) is associated "
                            f"with {vpc.id}, but FORWARD rule {rule.id} for the same name "
                            "takes precedence: the zone is never asked.",
                        )
                return self._forward(name, rule)
            carved = next(
                (
                    c.rule
                    for c in candidates
                    if c.rule is not None and c.rule is not rule and c.rule.rule_type in _FORWARDING
                ),
                None,
            )
            self._step(
                rule.id,
                "resolver-rule",
                HopStatus.PASS,
                "DNS_SYSTEM_RULE",
                f"{rule.rule_type} rule {rule.id} for {_shown_domain(rule.domain_name)} is the "
                f"most specific rule for {name}: the Resolver answers it itself (private zones, "
                "then public DNS) instead of forwarding"
                + (
                    f"; it carves {_shown_domain(rule.domain_name)} out of FORWARD rule "
                    f"{carved.id} for {_shown_domain(carved.domain_name)}."
                    if carved is not None
                    else "."
                ),
            )
        return self._public(name, outside_vpc=False)

    def _from_zone_candidate(self, name: str, cand: _Candidate, chain: list[str]) -> _Answer | None:
        """The answer of the winning zone, or None when it does not apply (then the next)."""
        vpc = self.vpc
        assert vpc is not None
        if cand.zone is not None:
            zone = cand.zone
            if self._zone_associated(zone, vpc.id) is None:
                self._step(
                    zone.id,
                    "private-hosted-zone",
                    HopStatus.UNKNOWN,
                    "DNS_PHZ_ASSOCIATION_UNKNOWN",
                    f"Private hosted zone {zone.name} ({zone.id}) covers {name}, but the snapshot "
                    f"does not list the VPCs it is associated with: whether it answers for "
                    f"{vpc.id} is unknown.",
                    needs=kind("get-hosted-zone").cli.format(id=zone.id),
                )
                return _Answer(
                    DnsOutcome.UNKNOWN, decided_by=_zone_decider(zone, "association unknown")
                )
            if not self._private_zones_work(
                zone.id, zone.name, "private-hosted-zone", "DNS_PHZ_NEEDS_DNS_HOSTNAMES"
            ):
                return None
            return self._answer_from_phz(name, zone, chain)
        if cand.endpoint_zone is not None:
            ez = cand.endpoint_zone
            if not self._private_zones_work(
                ez.endpoint.id,
                ez.domain,
                "vpc-endpoint",
                "DNS_PRIVATE_DNS_NEEDS_DNS_HOSTNAMES",
                endpoint=True,
            ):
                return None
            return self._answer_from_endpoint(name, ez)
        if cand.autodefined:
            return self._answer_autodefined(name, cand.domain)
        return None

    def _private_zones_work(
        self, resource: str, domain: str, hop_kind: str, code: str, *, endpoint: bool = False
    ) -> bool:
        """Private zones (and endpoint private DNS) need enableDnsHostnames as well."""
        vpc = self.vpc
        assert vpc is not None
        what = (
            f"the private DNS name {domain} of {resource}"
            if endpoint
            else f"private hosted zone {domain} ({resource})"
        )
        if vpc.enable_dns_hostnames is False:
            # The VPC's attribute is what a fix must change, so the step (and, when nothing
            # else answers, decided_by) names the VPC rather than the zone or endpoint.
            self._step(
                vpc.id,
                "vpc",
                HopStatus.FAIL,
                code,
                f"enableDnsHostnames is off on {vpc.id}, so {what} is not used: private DNS "
                "needs both enableDnsSupport and enableDnsHostnames; the name goes to public "
                "DNS instead"
                + (
                    " and resolves to the service's public Regional addresses, not the "
                    "endpoint (adding a NAT gateway is the wrong fix)."
                    if endpoint
                    else "."
                ),
                evidence=(
                    Evidence(resource=vpc.id, text="enableDnsHostnames = false"),
                    Evidence(resource=resource, text=f"{hop_kind} for {domain}"),
                ),
                fix=_vpc_attribute(vpc.id, "--enable-dns-hostnames"),
                summary=f"turn enableDnsHostnames on for {vpc.id}",
            )
            self.blocker = DecidedBy(
                resource=vpc.id,
                kind="vpc",
                detail=f"enableDnsHostnames is off, so {what} does not answer",
            )
            return False
        if vpc.enable_dns_hostnames is None:
            self.conditions.append(f"enableDnsHostnames is on (needed by {what})")
        return True

    # ---- private hosted zones -----------------------------------------------------------
    def _answer_from_phz(self, name: str, zone: HostedZone, chain: list[str]) -> _Answer:
        vpc = self.vpc
        assert vpc is not None
        where = f"private hosted zone {zone.name} ({zone.id})"
        if zone.records is None:
            self._step(
                zone.id,
                "private-hosted-zone",
                HopStatus.UNKNOWN,
                "DNS_PHZ_RECORDS_UNKNOWN",
                f"{where} answers {name} for {vpc.id}, but its records are not in the snapshot.",
                needs=kind("list-resource-record-sets").cli.format(id=zone.id)
                + f" > route53/list-resource-record-sets@{zone.id}.json",
            )
            return _Answer(DnsOutcome.UNKNOWN, decided_by=_zone_decider(zone, "records unknown"))
        node, synthesized = _find_node(zone, name)
        if node is None:
            if name == zone.name or _is_empty_non_terminal(zone, name):
                return self._phz_nodata(name, zone, (), empty_non_terminal=True)
            detail = (
                f"{name} does not exist in {where}, which is associated with {vpc.id} and is "
                f"the most specific zone or rule for the name: the Resolver answers NXDOMAIN "
                "and does not fall back to public DNS (this surprises people)."
            )
            detail += self._shadow_note(name, zone)
            self._step(
                zone.id,
                "private-hosted-zone",
                HopStatus.FAIL,
                "DNS_NXDOMAIN_PHZ",
                detail,
                evidence=(Evidence(resource=zone.id, text=f"no record named {name}"),),
                fix=(
                    f"add the record to {zone.id} (aws route53 change-resource-record-sets "
                    f"--hosted-zone-id {_w('hosted-zone', zone.id)} --change-batch "
                    f"file://upsert-{_w('dns-name', name)}.json), or "
                    "drop the zone's association if public DNS should answer"
                ),
            )
            return _Answer(
                DnsOutcome.NXDOMAIN, decided_by=_zone_decider(zone, f"no record named {name}")
            )
        records = [r for r in zone.records if r.name == node]
        via = f" (through wildcard {node})" if synthesized else ""
        addr = [r for r in records if r.type in _ADDRESS_TYPES]
        cname = [r for r in records if r.type == "CNAME"]
        if addr:
            return self._phz_addresses(name, zone, addr, via, chain)
        if cname:
            record = cname[0]
            target = normalize_dns_name(record.values[0]) if record.values else ""
            if record.alias is not None:
                target = _alias_name(record.alias.dns_name)
            self._step(
                zone.id,
                "private-hosted-zone",
                HopStatus.PASS,
                "DNS_PHZ_CNAME",
                f"{name} is a CNAME{via} to {target} in {where}.",
                evidence=(Evidence(resource=zone.id, text=f"{node} CNAME {target}"),),
            )
            return self._follow(name, target, zone, chain)
        return self._phz_nodata(name, zone, tuple(sorted({r.type for r in records})))

    def _phz_addresses(
        self, name: str, zone: HostedZone, records: list[RecordSet], via: str, chain: list[str]
    ) -> _Answer:
        where = f"private hosted zone {zone.name} ({zone.id})"
        aliases = [r for r in records if r.alias is not None]
        plain = [r for r in records if r.alias is None]
        if aliases and not plain:
            alias = aliases[0].alias
            assert alias is not None
            target = _alias_name(alias.dns_name)
            self._step(
                zone.id,
                "private-hosted-zone",
                HopStatus.PASS,
                "DNS_PHZ_ALIAS",
                f"{name} is an alias {aliases[0].type} record{via} in {where} pointing at "
                f"{target}{self._alias_target_text(target)}.",
                evidence=(
                    Evidence(
                        resource=zone.id,
                        text=f"{aliases[0].name} {aliases[0].type} "
                        f"ALIAS {target} (zone {alias.hosted_zone_id})",
                    ),
                ),
            )
            answer = self._follow(name, target, zone, chain)
            return answer
        raw = list(dict.fromkeys(v.strip() for r in plain for v in r.values))
        values = tuple(v for v in raw if _is_ip(v))
        bad = [v for v in raw if not _is_ip(v)]
        ttl = min((r.ttl for r in plain if r.ttl is not None), default=None)
        if not values:
            self._step(
                zone.id,
                "private-hosted-zone",
                HopStatus.FAIL,
                "DNS_PHZ_BAD_RECORD",
                f"The address record for {name} in {where} holds no valid address "
                f"({', '.join(repr(v[:60]) for v in bad) or 'no values'}).",
                fix=f"correct the record for {name} in {zone.id}",
            )
            return _Answer(DnsOutcome.SERVFAIL, decided_by=_zone_decider(zone, "bad record"))
        policy = ""
        if bad:
            ignored = ", ".join(repr(v[:60]) for v in bad)
            policy += f" Ignored values that are not addresses: {ignored}."
        if any(r.set_identifier for r in plain):
            policy += (
                " Several record sets share the name (a routing policy): the Resolver returns "
                "one of them per query; all are listed."
            )
        self._step(
            zone.id,
            "private-hosted-zone",
            HopStatus.PASS,
            "DNS_PHZ_ANSWER",
            f"{name} is in {where}{via}: {', '.join(values)}."
            + (f" TTL {ttl} s." if ttl is not None else "")
            + policy,
            evidence=tuple(
                Evidence(resource=zone.id, text=f"{r.name} {r.type} {' '.join(r.values)}")
                for r in plain
            ),
        )
        return _Answer(
            DnsOutcome.ANSWER,
            addresses=values,
            decided_by=_zone_decider(zone, f"{name} {'/'.join(sorted({r.type for r in plain}))}"),
            canonical_name=name if len(chain) > 1 else None,
        )

    def _phz_nodata(
        self,
        name: str,
        zone: HostedZone,
        types: tuple[str, ...],
        *,
        empty_non_terminal: bool = False,
    ) -> _Answer:
        where = f"private hosted zone {zone.name} ({zone.id})"
        has = (
            "only names below it exist"
            if empty_non_terminal
            else f"it holds only {', '.join(types)} records"
        )
        self._step(
            zone.id,
            "private-hosted-zone",
            HopStatus.FAIL,
            "DNS_NODATA_PHZ",
            f"{name} exists in {where} but has no A, AAAA or CNAME record ({has}): the answer "
            "is empty (NODATA), with no fallback to public DNS.",
            fix=f"add an A (or alias) record for {name} to {zone.id}",
        )
        return _Answer(DnsOutcome.NODATA, decided_by=_zone_decider(zone, "no address record"))

    def _follow(self, name: str, target: str, zone: HostedZone, chain: list[str]) -> _Answer:
        """Follow a CNAME or alias: the Resolver resolves the target from scratch."""
        if not target:
            self._step(
                zone.id,
                "private-hosted-zone",
                HopStatus.FAIL,
                "DNS_PHZ_BAD_RECORD",
                f"The record for {name} in {zone.id} has no target.",
            )
            return _Answer(DnsOutcome.SERVFAIL, decided_by=_zone_decider(zone, "empty target"))
        if target in chain:
            loop = " → ".join([*chain, target])
            self._step(
                zone.id,
                "private-hosted-zone",
                HopStatus.FAIL,
                "DNS_CNAME_LOOP",
                f"CNAME / alias loop: {loop}. The Resolver gives up (SERVFAIL).",
                fix=f"point one of the records at an address instead ({zone.id})",
            )
            return _Answer(DnsOutcome.SERVFAIL, decided_by=_zone_decider(zone, "CNAME loop"))
        if len(chain) >= MAX_CHAIN:
            self._step(
                zone.id,
                "private-hosted-zone",
                HopStatus.FAIL,
                "DNS_CNAME_CHAIN_TOO_LONG",
                f"More than {MAX_CHAIN} CNAME / alias links from {chain[0]}: the Resolver gives "
                "up (SERVFAIL).",
            )
            return _Answer(DnsOutcome.SERVFAIL, decided_by=_zone_decider(zone, "chain too long"))
        answer = self._resolve(target, chain)
        if answer.canonical_name is None and answer.outcome is DnsOutcome.ANSWER:
            answer.canonical_name = target
        if answer.canonical_name is None and answer.outcome is DnsOutcome.PUBLIC:
            answer.canonical_name = target
        if answer.weak_decider or answer.decided_by is None:
            answer.decided_by = _zone_decider(zone, f"{name} → {target}")
            answer.weak_decider = False
        return answer

    def _alias_target_text(self, target: str) -> str:
        lb = self._load_balancer(target)
        if lb is not None:
            return f" (load balancer {lb.name})"
        ep = self._endpoint_by_name(target)
        if ep is not None:
            return f" (VPC endpoint {ep.id})"
        return ""

    def _shadow_note(self, name: str, zone: HostedZone) -> str:
        """Other zones in the account that hold the name: the usual reason it is "missing"."""
        notes = []
        for other in sorted(self.account.hosted_zones.values(), key=lambda z: z.id):
            if other.id == zone.id or other.records is None or not in_domain(name, other.name):
                continue
            if any(r.name == name for r in other.records):
                kind_text = "private" if other.private else "public"
                assoc = ""
                if other.private:
                    assoc = (
                        ", associated with this VPC but less specific"
                        if self._zone_associated(other, self.vpc_id or "")
                        else ", not associated with this VPC"
                    )
                notes.append(f"{kind_text} zone {other.name} ({other.id}{assoc})")
        if not notes:
            return ""
        return f" The name does exist in {', '.join(notes)}: {zone.name} shadows it there."

    # ---- interface endpoints and autodefined names --------------------------------------
    def _answer_from_endpoint(self, name: str, ez: _EndpointZone) -> _Answer:
        ep = ez.endpoint
        addresses, missing = self._endpoint_addresses(ep)
        service = ep.service_short_name
        decided = DecidedBy(
            resource=ep.id,
            kind="vpc-endpoint",
            detail=f"private DNS of the {service} interface endpoint",
        )
        note = ""
        if service == "s3" and any(
            e.type is EndpointType.GATEWAY
            and e.vpc_id == ep.vpc_id
            and e.service_short_name == "s3"
            for e in self.account.vpc_endpoints.values()
        ):
            note = (
                " This VPC also has an S3 gateway endpoint: with "
                "PrivateDnsOnlyForInboundResolverEndpoint (the default then) the VPC's own "
                "queries get public S3 addresses and use the gateway endpoint instead."
            )
        if missing or not addresses:
            self._step(
                ep.id,
                "vpc-endpoint",
                HopStatus.UNKNOWN,
                "DNS_ENDPOINT_ADDRESSES_UNKNOWN",
                f"{name} resolves through the private DNS of interface endpoint {ep.id} "
                f"({service}) to its network interfaces' addresses, which the snapshot lacks "
                f"({', '.join(missing) or 'none listed'}).{note}",
                needs=kind("describe-network-interfaces").cli,
            )
            return _Answer(
                DnsOutcome.ANSWER,
                addresses=addresses,
                decided_by=decided,
                target_resources=(ep.id,),
            )
        self._step(
            ep.id,
            "vpc-endpoint",
            HopStatus.PASS,
            "DNS_ENDPOINT_PRIVATE_DNS",
            f"{name} resolves through the private DNS of interface endpoint {ep.id} ({service}, "
            f"{ep.state}) to its addresses {', '.join(addresses)}.{note}",
            evidence=(
                Evidence(
                    resource=ep.id,
                    text=f"PrivateDnsEnabled = true; {ez.domain}"
                    + (" (and subdomains)" if ez.wildcard else ""),
                ),
            ),
        )
        return _Answer(
            DnsOutcome.ANSWER, addresses=addresses, decided_by=decided, target_resources=(ep.id,)
        )

    def _endpoint_addresses(self, ep: VpcEndpoint) -> tuple[tuple[str, ...], list[str]]:
        addresses: list[str] = []
        missing: list[str] = []
        for eni_id in ep.network_interface_ids:
            eni = self.account.network_interfaces.get(eni_id)
            if eni is None:
                missing.append(eni_id)
                continue
            addresses.extend(str(ip) for ip in (*eni.private_ips, *eni.ipv6_addresses))
        return tuple(dict.fromkeys(addresses)), missing

    def _answer_autodefined(self, name: str, domain: str) -> _Answer:
        vpc = self.vpc
        assert vpc is not None
        match = _EC2_NAME.match(name)
        decided = DecidedBy(
            resource=vpc.id,
            kind="vpc",
            detail=f"the Resolver's autodefined rule for {domain} (EC2 private names)",
        )
        if match is not None and name.count(".") == domain.count(".") + 1:
            try:
                ip = ipaddress.IPv4Address(".".join(match.groups()))
            except ValueError:
                ip = None
            if ip is not None:
                self._step(
                    vpc.id,
                    "vpc",
                    HopStatus.PASS,
                    "DNS_EC2_PRIVATE_NAME",
                    f"{name} is an EC2 private DNS name: the Resolver answers {ip} itself.",
                )
                return _Answer(DnsOutcome.ANSWER, addresses=(str(ip),), decided_by=decided)
        self._step(
            vpc.id,
            "vpc",
            HopStatus.FAIL,
            "DNS_NXDOMAIN_EC2_NAME",
            f"{name} is under {domain}, which the Resolver answers itself (EC2 private names "
            "of the form ip-10-0-1-5): this one does not exist (NXDOMAIN).",
        )
        return _Answer(DnsOutcome.NXDOMAIN, decided_by=decided)

    # ---- FORWARD rules ------------------------------------------------------------------
    def _forward(self, name: str, rule: ResolverRule) -> _Answer:
        vpc = self.vpc
        assert vpc is not None
        targets = tuple(f"{_bracket(t.ip)}:{t.port}" for t in rule.target_ips)
        label = f"{rule.rule_type} rule {rule.id}" + (f" ({rule.name})" if rule.name else "")
        decided = DecidedBy(
            resource=rule.id,
            kind="resolver-rule",
            detail=f"forwards {_shown_domain(rule.domain_name)} to {', '.join(targets) or '?'}",
        )
        self._step(
            rule.id,
            "resolver-rule",
            HopStatus.UNKNOWN,
            "DNS_FORWARDED",
            f"{label} for {_shown_domain(rule.domain_name)} is associated with {vpc.id} and is "
            f"the most specific match for {name}: the Resolver forwards the question to "
            f"{', '.join(targets) or 'its delegated name servers'} through outbound endpoint "
            f"{rule.resolver_endpoint_id or '?'}; the answer is only known by asking them.",
            evidence=(
                Evidence(
                    resource=rule.id,
                    text=f"{_shown_domain(rule.domain_name)} → "
                    f"{', '.join(targets) or '(delegation)'}",
                ),
            ),
            needs=(
                f"a live probe: vpcdoctor dns {name} --nameserver {targets[0]}"
                if targets
                else "a live probe of the delegated name servers"
            ),
        )
        failed = False
        if rule.rule_type is ResolverRuleType.FORWARD and not rule.target_ips:
            self._step(
                rule.id,
                "resolver-rule",
                HopStatus.FAIL,
                "DNS_RULE_NO_TARGETS",
                f"FORWARD rule {rule.id} has no target IP addresses: nothing can answer.",
                fix="aws route53resolver update-resolver-rule --resolver-rule-id "
                f"{_w('resolver-rule', rule.id)} "
                "--config TargetIps=[{Ip=…,Port=53}]",
            )
            failed = True
        endpoint = self._outbound_endpoint(rule)
        if endpoint is False:
            failed = True
        elif endpoint is not None:
            failed |= not self._endpoint_security_groups(endpoint, rule)
            failed |= not self._endpoint_routes(endpoint, rule)
        if failed:
            return _Answer(DnsOutcome.SERVFAIL, decided_by=decided, forwarded_to=targets)
        return _Answer(DnsOutcome.FORWARDED, decided_by=decided, forwarded_to=targets)

    def _outbound_endpoint(self, rule: ResolverRule) -> ResolverEndpoint | Literal[False] | None:
        """The rule's outbound endpoint if usable; None when unknown; False when it fails."""
        ep_id = rule.resolver_endpoint_id
        if ep_id is None:
            self._step(
                rule.id,
                "resolver-endpoint",
                HopStatus.UNKNOWN,
                "DNS_RULE_ENDPOINT_UNKNOWN",
                f"The snapshot does not say which outbound endpoint rule {rule.id} uses.",
                needs=kind("list-resolver-rules").cli,
            )
            return None
        ep = self.account.resolver_endpoints.get(ep_id)
        shared = (
            rule.owner_id is not None
            and self.account.account_id is not None
            and rule.owner_id != self.account.account_id
        )
        if ep is None:
            if shared:
                self._step(
                    ep_id,
                    "resolver-endpoint",
                    HopStatus.UNKNOWN,
                    "DNS_RESOLVER_ENDPOINT_SHARED",
                    f"Rule {rule.id} is shared from account {rule.owner_id}; its outbound "
                    f"endpoint {ep_id} lives there and is not in this snapshot.",
                    needs=f"{kind('list-resolver-endpoints').cli} (in account {rule.owner_id})",
                )
                return None
            if self.account.has("list-resolver-endpoints"):
                self._step(
                    ep_id,
                    "resolver-endpoint",
                    HopStatus.FAIL,
                    "DNS_RESOLVER_ENDPOINT_MISSING",
                    f"Outbound endpoint {ep_id} of rule {rule.id} is not among the account's "
                    "Resolver endpoints (deleted?): forwarded questions go nowhere (SERVFAIL).",
                    fix="create an outbound endpoint and point the rule at it: aws "
                    f"route53resolver update-resolver-rule --resolver-rule-id {rule.id} "
                    "--config ResolverEndpointId=rslvr-out-…",
                )
                return False
            self._step(
                ep_id,
                "resolver-endpoint",
                HopStatus.UNKNOWN,
                "DNS_RESOLVER_ENDPOINT_UNKNOWN",
                f"Outbound endpoint {ep_id} of rule {rule.id} is not in the snapshot.",
                needs=kind("list-resolver-endpoints").cli,
            )
            return None
        if ep.direction.value != "OUTBOUND":
            self._step(
                ep.id,
                "resolver-endpoint",
                HopStatus.FAIL,
                "DNS_RESOLVER_ENDPOINT_NOT_OUTBOUND",
                f"Endpoint {ep.id} of rule {rule.id} is {ep.direction}, not OUTBOUND: it cannot "
                "forward questions.",
            )
            return False
        if ep.status != "OPERATIONAL":
            transient = ep.status in ("UPDATING", "AUTO_RECOVERING", "CREATING")
            self._step(
                ep.id,
                "resolver-endpoint",
                HopStatus.UNKNOWN if transient else HopStatus.FAIL,
                "DNS_RESOLVER_ENDPOINT_NOT_OPERATIONAL",
                f"Outbound endpoint {ep.id} is {ep.status}, not OPERATIONAL: "
                + (
                    "forwarding may work partly while AWS finishes."
                    if transient
                    else "forwarded questions fail (SERVFAIL)."
                ),
                evidence=(Evidence(resource=ep.id, text=f"Status = {ep.status}"),),
                fix="aws route53resolver get-resolver-endpoint --resolver-endpoint-id "
                f"{_w('resolver-endpoint', ep.id)} "
                "(see StatusMessage)",
            )
            return None if transient else False
        self._step(
            ep.id,
            "resolver-endpoint",
            HopStatus.PASS,
            "DNS_RESOLVER_ENDPOINT_OPERATIONAL",
            f"Outbound endpoint {ep.id}"
            + (f" ({ep.name})" if ep.name else "")
            + f" in {ep.vpc_id} is OPERATIONAL.",
        )
        return ep

    def _endpoint_security_groups(self, ep: ResolverEndpoint, rule: ResolverRule) -> bool:
        """False only when the endpoint's groups block every target; otherwise True."""
        if not rule.target_ips:
            return True
        pairs = [(g, self.account.security_groups.get(g)) for g in ep.security_group_ids]
        missing = [g for g, group in pairs if group is None]
        groups = [
            self.account.security_groups[g]
            for g in ep.security_group_ids
            if g in self.account.security_groups
        ]
        ok: list[str] = []
        blocked: list[str] = []
        tcp_missing: list[str] = []
        unknown: list[str] = []
        for target in rule.target_ips:
            shown = f"{_bracket(target.ip)}:{target.port}"
            udp = self._sg_allows(pairs, target.ip, "17", target.port)
            tcp = self._sg_allows(pairs, target.ip, "6", target.port)
            if udp is True:
                ok.append(shown)
                if tcp is not True:
                    tcp_missing.append(shown)
            elif udp is None or missing:
                unknown.append(shown)
            else:
                blocked.append(shown)
        group_text = ", ".join(ep.security_group_ids) or "(none)"
        fix_target = rule.target_ips[0]
        fix = (
            f"aws ec2 authorize-security-group-egress --group-id "
            f"{(ep.security_group_ids or ('sg-…',))[0]} --ip-permissions "
            f"IpProtocol=udp,FromPort={fix_target.port},ToPort={fix_target.port},"
            f"IpRanges=[{{CidrIp={fix_target.ip}/32}}] "
            f"IpProtocol=tcp,FromPort={fix_target.port},ToPort={fix_target.port},"
            f"IpRanges=[{{CidrIp={fix_target.ip}/32}}]"
        )
        if ok:
            detail = (
                f"The security groups of {ep.id} ({group_text}) allow DNS egress to "
                f"{', '.join(ok)}."
            )
            if blocked:
                detail += f" Not to {', '.join(blocked)}: the Resolver retries the others."
            if tcp_missing:
                detail += (
                    f" TCP to {', '.join(tcp_missing)} is not allowed: answers too large for "
                    "UDP (truncated) will fail; allow TCP as well."
                )
            self._step(
                ep.id,
                "security-group",
                HopStatus.PASS,
                "DNS_ENDPOINT_SG_ALLOWS",
                detail,
                fix=fix if (blocked or tcp_missing) else None,
            )
            return True
        if unknown:
            self._step(
                ep.id,
                "security-group",
                HopStatus.UNKNOWN,
                "DNS_ENDPOINT_SG_UNKNOWN",
                f"Whether the security groups of {ep.id} ({group_text}) allow DNS egress to "
                f"{', '.join(unknown)} is unknown"
                + (f" ({', '.join(missing)} not in the snapshot)." if missing else "."),
                needs=kind("describe-security-groups").cli,
            )
            return True
        self._step(
            (ep.security_group_ids or (ep.id,))[0],
            "security-group",
            HopStatus.FAIL,
            "DNS_ENDPOINT_SG_BLOCKS",
            f"The security groups of outbound endpoint {ep.id} ({group_text}) allow no UDP "
            f"egress to {', '.join(blocked)} on the rule's port: every forwarded question "
            "fails (SERVFAIL). Outbound endpoints need TCP and UDP egress to the targets.",
            evidence=tuple(
                Evidence(
                    resource=g.id, text="; ".join(str(r) for r in g.egress) or "no egress rules"
                )
                for g in groups
            ),
            fix=fix,
        )
        return False

    @property
    def _net(self) -> Network:
        """The engine's navigation of the graph (the one ``check`` keeps with it, if any)."""
        if self.network is None:
            graph = self.graph if self.graph is not None else graph_for(self.account)
            cached = graph.graph.get("_network")
            self.network = cached if isinstance(cached, Network) else Network(graph)
        return self.network

    def _sg_allows(
        self, groups: list[tuple[str, SecurityGroup | None]], ip_text: str, proto: str, port: int
    ) -> bool | None:
        """R2 through the engine's one evaluator: egress from the endpoint to ``ip_text``."""
        try:
            peer = Endpoint.address(ip_text)
        except ValueError:
            return None
        target_eni = self.account.eni_for_ip(peer.nets[0].network_address)
        return security_groups_allow(
            self._net,
            groups,
            egress=True,
            peer=peer,
            peer_groups=target_eni.security_group_ids if target_eni is not None else (),
            port=port,
            protocol=proto,
        ).allowed

    def _route_for(self, table: RouteTable, ip_text: str) -> tuple[Route | None, str]:
        """R1 through the engine's one route lookup (longest prefix, then static > prefix list
        > propagated; filtered routes ignored); ``(None, "unknown")`` when a prefix list whose
        entries the snapshot lacks might decide, ``(None, "none")`` when nothing matches."""
        try:
            dest = Endpoint.address(ip_text)
        except ValueError:
            return None, "unknown"
        decision = lookup(self._net, table, dest)
        if decision.unknown_prefix_lists or decision.ambiguous:
            return None, "unknown"
        if decision.edge is None:
            return None, "none"
        return decision.edge.route, ""

    def _endpoint_routes(self, ep: ResolverEndpoint, rule: ResolverRule) -> bool:
        """False only when no subnet of the endpoint routes to any target."""
        if not rule.target_ips:
            return True
        if ep.ip_addresses is None:
            self._step(
                ep.id,
                "resolver-endpoint",
                HopStatus.UNKNOWN,
                "DNS_ENDPOINT_SUBNETS_UNKNOWN",
                f"The subnets of outbound endpoint {ep.id} are not in the snapshot, so its routes "
                "to the targets cannot be checked.",
                needs=kind("list-resolver-endpoint-ip-addresses").cli.format(id=ep.id)
                + f" > route53resolver/list-resolver-endpoint-ip-addresses@{ep.id}.json",
            )
            return True
        subnets = list(dict.fromkeys(a.subnet_id for a in ep.ip_addresses))
        good: list[str] = []
        bad: list[tuple[str, str]] = []
        unknown: list[str] = []
        evidence: list[Evidence] = []
        for subnet_id in subnets:
            table = self.account.route_table_for(subnet_id)
            if table is None:
                unknown.append(subnet_id)
                continue
            for target in rule.target_ips:
                route, why = self._route_for(table, target.ip)
                if route is None:
                    if why == "unknown":
                        unknown.append(subnet_id)
                    else:
                        bad.append((subnet_id, f"no route to {target.ip} in {table.id}"))
                    continue
                evidence.append(Evidence(resource=table.id, text=str(route)))
                if route.state is RouteState.BLACKHOLE:
                    bad.append((subnet_id, f"{table.id}: {route} is a blackhole"))
                elif route.target_type is RouteTargetType.NAT_GATEWAY and _private_over_nat(
                    self.account, route.target_id, target.ip
                ):
                    bad.append(
                        (
                            subnet_id,
                            f"{table.id} sends {target.ip} to {route.target_id}, a public NAT "
                            "gateway: it goes to the internet, where a private address is not "
                            "reachable (route it through the VPN gateway or transit gateway)",
                        )
                    )
                elif route.target_type in _ROUTABLE_FOR_RESOLVER:
                    good.append(
                        f"{subnet_id} → {target.ip} via {route.target_id} "
                        f"({_ROUTABLE_FOR_RESOLVER[route.target_type]})"
                    )
                elif route.target_type is RouteTargetType.INTERNET_GATEWAY:
                    bad.append(
                        (
                            subnet_id,
                            f"{table.id} sends {target.ip} to {route.target_id}, an internet "
                            "gateway: the endpoint's addresses are private, so nothing comes "
                            "back (use NAT, VPN, Direct Connect or a transit gateway)",
                        )
                    )
                else:
                    bad.append((subnet_id, f"{table.id}: {route} cannot carry the queries"))
        if good:
            detail = f"Outbound endpoint {ep.id} reaches the targets: {'; '.join(good)}."
            if bad:
                detail += " But " + "; ".join(why for _, why in bad) + "."
            detail += " (Beyond the gateway the path is not modelled.)"
            self._step(
                ep.id,
                "route-table",
                HopStatus.PASS,
                "DNS_ENDPOINT_ROUTES",
                detail,
                evidence=tuple(evidence),
            )
            return True
        if unknown and not bad:
            self._step(
                ep.id,
                "route-table",
                HopStatus.UNKNOWN,
                "DNS_ENDPOINT_ROUTES_UNKNOWN",
                f"The route tables of {', '.join(dict.fromkeys(unknown))} (subnets of {ep.id}) "
                "are not fully in the snapshot.",
                needs=kind("describe-route-tables").cli,
            )
            return True
        first_table = self.account.route_table_for(bad[0][0]) if bad else None
        self._step(
            first_table.id if first_table is not None else ep.id,
            "route-table",
            HopStatus.FAIL,
            "DNS_ENDPOINT_NO_ROUTE",
            f"No subnet of outbound endpoint {ep.id} routes to the rule's targets: "
            + "; ".join(f"{s}: {why}" for s, why in bad)
            + ". Forwarded questions time out and the Resolver answers SERVFAIL.",
            evidence=tuple(evidence),
            fix="add a route to the DNS servers through the VPN gateway, transit gateway or "
            "peering connection, e.g. aws ec2 create-route --route-table-id "
            f"{first_table.id if first_table else 'rtb-…'} --destination-cidr-block "
            f"{rule.target_ips[0].ip}/32 --transit-gateway-id tgw-…",
        )
        return False

    # ---- public DNS and what it never answers -------------------------------------------
    def _public(self, name: str, *, outside_vpc: bool) -> _Answer:
        known = self._known_aws_name(name)
        if known is not None:
            return known
        family = resource_family(name)
        if family is not None:
            return self._unknown_resource(name, *family)
        missed = self._unassociated(name, outside_vpc=outside_vpc) or self.blocker
        self._endpoint_notes(name)
        if not outside_vpc and not missed:
            unknown = self._unknown_coverage(name)
            if unknown is not None:
                return unknown
        special = special_use_suffix(name)
        if special is not None:
            suffix, source = special
            self._step(
                None,
                "dns",
                HopStatus.SKIP if missed else HopStatus.FAIL,
                "DNS_SPECIAL_USE_NAME",
                f"{name} is under .{suffix}, reserved by {source}: public DNS never answers "
                + (
                    "it, and no private zone or Resolver rule that applies to this function "
                    "covers it, so it is NXDOMAIN."
                    if outside_vpc
                    else f"it, and no private hosted zone or Resolver rule associated with "
                    f"{self.vpc_id} covers it, so it is NXDOMAIN."
                ),
            )
            return _Answer(
                DnsOutcome.NXDOMAIN,
                decided_by=missed or None,
            )
        public_zone = next(
            (
                z
                for z in sorted(self.account.hosted_zones.values(), key=lambda z: -len(z.name))
                if not z.private and in_domain(name, z.name)
            ),
            None,
        )
        note = ""
        if public_zone is not None:
            note = (
                f" The account's public hosted zone {public_zone.name} ({public_zone.id}) may "
                "be what answers, if the domain is delegated to it."
            )
        self._step(
            None,
            "dns",
            HopStatus.PASS,
            "DNS_PUBLIC",
            "No private hosted zone or Resolver rule "
            + ("applies" if outside_vpc else f"associated with {self.vpc_id} covers {name}")
            + ": public DNS answers it (the Resolver needs no NAT for that); the address is "
            f"only known by probing.{note}",
        )
        return _Answer(DnsOutcome.PUBLIC, decided_by=missed or None, weak_decider=not missed)

    def _unknown_coverage(self, name: str) -> _Answer | None:
        """Nothing in the snapshot covers ``name``; but when the outputs that list private zones
        or Resolver rules are missing, one might: NXDOMAIN or "public" would be a guess."""
        has = self.account.has
        missing = [k for k in ("list-hosted-zones", "list-resolver-rules") if not has(k)]
        rules = self.account.resolver_rules.values()
        if (
            has("list-resolver-rules")
            and not has("list-resolver-rule-associations")
            and any(in_domain(name, r.domain_name) for r in rules)
        ):
            missing.append("list-resolver-rule-associations")
        if not missing:
            return None
        self._step(
            None,
            "dns",
            HopStatus.UNKNOWN,
            "DNS_COVERAGE_UNKNOWN",
            f"Nothing in the snapshot covers {name}, but it has no "
            + " and no ".join(f"{k} output" for k in missing)
            + f": a private hosted zone or Resolver rule associated with {self.vpc_id} could "
            "answer it.",
            needs="; ".join(kind(k).cli for k in missing),
        )
        return _Answer(DnsOutcome.UNKNOWN)

    def _known_aws_name(self, name: str) -> _Answer | None:
        """Public names of resources in the account whose answer the snapshot knows."""
        found = named_resource(self.account, name)
        lb = self._load_balancer(name)
        if lb is not None:
            answer = self._answer_load_balancer(name, lb)
            if found is not None and found.internal:
                answer.named = found
            return answer
        ep = self._endpoint_by_name(name)
        if ep is not None:
            addresses, missing = self._endpoint_addresses(ep)
            status = HopStatus.PASS if addresses and not missing else HopStatus.UNKNOWN
            self._step(
                ep.id,
                "vpc-endpoint",
                status,
                "DNS_ENDPOINT_NAME",
                f"{name} is a DNS name of VPC endpoint {ep.id}: public DNS answers with its "
                f"network interfaces' private addresses {', '.join(addresses) or '(unknown)'}.",
                needs=None if status is HopStatus.PASS else kind("describe-network-interfaces").cli,
            )
            return _Answer(
                DnsOutcome.ANSWER,
                addresses=addresses,
                decided_by=DecidedBy(
                    resource=ep.id, kind="vpc-endpoint", detail="endpoint-specific DNS name"
                ),
                target_resources=(ep.id,),
                weak_decider=True,
                named=found,
            )
        if found is not None and found.kind != "load-balancer":
            return self._answer_named(name, found)
        return None

    def _unknown_resource(self, name: str, what: str, kinds: tuple[str, ...]) -> _Answer:
        """An endpoint name of a VPC resource the snapshot does not hold (R12): its answer is
        private inside the VPCs that reach it, so public DNS does not decide its path."""
        missing = [k for k in kinds if not self.account.has(k)]
        gap = (
            f" (the snapshot has no {' and no '.join(missing)} output)"
            if missing
            else " (it may be in another account or Region)"
        )
        self._step(
            None,
            "dns",
            HopStatus.UNKNOWN,
            "DNS_RESOURCE_NOT_IN_SNAPSHOT",
            f"{name} is the endpoint name of an {what} the snapshot does not hold{gap}: inside "
            "a VPC that reaches it, it answers with the resource's private addresses, not an "
            "internet address, so where it leads is not known.",
            needs="; ".join(kind(k).cli for k in (missing or kinds)),
        )
        return _Answer(DnsOutcome.UNKNOWN)

    def _answer_named(self, name: str, res: NamedResource) -> _Answer:
        """A database, cache or search domain endpoint: from inside a VPC, its interfaces'
        private addresses (R12), even when it is publicly accessible; never public DNS's."""
        code = _NAMED_CODES.get(res.hop_kind, "DNS_RESOURCE_NAME")
        decided = DecidedBy(resource=res.resource, kind=res.kind, detail=f"endpoint of {res.label}")
        addresses = res.addresses
        evidence = tuple(
            Evidence(
                resource=e.id,
                text=f"{e.description or e.interface_type}: "
                + ", ".join(str(ip) for ip in e.private_ips),
            )
            for e in res.enis
        )
        if addresses:
            self._step(
                res.resource,
                res.hop_kind,
                HopStatus.PASS,
                code,
                f"{name} is the endpoint of {res.label}: inside the VPC it answers with its "
                f"network interfaces' private addresses {', '.join(addresses)} "
                f"({res.matched_by}).",
                evidence=evidence,
            )
        else:
            where = ", ".join(res.subnet_ids) or "subnets the snapshot does not name"
            self._step(
                res.resource,
                res.hop_kind,
                HopStatus.UNKNOWN,
                code + "_ADDRESSES_UNKNOWN",
                f"{name} is the endpoint of {res.label}: it answers with private addresses of "
                f"its network interfaces, which the snapshot does not hold ({res.matched_by}); "
                f"they lie in {where}.",
                needs=kind("describe-network-interfaces").cli,
            )
        return _Answer(
            DnsOutcome.ANSWER,
            addresses=addresses,
            decided_by=decided,
            target_resources=(res.resource,),
            weak_decider=True,
            named=res,
        )

    def _answer_load_balancer(self, name: str, lb: LoadBalancer) -> _Answer:
        arn_tail = lb.arn.split(":loadbalancer/", 1)[-1]
        description = f"ELB {arn_tail}"
        enis = sorted(
            (e for e in self.account.network_interfaces.values() if e.description == description),
            key=lambda e: e.id,
        )
        internal = lb.scheme == "internal"
        addresses: list[str] = []
        for eni in enis:
            if internal:
                addresses.extend(str(ip) for ip in (*eni.private_ips, *eni.ipv6_addresses))
            elif eni.public_ip is not None:
                addresses.append(str(eni.public_ip))
        decided = DecidedBy(
            resource=lb.arn,
            kind="load-balancer",
            detail=f"DNS name of {lb.scheme} {lb.type} load balancer {lb.name}",
        )
        if not addresses:
            self._step(
                lb.arn,
                "load-balancer",
                HopStatus.UNKNOWN,
                "DNS_LOAD_BALANCER_ADDRESSES_UNKNOWN",
                f"{name} is the DNS name of {lb.scheme} load balancer {lb.name}; its nodes' "
                f"addresses (network interfaces described '{description}') are not in the "
                "snapshot.",
                needs=f"aws ec2 describe-network-interfaces --filters "
                f"Name=description,Values='{description}'",
            )
            return _Answer(
                DnsOutcome.ANSWER, decided_by=decided, target_resources=(lb.arn,), weak_decider=True
            )
        which = "private" if internal else "public"
        self._step(
            lb.arn,
            "load-balancer",
            HopStatus.PASS,
            "DNS_LOAD_BALANCER",
            f"{name} is the DNS name of {lb.scheme} {lb.type} load balancer {lb.name}: AWS "
            f"answers with its nodes' {which} addresses {', '.join(addresses)}.",
            evidence=tuple(Evidence(resource=e.id, text=description) for e in enis),
        )
        return _Answer(
            DnsOutcome.ANSWER,
            addresses=tuple(dict.fromkeys(addresses)),
            decided_by=decided,
            target_resources=(lb.arn,),
            weak_decider=True,
        )

    def _load_balancer(self, name: str) -> LoadBalancer | None:
        bare = _alias_name(name)
        for lb in self.account.load_balancers.values():
            if normalize_dns_name(lb.dns_name) == bare:
                return lb
        return None

    def _endpoint_by_name(self, name: str) -> VpcEndpoint | None:
        for ep in self.account.vpc_endpoints.values():
            if name in endpoint_specific_names(ep):
                return ep
        return None

    def _unassociated(self, name: str, *, outside_vpc: bool) -> DecidedBy | None:
        """Private zones and Resolver rules that cover ``name`` but do not apply here.

        That is the usual bug: each becomes a failing step with the command that associates it.
        Returns the most specific one, for ``decided_by``.
        """
        found: list[tuple[int, DecidedBy]] = []
        region = self.account.region or "REGION"
        vpc_id = self.vpc_id
        for zone in sorted(self.account.hosted_zones.values(), key=lambda z: z.id):
            if not zone.private or not in_domain(name, zone.name):
                continue
            if outside_vpc:
                self._step(
                    zone.id,
                    "private-hosted-zone",
                    HopStatus.FAIL,
                    "DNS_PHZ_OUTSIDE_VPC",
                    f"Private hosted zone {zone.name} ({zone.id}) covers {name}, but a function "
                    "that is not attached to a VPC never sees private zones.",
                    fix="attach the function to a VPC associated with the zone: aws lambda "
                    "update-function-configuration --function-name … --vpc-config "
                    "SubnetIds=…,SecurityGroupIds=…",
                )
            elif self._zone_associated(zone, vpc_id or "") is False:
                zone_region = next((v.region for v in zone.vpcs or () if v.region), region)
                others = (
                    ", ".join(
                        v.vpc_id
                        for v in zone.vpcs or ()
                        if self._zone_associated(zone, v.vpc_id) and v.vpc_id != vpc_id
                    )
                    or "no other VPC"
                )
                self._step(
                    zone.id,
                    "private-hosted-zone",
                    HopStatus.FAIL,
                    "DNS_PHZ_NOT_ASSOCIATED",
                    f"Private hosted zone {zone.name} ({zone.id}) covers {name} but is not "
                    f"associated with {vpc_id} (it is associated with {others}): this VPC's "
                    "resolver never consults it.",
                    evidence=(Evidence(resource=zone.id, text=f"VPCs: {others}"),),
                    fix=_associate_zone(zone.id, zone_region, vpc_id or ""),
                    summary=f"associate {zone.name} ({zone.id}) with {vpc_id}",
                )
            else:
                continue
            found.append(
                (
                    label_count(zone.name),
                    _zone_decider(
                        zone,
                        "not associated with this VPC"
                        if not outside_vpc
                        else "private zone; the function has no VPC",
                    ),
                )
            )
        # Without the associations output, "not associated" would be a guess (_unknown_coverage).
        if not outside_vpc and self.account.has("list-resolver-rule-associations"):
            statuses = self._rule_statuses(vpc_id)
            associated = {r for r, st in statuses.items() if st == "COMPLETE"}
            pending = {r: st for r, st in statuses.items() if st != "COMPLETE"}
            for rule in sorted(self.account.resolver_rules.values(), key=lambda r: r.id):
                if rule.id in associated or not in_domain(name, rule.domain_name):
                    continue
                if rule.rule_type not in _FORWARDING:
                    continue
                state = (
                    f"its association with {vpc_id} is {pending[rule.id]}"
                    if rule.id in pending
                    else f"it is not associated with {vpc_id}"
                )
                self._step(
                    rule.id,
                    "resolver-rule",
                    HopStatus.FAIL,
                    "DNS_RULE_NOT_ASSOCIATED",
                    f"{rule.rule_type} rule {rule.id} for {_shown_domain(rule.domain_name)} "
                    f"covers {name}, but {state}: this VPC's resolver does not forward it.",
                    fix=aws(
                        "route53resolver",
                        "associate-resolver-rule",
                        "--resolver-rule-id",
                        Arg("resolver-rule", rule.id),
                        "--vpc-id",
                        Arg("vpc", vpc_id or ""),
                    ),
                    summary=f"associate {rule.id} with {vpc_id}",
                )
                found.append(
                    (
                        label_count(rule.domain_name),
                        DecidedBy(
                            resource=rule.id,
                            kind="resolver-rule",
                            detail="not associated with this VPC",
                        ),
                    )
                )
        if not found:
            return None
        found.sort(key=lambda f: -f[0])
        return found[0][1]

    def _endpoint_notes(self, name: str) -> None:
        """An interface endpoint for this name whose private DNS does not apply: say why."""
        if self.vpc_id is None:
            return
        for ep in self._interface_endpoints():
            names = endpoint_private_names(ep)
            if not any(_EndpointZone(ep, d, w).covers(name) for d, w in names):
                continue
            if not ep.private_dns_enabled:
                self._step(
                    ep.id,
                    "vpc-endpoint",
                    HopStatus.SKIP,
                    "DNS_ENDPOINT_PRIVATE_DNS_OFF",
                    f"Interface endpoint {ep.id} ({ep.service_short_name}) is in {self.vpc_id} "
                    f"but its private DNS is off: {name} resolves to the service's public "
                    "Regional addresses, so calls go through NAT or fail without it, not through "
                    "the endpoint.",
                    fix=aws(
                        "ec2",
                        "modify-vpc-endpoint",
                        "--vpc-endpoint-id",
                        Arg("vpc-endpoint", ep.id),
                        "--private-dns-enabled",
                    ),
                    summary=f"turn private DNS on for {ep.id}",
                )


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
        kind="private-hosted-zone" if zone.private else "public-hosted-zone",
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
