"""Named resources and endpoint private DNS: interface endpoints' names, autodefined EC2 names,
public DNS and what it never answers, load balancers and databases of the account (R12).
"""

from __future__ import annotations

import ipaddress

from vpcdoctor.diagnostics.dns.model import DecidedBy, DnsOutcome
from vpcdoctor.diagnostics.dns.names import (
    in_domain,
    special_use_suffix,
)
from vpcdoctor.diagnostics.dns.stages.common import (
    _EC2_NAME,
    _NAMED_CODES,
    SimulationBase,
    _alias_name,
    _Answer,
    _EndpointZone,
    endpoint_private_names,
    endpoint_specific_names,
)
from vpcdoctor.graph.model import (
    EndpointType,
    LoadBalancer,
    VpcEndpoint,
    normalize_dns_name,
)
from vpcdoctor.graph.model.commands import Arg, aws
from vpcdoctor.graph.model.kinds import kind
from vpcdoctor.graph.model.named import NamedResource, named_resource, resource_family
from vpcdoctor.graph.model.verdict import Evidence, HopKind, HopStatus


class NamedStage(SimulationBase):
    __slots__ = ()

    # ---- interface endpoints and autodefined names --------------------------------------
    def _answer_from_endpoint(self, name: str, ez: _EndpointZone) -> _Answer:
        ep = ez.endpoint
        addresses, missing = self._endpoint_addresses(ep)
        service = ep.service_short_name
        decided = DecidedBy(
            resource=ep.id,
            kind=HopKind.VPC_ENDPOINT,
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
                HopKind.VPC_ENDPOINT,
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
            HopKind.VPC_ENDPOINT,
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
            kind=HopKind.VPC,
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
                    HopKind.VPC,
                    HopStatus.PASS,
                    "DNS_EC2_PRIVATE_NAME",
                    f"{name} is an EC2 private DNS name: the Resolver answers {ip} itself.",
                )
                return _Answer(DnsOutcome.ANSWER, addresses=(str(ip),), decided_by=decided)
        self._step(
            vpc.id,
            HopKind.VPC,
            HopStatus.FAIL,
            "DNS_NXDOMAIN_EC2_NAME",
            f"{name} is under {domain}, which the Resolver answers itself (EC2 private names "
            "of the form ip-10-0-1-5): this one does not exist (NXDOMAIN).",
        )
        return _Answer(DnsOutcome.NXDOMAIN, decided_by=decided)

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
                HopKind.DNS,
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
            HopKind.DNS,
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
            HopKind.DNS,
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
                HopKind.VPC_ENDPOINT,
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
                    resource=ep.id, kind=HopKind.VPC_ENDPOINT, detail="endpoint-specific DNS name"
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
            HopKind.DNS,
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
        decided = DecidedBy(
            resource=res.resource, kind=HopKind(res.kind), detail=f"endpoint of {res.label}"
        )
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
            kind=HopKind.LOAD_BALANCER,
            detail=f"DNS name of {lb.scheme} {lb.type} load balancer {lb.name}",
        )
        if not addresses:
            self._step(
                lb.arn,
                HopKind.LOAD_BALANCER,
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
            HopKind.LOAD_BALANCER,
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
                    HopKind.VPC_ENDPOINT,
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
