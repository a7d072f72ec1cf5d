"""Private hosted zones: records, CNAME and alias chains, wildcards, NODATA/NXDOMAIN, and the
zones or rules that cover a name but are not associated with the VPC.
"""

from __future__ import annotations

from vpcdoctor.diagnostics.dns.model import DecidedBy, DnsOutcome
from vpcdoctor.diagnostics.dns.names import (
    in_domain,
    label_count,
)
from vpcdoctor.diagnostics.dns.stages.common import (
    _ADDRESS_TYPES,
    _FORWARDING,
    MAX_CHAIN,
    SimulationBase,
    _alias_name,
    _Answer,
    _associate_zone,
    _find_node,
    _is_empty_non_terminal,
    _is_ip,
    _shown_domain,
    _vpc_attribute,
    _w,
    _zone_decider,
)
from vpcdoctor.graph.model import (
    HostedZone,
    RecordSet,
    normalize_dns_name,
)
from vpcdoctor.graph.model.commands import Arg, aws
from vpcdoctor.graph.model.kinds import kind
from vpcdoctor.graph.model.verdict import Evidence, HopKind, HopStatus


class ZonesStage(SimulationBase):
    __slots__ = ()

    def _private_zones_work(
        self, resource: str, domain: str, hop_kind: HopKind, code: str, *, endpoint: bool = False
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
                HopKind.VPC,
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
                kind=HopKind.VPC,
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
                HopKind.PRIVATE_HOSTED_ZONE,
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
                HopKind.PRIVATE_HOSTED_ZONE,
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
                HopKind.PRIVATE_HOSTED_ZONE,
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
                HopKind.PRIVATE_HOSTED_ZONE,
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
                HopKind.PRIVATE_HOSTED_ZONE,
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
            HopKind.PRIVATE_HOSTED_ZONE,
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
            HopKind.PRIVATE_HOSTED_ZONE,
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
                HopKind.PRIVATE_HOSTED_ZONE,
                HopStatus.FAIL,
                "DNS_PHZ_BAD_RECORD",
                f"The record for {name} in {zone.id} has no target.",
            )
            return _Answer(DnsOutcome.SERVFAIL, decided_by=_zone_decider(zone, "empty target"))
        if target in chain:
            loop = " → ".join([*chain, target])
            self._step(
                zone.id,
                HopKind.PRIVATE_HOSTED_ZONE,
                HopStatus.FAIL,
                "DNS_CNAME_LOOP",
                f"CNAME / alias loop: {loop}. The Resolver gives up (SERVFAIL).",
                fix=f"point one of the records at an address instead ({zone.id})",
            )
            return _Answer(DnsOutcome.SERVFAIL, decided_by=_zone_decider(zone, "CNAME loop"))
        if len(chain) >= MAX_CHAIN:
            self._step(
                zone.id,
                HopKind.PRIVATE_HOSTED_ZONE,
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
                    HopKind.PRIVATE_HOSTED_ZONE,
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
                    HopKind.PRIVATE_HOSTED_ZONE,
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
                    HopKind.RESOLVER_RULE,
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
                            kind=HopKind.RESOLVER_RULE,
                            detail="not associated with this VPC",
                        ),
                    )
                )
        if not found:
            return None
        found.sort(key=lambda f: -f[0])
        return found[0][1]
