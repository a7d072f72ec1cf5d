"""Stage 1 and the driver: who answers (DHCP options, the VPC's DNS attributes), the candidates
(rules, zones, endpoint names, autodefined names) and the most specific one's answer for one link.
"""

from __future__ import annotations

from vpcdoctor.diagnostics.dns.model import DecidedBy, DnsOutcome, Resolution
from vpcdoctor.diagnostics.dns.names import in_domain
from vpcdoctor.diagnostics.dns.stages.common import (
    _FORWARDING,
    _POSITIVE,
    _REGION,
    SimulationBase,
    _Answer,
    _Candidate,
    _EndpointZone,
    _shown_domain,
    _vpc_attribute,
    _zone_decider,
    endpoint_private_names,
)
from vpcdoctor.graph.model import (
    EndpointType,
    ResolverRuleType,
    Vpc,
    VpcEndpoint,
)
from vpcdoctor.graph.model.kinds import kind
from vpcdoctor.graph.model.verdict import Evidence, HopKind, HopStatus


class AnswererStage(SimulationBase):
    __slots__ = ()

    # ---- entry --------------------------------------------------------------------------
    def run(self, host: str) -> Resolution:
        if self.vpc_id is None:
            self._step(
                None,
                HopKind.DNS,
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
                HopKind.VPC,
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
                HopKind.VPC,
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

    # ---- 1. who answers -----------------------------------------------------------------
    def _who_answers(self, vpc: Vpc, host: str) -> _Answer | None:
        """DHCP name servers and enableDnsSupport; an answer when they settle everything."""
        options = self.account.dhcp_options.get(vpc.dhcp_options_id or "")
        if options is not None and not options.uses_amazon_dns:
            servers = ", ".join(options.domain_name_servers)
            first = options.domain_name_servers[0]
            self._step(
                options.id,
                HopKind.DHCP_OPTIONS,
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
                    HopKind.VPC,
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
                    kind=HopKind.DHCP_OPTIONS,
                    detail=f"custom name servers {servers} answer for {vpc.id}",
                ),
            )
        if options is not None and len(options.domain_name_servers) > 1:
            others = [s for s in options.domain_name_servers if s != "AmazonProvidedDNS"]
            self._step(
                options.id,
                HopKind.DHCP_OPTIONS,
                HopStatus.PASS,
                "DNS_MIXED_NAME_SERVERS",
                f"DHCP options {options.id} list AmazonProvidedDNS and {', '.join(others)}: "
                "clients may ask either, and the other servers may answer differently; "
                "this simulation follows the Amazon resolver.",
            )
        elif options is None and vpc.dhcp_options_id and vpc.dhcp_options_id != "default":
            self._step(
                vpc.dhcp_options_id,
                HopKind.DHCP_OPTIONS,
                HopStatus.PASS,
                "DNS_DHCP_OPTIONS_ASSUMED",
                f"DHCP options {vpc.dhcp_options_id} of {vpc.id} are not in the snapshot; "
                f"assuming AmazonProvidedDNS, the default (export "
                f"'{kind('describe-dhcp-options').cli}' to confirm).",
            )
        if vpc.enable_dns_support is False:
            self._step(
                vpc.id,
                HopKind.VPC,
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
                decided_by=DecidedBy(
                    resource=vpc.id, kind=HopKind.VPC, detail="enableDnsSupport is off"
                ),
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
                            HopKind.PRIVATE_HOSTED_ZONE,
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
                HopKind.RESOLVER_RULE,
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
                    HopKind.PRIVATE_HOSTED_ZONE,
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
                zone.id, zone.name, HopKind.PRIVATE_HOSTED_ZONE, "DNS_PHZ_NEEDS_DNS_HOSTNAMES"
            ):
                return None
            return self._answer_from_phz(name, zone, chain)
        if cand.endpoint_zone is not None:
            ez = cand.endpoint_zone
            if not self._private_zones_work(
                ez.endpoint.id,
                ez.domain,
                HopKind.VPC_ENDPOINT,
                "DNS_PRIVATE_DNS_NEEDS_DNS_HOSTNAMES",
                endpoint=True,
            ):
                return None
            return self._answer_from_endpoint(name, ez)
        if cand.autodefined:
            return self._answer_autodefined(name, cand.domain)
        return None
