"""Resolver rules and endpoints: a FORWARD rule's outbound endpoint, its security groups and its
routes, judged by the engine's one evaluator and one route lookup.
"""

from __future__ import annotations

from typing import Literal

from vpcdoctor.diagnostics.dns.model import DecidedBy, DnsOutcome
from vpcdoctor.diagnostics.dns.stages.common import (
    _ROUTABLE_FOR_RESOLVER,
    SimulationBase,
    _Answer,
    _bracket,
    _private_over_nat,
    _shown_domain,
    _w,
)
from vpcdoctor.graph.engine.endpoint import Endpoint
from vpcdoctor.graph.engine.filters import security_groups_allow
from vpcdoctor.graph.engine.graph import graph_for
from vpcdoctor.graph.engine.network import Network
from vpcdoctor.graph.engine.routing import lookup
from vpcdoctor.graph.model import (
    ResolverEndpoint,
    ResolverRule,
    ResolverRuleType,
    Route,
    RouteState,
    RouteTable,
    RouteTargetType,
    SecurityGroup,
)
from vpcdoctor.graph.model.kinds import kind
from vpcdoctor.graph.model.verdict import Evidence, HopKind, HopStatus


class RulesStage(SimulationBase):
    __slots__ = ()

    # ---- FORWARD rules ------------------------------------------------------------------
    def _forward(self, name: str, rule: ResolverRule) -> _Answer:
        vpc = self.vpc
        assert vpc is not None
        targets = tuple(f"{_bracket(t.ip)}:{t.port}" for t in rule.target_ips)
        label = f"{rule.rule_type} rule {rule.id}" + (f" ({rule.name})" if rule.name else "")
        decided = DecidedBy(
            resource=rule.id,
            kind=HopKind.RESOLVER_RULE,
            detail=f"forwards {_shown_domain(rule.domain_name)} to {', '.join(targets) or '?'}",
        )
        self._step(
            rule.id,
            HopKind.RESOLVER_RULE,
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
                HopKind.RESOLVER_RULE,
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
                HopKind.RESOLVER_ENDPOINT,
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
                    HopKind.RESOLVER_ENDPOINT,
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
                    HopKind.RESOLVER_ENDPOINT,
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
                HopKind.RESOLVER_ENDPOINT,
                HopStatus.UNKNOWN,
                "DNS_RESOLVER_ENDPOINT_UNKNOWN",
                f"Outbound endpoint {ep_id} of rule {rule.id} is not in the snapshot.",
                needs=kind("list-resolver-endpoints").cli,
            )
            return None
        if ep.direction.value != "OUTBOUND":
            self._step(
                ep.id,
                HopKind.RESOLVER_ENDPOINT,
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
                HopKind.RESOLVER_ENDPOINT,
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
            HopKind.RESOLVER_ENDPOINT,
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
                HopKind.SECURITY_GROUP,
                HopStatus.PASS,
                "DNS_ENDPOINT_SG_ALLOWS",
                detail,
                fix=fix if (blocked or tcp_missing) else None,
            )
            return True
        if unknown:
            self._step(
                ep.id,
                HopKind.SECURITY_GROUP,
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
            HopKind.SECURITY_GROUP,
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
                HopKind.RESOLVER_ENDPOINT,
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
                HopKind.ROUTE_TABLE,
                HopStatus.PASS,
                "DNS_ENDPOINT_ROUTES",
                detail,
                evidence=tuple(evidence),
            )
            return True
        if unknown and not bad:
            self._step(
                ep.id,
                HopKind.ROUTE_TABLE,
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
            HopKind.ROUTE_TABLE,
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
