"""Step 1, ``vpc-needed``: does the function use anything private, i.e. does it need a VPC?"""

from __future__ import annotations

import ipaddress

from vpcdoctor.diagnostics.checks import register
from vpcdoctor.diagnostics.checks.context import (
    PRIVATE_SUFFIXES,
    StepContext,
    ip_is_private,
    target_host_port,
)
from vpcdoctor.diagnostics.findings import Outcome, Say, StepStatus, say
from vpcdoctor.graph.model import SecurityGroupRule
from vpcdoctor.graph.model.addresses import Reach, network_reach
from vpcdoctor.graph.model.targets import KNOWN_SERVICES


def private_target_reason(ctx: StepContext, target: str) -> str | None:
    """Why ``target`` is a private resource (a resource id or a short reason), else None."""
    host, _ = target_host_port(target)
    if host in KNOWN_SERVICES:
        return None
    private = ip_is_private(host)
    if private is not None:
        return "private IP" if private else None
    account = ctx.account
    for zone in account.hosted_zones.values():
        if zone.private and (host == zone.name or host.endswith("." + zone.name)):
            return zone.id
    for lb in account.load_balancers.values():
        if lb.scheme == "internal" and lb.dns_name == host:
            return lb.name
    for db in account.db_instances.values():
        if db.endpoint is not None and db.endpoint.address == host:
            return db.id
    for cluster in account.db_clusters.values():
        for ep in (cluster.endpoint, cluster.reader_endpoint):
            if ep is not None and ep.address == host:
                return cluster.id
    for proxy in account.db_proxies.values():
        if proxy.endpoint == host:
            return proxy.name
    if host.endswith(PRIVATE_SUFFIXES):
        return "private name"
    return None


def _private_egress(rule: SecurityGroupRule) -> bool:
    if rule.referenced_group_id:
        return True
    if rule.cidr is None or rule.cidr.prefixlen == 0:
        return False
    # Entirely outside the internet (private, CGNAT, link-local…: one table, RFC 6890).
    reach = network_reach(rule.cidr)
    return reach is not None and reach is not Reach.INTERNET


def _owners(ctx: StepContext) -> dict[str, list[str]]:
    """Security group id → the resources that wear it (databases, proxies, internal LBs…)."""
    owners: dict[str, list[str]] = {}
    a = ctx.account
    for db in a.db_instances.values():
        for sg in db.security_group_ids:
            owners.setdefault(sg, []).append(f"RDS {db.id}")
    for cluster in a.db_clusters.values():
        for sg in cluster.security_group_ids:
            owners.setdefault(sg, []).append(f"RDS cluster {cluster.id}")
    for proxy in a.db_proxies.values():
        for sg in proxy.security_group_ids:
            owners.setdefault(sg, []).append(f"RDS Proxy {proxy.name}")
    for lb in a.load_balancers.values():
        if lb.scheme == "internal":
            for sg in lb.security_group_ids:
                owners.setdefault(sg, []).append(f"internal {lb.type} LB {lb.name}")
    for inst in a.instances.values():
        for sg in inst.security_group_ids:
            owners.setdefault(sg, []).append(f"EC2 {inst.id}")
    for eni in a.network_interfaces.values():
        if eni.interface_type not in ("lambda", "interface", "vpc_endpoint", "nat_gateway"):
            for sg in eni.security_group_ids:
                owners.setdefault(sg, []).append(f"{eni.interface_type} {eni.id}")
    return owners


@register("vpc-needed")
def check(ctx: StepContext) -> Outcome:
    fn = ctx.function
    private_targets = [(t, r) for t in ctx.targets if (r := private_target_reason(ctx, t))]
    if not ctx.in_vpc:
        evidence: list[Say] = [say("not_in_vpc", function=fn.name)]
        if private_targets:
            evidence += [
                say("private_target_outside", target=t, reason=r) for t, r in private_targets
            ]
            return Outcome(
                status=StepStatus.FAIL, evidence=tuple(evidence), fixes=(say("attach_vpc"),)
            )
        return Outcome(status=StepStatus.OK, evidence=tuple(evidence))

    uses: list[Say] = [say("uses_target", target=t, reason=r) for t, r in private_targets]
    for sg in ctx.security_groups():
        for rule in sg.egress:
            if _private_egress(rule):
                uses.append(say("uses_egress", sg=sg.id, rule=str(rule)))
    fn_sgs = set(ctx.sg_ids)
    owners = _owners(ctx)
    # Groups worn only by VPC endpoints or Resolver endpoints admit the function to AWS
    # services, not to a private resource of its own.
    service_sgs = {g for e in ctx.account.vpc_endpoints.values() for g in e.security_group_ids}
    for endpoint in ctx.account.resolver_endpoints.values():
        service_sgs.update(endpoint.security_group_ids)
    for sg in ctx.account.security_groups.values():
        if sg.id in fn_sgs or (sg.id in service_sgs and sg.id not in owners):
            continue
        for rule in sg.ingress:
            by_group = rule.referenced_group_id in fn_sgs
            # A CIDR rule admits it too, but only count it for groups that something private
            # wears: "10.0.0.0/16 allowed" on an unused group proves nothing.
            by_cidr = (
                sg.id in owners
                and isinstance(rule.cidr, ipaddress.IPv4Network)
                and rule.cidr.prefixlen > 0
                and any(s.cidr is not None and s.cidr.subnet_of(rule.cidr) for s in ctx.subnets())
            )
            if by_group or by_cidr:
                what = owners.get(sg.id, [sg.name])
                uses.append(say("uses_admitted", sg=sg.id, owners=what, rule=str(rule)))
                break
    if uses:
        head = say("in_vpc_for", vpc=ctx.vpc_id or "?", count=len(uses))
        return Outcome(status=StepStatus.OK, evidence=(head, *uses))
    missing = ctx.missing_security_groups()
    if missing or not ctx.known("describe-security-groups", ctx.account.security_groups):
        return Outcome(
            status=StepStatus.UNKNOWN,
            evidence=(say("sg_missing", sgs=missing or ctx.sg_ids),),
            needs=(ctx.need("describe-security-groups"),),
        )
    return Outcome(
        status=StepStatus.WARN,
        evidence=(say("no_private_use", vpc=ctx.vpc_id or "?", sgs=ctx.sg_ids),),
        fixes=(say("leave_vpc"),),
    )
