"""Path evaluation: can a function reach an address, the internet or an AWS service, and how.

One :class:`PathResult` per subnet of the function's VpcConfig (AZs can differ), each a list of
hops walked through the account's graph (:mod:`vpcdoctor.graph.engine.graph`), following the
decision rules R0-R10 of ``knowledge-facts.md``:

* R0 the function's state; the Hyperplane ENI of (subnet, security groups);
* R2 security-group egress of the function (and ingress of whatever it reaches);
* R3 network ACLs of every subnet crossed, outbound and the stateless return traffic;
* R1 route lookup at each route table, then by target: R4 internet (IGW, NAT gateway, NAT
  instance, peering, TGW), R5 IPv6, R6 AWS services (interface endpoint, gateway endpoint, else
  the internet), R7 private addresses in the VPC, R10 peering and transit gateway.

Every hop carries its evidence, a code (Reachability Analyzer's name where one fits), a fix with
the real ids, and for ``unknown`` hops what export or permission would settle it. A path is never
``reachable`` while a deciding hop is unknown.

Host names are not resolved here: :func:`vpcdoctor.diagnostics.diagnose.check` runs the DNS
simulation and calls :func:`evaluate` with the addresses (the graph layer imports nothing above).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from vpcdoctor.graph.engine.filters import EPHEMERAL, Endpoint, acl_allows, security_groups_allow
from vpcdoctor.graph.engine.graph import RouteEdge, Topology, kind_for_id, topology
from vpcdoctor.graph.engine.routing import RouteDecision, lookup
from vpcdoctor.graph.model import (
    Account,
    EgressOnlyInternetGateway,
    EndpointType,
    Instance,
    InternetGateway,
    IPAddress,
    IPNetwork,
    LambdaFunction,
    LambdaState,
    NatConnectivity,
    NatGateway,
    NatState,
    NetworkInterface,
    Route,
    RouteState,
    RouteTargetType,
    SecurityGroup,
    Subnet,
    TransitGatewayAttachment,
    TransitGatewayRoute,
    VpcEndpoint,
)
from vpcdoctor.graph.model.kinds import kind as kind_of
from vpcdoctor.graph.model.targets import is_private_address
from vpcdoctor.graph.model.verdict import (
    CheckResult,
    Direction,
    Evidence,
    Hop,
    HopStatus,
    PathResult,
    Target,
    TargetKind,
    Verdict,
    Warning,
    combine,
    path_verdict,
)

PASS, FAIL, UNKNOWN, SKIP = HopStatus.PASS, HopStatus.FAIL, HopStatus.UNKNOWN, HopStatus.SKIP

GATEWAY_SERVICES = frozenset({"s3", "dynamodb"})

_ATTRIBUTE_FLAGS = {
    "enableDnsSupport": "enable-dns-support",
    "enableDnsHostnames": "enable-dns-hostnames",
}

_NETWORK_REASON_FIXES: dict[str, str] = {
    "SubnetOutOfIPAddresses": "free addresses in the subnet or add a larger subnet to the "
    "function's VpcConfig",
    "EniLimitExceeded": "raise the ENI quota (Service Quotas: 'Network interfaces per Region') "
    "or reduce the (subnet, security group) combinations",
    "InsufficientRolePermissions": "attach AWSLambdaVPCAccessExecutionRole to the execution role",
    "InvalidSubnet": "point the VpcConfig at existing subnets",
    "InvalidSecurityGroup": "point the VpcConfig at existing security groups",
    "EC2RequestLimitExceeded": "retry later (EC2 throttled Lambda's ENI calls)",
}


def needs(account: Account, kind_name: str, owner: str | None = None) -> str:
    """What would settle an unknown hop: the export command and its IAM action (and the gap)."""
    k = kind_of(kind_name)
    cli = k.cli.replace("{id}", owner or "ID")
    gap = account.gap_for(kind_name)
    if gap is not None and gap.reason != "not exported":
        return f"{cli} (collection got {gap.reason}: grant {gap.iam_action or k.iam_action})"
    return f"{cli} (IAM: {k.iam_action})"


# --------------------------------------------------------------------------------------------
# The path under construction
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Path:
    hops: list[Hop] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    promotable: list[int] = field(default_factory=list)
    """Indices of ``skip`` hops that become the blocking ``fail`` when the path after them
    fails (an endpoint bypassed by a configuration mistake: that mistake is what to fix)."""

    def promote(self) -> None:
        for index in self.promotable:
            if any(h.status is FAIL for h in self.hops[index + 1 :]):
                self.hops[index] = replace(self.hops[index], status=FAIL)
                return

    def add(
        self,
        resource: str | None,
        kind: str,
        status: HopStatus,
        code: str,
        detail: str,
        *,
        evidence: Iterable[tuple[str, str]] = (),
        fix: str | None = None,
        needs: str | None = None,
        direction: Direction = Direction.REQUEST,
        subnet: str | None = None,
    ) -> bool:
        """Append a hop; returns False when it failed (the caller stops there)."""
        self.hops.append(
            Hop(
                resource=resource,
                kind=kind,
                status=status,
                code=code,
                detail=detail,
                evidence=tuple(Evidence(resource=r, text=t) for r, t in evidence),
                fix=fix,
                needs=needs,
                direction=direction,
                subnet=subnet,
            )
        )
        return status is not FAIL

    def warn(self, code: str, detail: str, resource: str | None = None) -> None:
        self.warnings.append(Warning(code=code, detail=detail, resource=resource))

    @property
    def failed(self) -> bool:
        return any(h.status is FAIL for h in self.hops)


@dataclass(slots=True)
class _Ctx:
    topo: Topology
    account: Account
    fn: LambdaFunction
    target: Target
    port: int
    protocol: str = "6"
    fix_hint: str = ""
    """Extra advice appended to the fix of an internet-path failure (e.g. "or use vpce-…")."""

    @property
    def sg_ids(self) -> tuple[str, ...]:
        return self.fn.vpc.security_group_ids if self.fn.vpc else ()

    @property
    def sg_subnets(self) -> tuple[str, ...]:
        """The function's own subnets."""
        return self.fn.vpc.subnet_ids if self.fn.vpc else ()

    def groups(self, ids: Iterable[str]) -> list[tuple[str, SecurityGroup | None]]:
        return [(g, self.topo.security_group(g)) for g in ids]


@dataclass(frozen=True, slots=True, kw_only=True)
class _Source:
    """The function's side in one subnet."""

    subnet: Subnet
    eni: NetworkInterface | None
    endpoint: Endpoint


def _eni_in_vpc(ctx: _Ctx, ip: IPAddress | None, vpc_id: str | None) -> NetworkInterface | None:
    """The network interface holding ``ip`` in ``vpc_id``: VPCs of one account often repeat
    CIDRs (every default VPC is 172.31.0.0/16), and a route only ever delivers inside the VPC
    it leads to (route-tables-priority.html: the local route "is routed within the VPC")."""
    if ip is None:
        return None
    found = ctx.account.eni_for_ip(ip)
    if found is None or vpc_id is None or found.vpc_id == vpc_id:
        return found
    return ctx.account.eni_for_ip_in_vpc(ip, vpc_id)


_PROTOCOL_NAMES = {"6": "tcp", "17": "udp", "1": "icmp", "-1": "-1"}


def _fix_cidr(ctx: _Ctx, peer: Endpoint) -> str:
    """The CIDR a fix should admit for ``peer``: for the function's own Hyperplane ENI its
    subnet's range, since Lambda may delete and recreate the ENI at any time and the new one
    takes another address of the subnet (configuration-vpc.html); else the peer's own CIDR."""
    ip = peer.ip
    eni = ctx.account.eni_for_ip(ip) if ip is not None else None
    if eni is not None and eni.is_lambda:
        subnet = ctx.topo.subnet(eni.subnet_id)
        if subnet is not None:
            if ip is not None and ip.version == 6 and subnet.ipv6_cidrs:
                return str(subnet.ipv6_cidrs[0])
            if ip is not None and ip.version == 4 and subnet.cidr is not None:
                return str(subnet.cidr)
    return str(peer.cidr_text)


def _sg_ranges(cidr: str) -> str:
    """``IpRanges`` or ``Ipv6Ranges`` of an ``--ip-permissions`` shorthand."""
    if ":" in cidr:
        return f"Ipv6Ranges=[{{CidrIpv6={cidr}}}]"
    return f"IpRanges=[{{CidrIp={cidr}}}]"


def _route_dest_arg(route: Route) -> str:
    """The destination option naming an existing route (replace-route, delete-route)."""
    if route.prefix_list_id:
        return f"--destination-prefix-list-id {route.prefix_list_id}"
    if route.destination is not None and route.destination.version == 6:
        return f"--destination-ipv6-cidr-block {route.destination}"
    return f"--destination-cidr-block {route.destination}"


def _fix_add_with_hint(ctx: _Ctx, fix: str) -> str:
    return f"{fix}; {ctx.fix_hint}" if ctx.fix_hint else fix


# --------------------------------------------------------------------------------------------
# R0: the function itself
# --------------------------------------------------------------------------------------------


def _state_hop(ctx: _Ctx) -> Hop:
    fn = ctx.fn
    name = fn.name
    reason = f" ({fn.state_reason_code}: {fn.state_reason})" if fn.state_reason_code else ""
    if fn.state is None:
        return Hop(
            resource=name,
            kind="lambda",
            status=UNKNOWN,
            code="LAMBDA_STATE_UNKNOWN",
            detail=f"{name}: the state is not in the snapshot (list-functions does not "
            "return it); only an Active function runs.",
            needs=f"aws lambda get-function-configuration --function-name {name} "
            "(IAM: lambda:GetFunctionConfiguration)",
        )
    if fn.state is LambdaState.ACTIVE:
        return Hop(
            resource=name,
            kind="lambda",
            status=PASS,
            code="LAMBDA_STATE_ACTIVE",
            detail=f"{name} is Active.",
            evidence=(Evidence(resource=name, text="State=Active"),),
        )
    evidence = (
        Evidence(
            resource=name,
            text=f"State={fn.state}"
            + (f", StateReasonCode={fn.state_reason_code}" if fn.state_reason_code else ""),
        ),
    )
    if fn.state is LambdaState.PENDING:
        detail = (
            f"{name} is Pending{reason}: Lambda is still creating its Hyperplane ENI "
            "(this can take minutes); it cannot be invoked until Active."
        )
        fix = f"aws lambda wait function-active-v2 --function-name {name}"
    elif fn.state is LambdaState.INACTIVE:
        detail = (
            f"{name} is Inactive{reason}: after an idle period Lambda reclaimed its "
            "Hyperplane ENIs; the next invoke fails and returns it to Pending while the "
            "ENI is recreated (the fix below is that invoke: expect it to fail, then wait for "
            "Active)."
        )
        fix = f"aws lambda invoke --function-name {name} /dev/null"
    elif fn.state is LambdaState.FAILED:
        advice = _NETWORK_REASON_FIXES.get(fn.state_reason_code or "", "")
        detail = f"{name} is Failed{reason}: Lambda could not set up the function's networking."
        fix = (
            (
                f"{advice}; then aws lambda update-function-configuration --function-name {name} "
                "--vpc-config SubnetIds=…,SecurityGroupIds=…"
            )
            if advice
            else (
                f"aws lambda get-function-configuration --function-name {name} "
                "(read StateReason), fix the cause, then update the function"
            )
        )
    else:
        detail = f"{name} is {fn.state}{reason}: only an Active function can be invoked."
        fix = f"aws lambda get-function-configuration --function-name {name}"
    return Hop(
        resource=name,
        kind="lambda",
        status=FAIL,
        code=f"LAMBDA_STATE_{str(fn.state).upper()}",
        detail=detail,
        evidence=evidence,
        fix=fix,
    )


def _source(ctx: _Ctx, p: _Path, subnet_id: str) -> _Source | None:
    """Subnet and Hyperplane ENI hops; None when the subnet itself is unknown."""
    subnet = ctx.topo.subnet(subnet_id)
    if subnet is None:
        p.add(
            subnet_id,
            "subnet",
            UNKNOWN,
            "UNKNOWN_RESOURCE",
            f"{subnet_id} of the function's VpcConfig is not in the snapshot.",
            needs=needs(ctx.account, "describe-subnets"),
        )
        return None
    enis = ctx.topo.lambda_enis(ctx.fn.name, subnet_id)
    eni = enis[0] if enis else None
    sgs = ",".join(ctx.sg_ids) or "none"
    if eni is not None:
        ip = eni.primary_ip
        p.add(
            eni.id,
            "eni",
            PASS,
            "LAMBDA_HYPERPLANE_ENI",
            f"Hyperplane ENI {eni.id} ({ip}) in {subnet_id} ({subnet.az}) for security "
            f"groups {sgs}.",
            evidence=[
                (eni.id, f"InterfaceType={eni.interface_type}, PrivateIp={ip}, Groups={sgs}")
            ],
        )
        endpoint = (
            Endpoint.address(ip, f"{ctx.fn.name} ({ip})")
            if ip
            else Endpoint.network(subnet.cidr, subnet_id)
            if subnet.cidr
            else Endpoint()
        )
    else:
        state_note = ""
        if ctx.fn.state is LambdaState.INACTIVE:
            state_note = " (expected: the function is Inactive, Lambda reclaimed it)"
        p.add(
            None,
            "eni",
            SKIP,
            "LAMBDA_ENI_NOT_IN_SNAPSHOT",
            f"No Hyperplane ENI for ({subnet_id}, {sgs}) in the snapshot{state_note}; the "
            f"path is evaluated from the subnet's address range {subnet.cidr}.",
            needs=needs(ctx.account, "describe-network-interfaces"),
        )
        endpoint = (
            Endpoint.network(subnet.cidr, f"{subnet_id} ({subnet.cidr})")
            if subnet.cidr
            else Endpoint()
        )
    return _Source(subnet=subnet, eni=eni, endpoint=endpoint)


# --------------------------------------------------------------------------------------------
# R2 / R3 hops
# --------------------------------------------------------------------------------------------


def _sg_hop(
    ctx: _Ctx,
    p: _Path,
    *,
    groups: Sequence[str],
    egress: bool,
    peer: Endpoint,
    peer_groups: Iterable[str] = (),
    owner: str,
    port: int | None = None,
    cross_vpc_ok: bool | None = True,
    peer_groups_known: bool = True,
) -> bool:
    port = ctx.port if port is None else port
    decision = security_groups_allow(
        ctx.account,
        ctx.groups(groups),
        egress=egress,
        peer=peer,
        peer_groups=peer_groups,
        port=port,
        protocol=ctx.protocol,
        cross_vpc_reference_ok=cross_vpc_ok,
        peer_groups_known=peer_groups_known,
    )
    direction = "egress" if egress else "ingress"
    to_from = "to" if egress else "from"
    resource = groups[0] if len(groups) == 1 else ",".join(groups) or None
    if not groups:
        return p.add(
            None,
            "security-group",
            FAIL,
            "SG_HAS_NO_RULES",
            f"{owner} has no security group, so no {direction} is allowed.",
        )
    if decision.allowed is True:
        return p.add(
            decision.group_id,
            "security-group",
            PASS,
            "SG_RULE_ALLOWS",
            f"{decision.group_id} ({owner}) allows {direction} {to_from} {peer.label} "
            f"tcp/{port}: {decision.rule}.",
            # The rule that matched first, then the other rules that were evaluated.
            evidence=[(decision.group_id or "", f"{direction} {decision.rule} (allows)")]
            + [
                (g, f"{direction} {rule}")
                for g, sg in ctx.groups(groups)
                if sg is not None
                for rule in (sg.egress if egress else sg.ingress)
                if not (g == decision.group_id and rule == decision.rule)
            ],
        )
    if decision.allowed is None:
        missing = decision.missing_groups
        if missing:
            return p.add(
                missing[0],
                "security-group",
                UNKNOWN,
                "UNKNOWN_RESOURCE",
                f"Security group {', '.join(missing)} of {owner} is not in the snapshot; "
                f"the groups present ({', '.join(decision.checked) or 'none'}) do not "
                f"allow {direction} {to_from} {peer.label} tcp/{port}.",
                needs=needs(ctx.account, "describe-security-groups"),
            )
        if decision.unknown_references and not decision.unknown_prefix_lists:
            refs = ", ".join(decision.unknown_references)
            return p.add(
                resource,
                "security-group",
                UNKNOWN,
                "SG_REFERENCE_PEER_UNKNOWN",
                f"A rule of {owner}'s groups allows {direction} {to_from} security group "
                f"{refs}; whether {peer.label} is in it is not known: no network interface in "
                "the snapshot has that address.",
                needs=needs(ctx.account, "describe-network-interfaces"),
            )
        if decision.unknown_prefix_lists:
            pl = decision.unknown_prefix_lists[0]
            return p.add(
                resource,
                "security-group",
                UNKNOWN,
                "PREFIX_LIST_ENTRIES_UNKNOWN",
                f"A rule of {owner}'s groups allows prefix list {pl}, whose entries are "
                f"not in the snapshot: whether it covers {peer.label} is unknown.",
                needs=needs(ctx.account, "get-managed-prefix-list-entries", pl),
            )
        return p.add(
            resource,
            "security-group",
            UNKNOWN,
            "ENI_SG_RULES_MISMATCH",
            f"{owner}'s groups allow part of {peer.label} only; which address is used "
            "decides (" + "; ".join(decision.notes) + ")"
            if decision.notes
            else f"{owner}'s groups allow part of {peer.label} only; the exact address decides.",
            needs=needs(ctx.account, "describe-network-interfaces"),
        )
    note = (" " + "; ".join(decision.notes) + ".") if decision.notes else ""
    group = groups[0]
    # The narrowest rule that admits the whole peer: its prefix list (a gateway endpoint's list
    # holds many CIDRs; one of them opens a fraction of the service), else one of its groups when
    # a reference can match (same VPC, or an active same-Region peering:
    # vpc-peering-security-groups.html), else a CIDR (the function's subnet, not today's ENI).
    own_vpc = ctx.topo.security_group(group)
    same_vpc_groups = [
        g
        for g in peer_groups
        if (sg := ctx.topo.security_group(g)) is not None
        and own_vpc is not None
        and sg.vpc_id == own_vpc.vpc_id
    ]
    if peer.prefix_lists:
        target = f"PrefixListIds=[{{PrefixListId={sorted(peer.prefix_lists)[0]}}}]"
    elif same_vpc_groups:
        target = f"UserIdGroupPairs=[{{GroupId={same_vpc_groups[0]}}}]"
    elif peer_groups and cross_vpc_ok is True and not egress:
        target = f"UserIdGroupPairs=[{{GroupId={next(iter(peer_groups))}}}]"
    else:
        target = _sg_ranges(_fix_cidr(ctx, peer))
    proto = _PROTOCOL_NAMES.get(ctx.protocol, ctx.protocol)
    fix = (
        f"aws ec2 authorize-security-group-{'egress' if egress else 'ingress'} --group-id "
        f"{group} --ip-permissions IpProtocol={proto},FromPort={port},ToPort={port},{target}"
    )
    return p.add(
        group,
        "security-group",
        FAIL,
        "ENI_SG_RULES_MISMATCH",
        f"No {direction} rule of {', '.join(groups)} ({owner}) allows tcp/{port} "
        f"{to_from} {peer.label}.{note}",
        # Every rule that was evaluated, so the reader sees why none matched.
        evidence=[
            (g, f"{direction} {rule}" if rules else f"no {direction} rules")
            for g, sg in ctx.groups(groups)
            if sg is not None
            for rules in [sg.egress if egress else sg.ingress]
            for rule in (rules or (None,))
        ],
        fix=fix,
    )


def _acl_hop(
    ctx: _Ctx,
    p: _Path,
    subnet: Subnet,
    *,
    egress: bool,
    peer: Endpoint,
    ports: tuple[int, int],
    role: str,
    flow: Direction = Direction.REQUEST,
) -> bool:
    acl = ctx.topo.nacl_of(subnet.id)
    direction = "outbound" if egress else "inbound"
    port_text = str(ports[0]) if ports[0] == ports[1] else f"{ports[0]}-{ports[1]}"
    to_from = "to" if egress else "from"
    if acl is None:
        return p.add(
            subnet.id,
            "network-acl",
            UNKNOWN,
            "UNKNOWN_RESOURCE",
            f"The network ACL of {subnet.id} is not in the snapshot.",
            needs=needs(ctx.account, "describe-network-acls"),
            direction=flow,
            subnet=subnet.id,
        )
    decision = acl_allows(acl, egress=egress, peer=peer, ports=ports, protocol=ctx.protocol)
    what = f"{direction} tcp/{port_text} {to_from} {peer.label} ({role})"
    if decision.allowed is True:
        return p.add(
            acl.id,
            "network-acl",
            PASS,
            "ACL_RULE_ALLOWS",
            f"{acl.id} of {subnet.id} allows {what}: {decision.entry}.",
            evidence=[(acl.id, str(e)) for e in decision.allowing],
            direction=flow,
            subnet=subnet.id,
        )
    if decision.allowed is None:
        return p.add(
            acl.id,
            "network-acl",
            UNKNOWN,
            "SUBNET_ACL_RESTRICTION",
            f"{acl.id} of {subnet.id}: {decision.note}; the exact address decides.",
            needs=needs(ctx.account, "describe-network-interfaces"),
            direction=flow,
            subnet=subnet.id,
        )
    entry = decision.entry
    # A free rule number before the deciding entry (numbers are unique per direction:
    # create-network-acl-entry fails on a used one); when none is free, only replacing that
    # entry puts an allow ahead of it.
    used = {e.rule_number for e in acl.rules(egress=egress)}
    limit = entry.rule_number if entry and not entry.is_default_deny else 100
    free = [n for n in range(limit - 1, 0, -1) if n not in used]
    if not free and not (entry and not entry.is_default_deny):
        free = [n for n in range(101, 32767) if n not in used][:1]
    cidr = _fix_cidr(ctx, peer)
    cidr_arg = f"--ipv6-cidr-block {cidr}" if ":" in cidr else f"--cidr-block {cidr}"
    proto = _PROTOCOL_NAMES.get(ctx.protocol, ctx.protocol)
    rule_args = (
        f"{'--egress' if egress else '--ingress'} --rule-number "
        f"{free[0] if free else limit} --protocol {proto} "
        f"--port-range From={ports[0]},To={ports[1]} {cidr_arg} --rule-action allow"
    )
    replaced = ""
    if free:
        fix = f"aws ec2 create-network-acl-entry --network-acl-id {acl.id} {rule_args}"
    else:
        fix = f"aws ec2 replace-network-acl-entry --network-acl-id {acl.id} {rule_args}"
        replaced = (
            f" No rule number before #{limit} is free: the fix replaces that entry, so "
            "whatever else it denied is no longer denied."
        )
    stateless = (
        ""
        if egress or ports == (ctx.port, ctx.port)
        else (
            " Network ACLs are stateless: the return traffic needs its own inbound rule for the "
            "ephemeral ports 1024-65535."
        )
    )
    if egress and ports == EPHEMERAL:
        stateless = (
            " Network ACLs are stateless: the replies leave on the ephemeral ports "
            "1024-65535 and need an outbound rule."
        )
    return p.add(
        acl.id,
        "network-acl",
        FAIL,
        "SUBNET_ACL_RESTRICTION",
        f"{acl.id} of {subnet.id} denies {what}: "
        f"{entry if entry else 'the final * rule'}.{stateless}{replaced}",
        evidence=[(acl.id, str(entry) if entry else "* deny")],
        fix=fix,
        direction=flow,
        subnet=subnet.id,
    )


def _acl_pair(
    ctx: _Ctx, p: _Path, subnet: Subnet, *, peer: Endpoint, role: str, initiator: bool
) -> bool:
    """Both directions of a subnet's ACL: the request and the stateless return traffic."""
    if initiator:  # the connection leaves this subnet, replies come back to ephemeral ports
        ok = _acl_hop(ctx, p, subnet, egress=True, peer=peer, ports=(ctx.port, ctx.port), role=role)
        return ok and _acl_hop(
            ctx,
            p,
            subnet,
            egress=False,
            peer=peer,
            ports=EPHEMERAL,
            role=f"{role}, return traffic",
            flow=Direction.REPLY,
        )
    ok = _acl_hop(ctx, p, subnet, egress=False, peer=peer, ports=(ctx.port, ctx.port), role=role)
    return ok and _acl_hop(
        ctx,
        p,
        subnet,
        egress=True,
        peer=peer,
        ports=EPHEMERAL,
        role=f"{role}, return traffic",
        flow=Direction.REPLY,
    )


# --------------------------------------------------------------------------------------------
# R1 route hops
# --------------------------------------------------------------------------------------------


def _usable_nats(ctx: _Ctx, vpc_id: str) -> list[NatGateway]:
    return [
        n
        for n in ctx.topo.nat_gateways_in_vpc(vpc_id)
        if n.state is NatState.AVAILABLE and n.connectivity is NatConnectivity.PUBLIC
    ]


def _suggest_nat(ctx: _Ctx, subnet: Subnet, rtb_id: str) -> NatGateway | None:
    """A NAT gateway the table could route to: never one whose own subnet uses that table
    (pointing a NAT's own subnet at the NAT loops it onto itself and cuts its internet)."""
    nats = [n for n in _usable_nats(ctx, subnet.vpc_id) if _table_of(ctx, n.subnet_id) != rtb_id]
    same_az = [n for n in nats if (s := ctx.topo.subnet(n.subnet_id)) and s.az == subnet.az]
    candidates = same_az or nats
    return candidates[0] if candidates else None


def _table_of(ctx: _Ctx, subnet_id: str) -> str | None:
    rtb = ctx.topo.route_table_of(subnet_id)
    return rtb.id if rtb else None


def _private_nat_subnets(ctx: _Ctx, vpc_id: str, avoid_rtb: str) -> list[Subnet]:
    """Subnets of the VPC whose table sends 0.0.0.0/0 to an available public NAT gateway,
    one per AZ (the function's own AZs first): where a function belongs."""
    usable = {n.id for n in _usable_nats(ctx, vpc_id)}
    chosen: dict[str, Subnet] = {}
    for sub in ctx.account.subnets_in_vpc(vpc_id):
        rtb = ctx.topo.route_table_of(sub.id)
        if rtb is None or rtb.id == avoid_rtb or sub.az in chosen:
            continue
        if any(
            r.destination is not None
            and str(r.destination) == "0.0.0.0/0"
            and r.state is RouteState.ACTIVE
            and r.target_id in usable
            for r in rtb.routes
        ):
            chosen[sub.az] = sub
    mine = {ctx.account.subnets[s].az for s in ctx.sg_subnets if s in ctx.account.subnets}
    return sorted(chosen.values(), key=lambda s: (s.az not in mine, s.az))


def _internet_fix(
    ctx: _Ctx, subnet: Subnet, rtb_id: str, *, replace_route: bool, route: Route | None = None
) -> str:
    """Route the table's internet traffic to a NAT gateway. ``route``: the route that decided
    (replace that one: with a more specific route than 0.0.0.0/0 winning, replacing 0.0.0.0/0
    would change nothing)."""
    verb = "replace-route" if replace_route else "create-route"
    dest_arg = (
        _route_dest_arg(route)
        if replace_route and route is not None
        else "--destination-cidr-block 0.0.0.0/0"
    )
    nat_tables = {_table_of(ctx, n.subnet_id) for n in _usable_nats(ctx, subnet.vpc_id)}
    if rtb_id in nat_tables:
        # The function sits in the subnets the NAT gateways themselves use: changing this
        # table's default route would cut the NATs off. Move the function instead.
        targets = _private_nat_subnets(ctx, subnet.vpc_id, rtb_id)
        if targets:
            ids = ",".join(s.id for s in targets)
            groups = ",".join(ctx.sg_ids) or "<sg-…>"
            fix = (
                f"aws lambda update-function-configuration --function-name {ctx.fn.name} "
                f"--vpc-config SubnetIds={ids},SecurityGroupIds={groups}"
            )
        else:
            nat = _suggest_nat(ctx, subnet, "")
            nat_id = nat.id if nat else "<nat-…>"
            fix = (
                f"aws ec2 create-route-table --vpc-id {subnet.vpc_id}, then aws ec2 "
                f"create-route --route-table-id <new rtb> --destination-cidr-block 0.0.0.0/0 "
                f"--nat-gateway-id {nat_id}, associate it with private subnets (one per AZ) "
                f"and move {ctx.fn.name} there; {rtb_id} must keep its internet gateway route "
                "for the NAT gateways"
            )
        return _fix_add_with_hint(ctx, fix)
    nat = _suggest_nat(ctx, subnet, rtb_id)
    if nat is not None:
        fix = f"aws ec2 {verb} --route-table-id {rtb_id} {dest_arg} --nat-gateway-id {nat.id}"
    else:
        fix = (
            "aws ec2 create-nat-gateway --subnet-id <public subnet> --allocation-id <eipalloc>"
            f", then aws ec2 {verb} --route-table-id {rtb_id} {dest_arg} "
            "--nat-gateway-id <nat-…>"
        )
    return _fix_add_with_hint(ctx, fix)


def _route_hop(
    ctx: _Ctx,
    p: _Path,
    subnet: Subnet,
    dest: Endpoint,
    *,
    role: str,
    fix_for_none: str | None = None,
    blame: tuple[str, str] | None = None,
) -> RouteEdge | None:
    """R1 in the subnet's table. Returns the winning route, or None (the hop says why).

    ``blame`` (resource, kind) names the resource a failure is charged to when that is not the
    table itself: a NAT gateway placed in a subnet without a route to an internet gateway.
    """
    rtb = ctx.topo.route_table_of(subnet.id)
    fail_at = blame or (rtb.id if rtb else subnet.id, "route-table")
    if rtb is None:
        p.add(
            subnet.id,
            "route-table",
            UNKNOWN,
            "UNKNOWN_RESOURCE",
            f"The route table of {subnet.id} is not in the snapshot.",
            needs=needs(ctx.account, "describe-route-tables"),
            subnet=subnet.id,
        )
        return None
    decision: RouteDecision = lookup(ctx.topo, rtb, dest)
    assoc = "" if ctx.account.route_table_is_explicit(subnet.id) else " (the VPC's main table)"
    if decision.unknown_prefix_lists:
        pl = decision.unknown_prefix_lists[0]
        p.add(
            rtb.id,
            "route-table",
            UNKNOWN,
            "PREFIX_LIST_ENTRIES_UNKNOWN",
            f"{rtb.id}{assoc} has a route to prefix list {pl} whose entries are not in the "
            f"snapshot; it may be more specific for {dest.label} than "
            f"{decision.edge.route if decision.edge else 'any other route'}.",
            evidence=[
                (rtb.id, str(e.route))
                for e in ctx.topo.routes(rtb.id)
                if e.route.prefix_list_id == pl
            ],
            needs=needs(ctx.account, "get-managed-prefix-list-entries", pl),
            subnet=subnet.id,
        )
        return None
    edge = decision.edge
    if edge is None:
        fix = fix_for_none or _internet_fix(ctx, subnet, rtb.id, replace_route=False)
        p.add(
            fail_at[0],
            fail_at[1],
            FAIL,
            "NO_ROUTE_TO_DESTINATION",
            f"{rtb.id}{assoc} of {subnet.id} has no route to {dest.label} ({role}).",
            evidence=[(rtb.id, str(e.route)) for e in ctx.topo.routes(rtb.id)],
            fix=fix,
            subnet=subnet.id,
        )
        return None
    route = edge.route
    beaten = ""
    if decision.runner_up is not None:
        beaten = f"; it wins over {decision.runner_up.edge.route} ({decision.reason})"
    if route.state is RouteState.BLACKHOLE:
        target_kind = kind_for_id(route.target_id)
        dest_arg = _route_dest_arg(route)
        fix = (
            f"aws ec2 delete-route --route-table-id {rtb.id} {dest_arg}, then route to a "
            f"live target"
            if target_kind != "nat-gateway" and dest.any_public is False
            else _internet_fix(ctx, subnet, rtb.id, replace_route=True, route=route)
        )
        p.add(
            fail_at[0],
            fail_at[1],
            FAIL,
            "BAD_STATE_ROUTE",
            f"{rtb.id}{assoc}: the route {route} is a blackhole (its target {route.target_id} "
            f"no longer exists or is detached){beaten}.",
            evidence=[(rtb.id, str(route))],
            fix=fix,
            subnet=subnet.id,
        )
        return None
    p.add(
        rtb.id,
        "route-table",
        PASS,
        decision.reason if beaten else "ROUTE",
        f"{rtb.id}{assoc} of {subnet.id} sends {dest.label} via {route}{beaten}.",
        evidence=[(rtb.id, str(route))],
        subnet=subnet.id,
    )
    return edge


# --------------------------------------------------------------------------------------------
# Following a route's target
# --------------------------------------------------------------------------------------------


def _missing_target(ctx: _Ctx, p: _Path, edge: RouteEdge, kind_name: str) -> None:
    p.add(
        edge.route.target_id,
        kind_for_id(edge.route.target_id),
        UNKNOWN,
        "UNKNOWN_RESOURCE",
        f"The route {edge.route} points at {edge.route.target_id}, which is not in the snapshot.",
        needs=needs(ctx.account, kind_name),
    )


def _igw_egress(
    ctx: _Ctx,
    p: _Path,
    src: _Source,
    igw: InternetGateway | None,
    edge: RouteEdge,
    dest: Endpoint,
    *,
    from_lambda: bool,
) -> bool:
    """The route reached an internet gateway: attached? and a public address on the sender?"""
    if igw is None:
        _missing_target(ctx, p, edge, "describe-internet-gateways")
        return True
    vpc_id = src.subnet.vpc_id
    if not igw.attached_to(vpc_id):
        return p.add(
            igw.id,
            "internet-gateway",
            FAIL,
            "BAD_STATE_ATTACHMENT",
            f"{igw.id} is not attached to {vpc_id}.",
            evidence=[
                (igw.id, ", ".join(f"{a.vpc_id}:{a.state}" for a in igw.attachments) or "detached")
            ],
            fix=f"aws ec2 attach-internet-gateway --internet-gateway-id {igw.id} --vpc-id {vpc_id}",
        )
    if not from_lambda:
        return p.add(
            igw.id,
            "internet-gateway",
            PASS,
            "IGW_ATTACHED",
            f"{igw.id} is attached to {vpc_id}.",
            evidence=[(igw.id, "attached")],
        )
    if dest.version == 6:
        return p.add(
            igw.id,
            "internet-gateway",
            PASS,
            "IGW_IPV6_EGRESS",
            f"{igw.id} carries the ENI's IPv6 traffic (IPv6 addresses are public).",
            evidence=[(igw.id, "attached")],
        )
    eni = src.eni
    public = None
    if eni is not None:
        eip = ctx.account.elastic_ip_for_eni(eni.id)
        public = eip.public_ip if eip is not None else eni.public_ip
    else:
        # The function's ENI is not in the snapshot: only the Elastic IPs can tell whether an
        # address of this subnet carries a public IP (the unsupported EIP-on-Lambda-ENI trick).
        candidates = [
            e
            for e in ctx.account.elastic_ips.values()
            if e.private_ip is not None
            and src.subnet.cidr is not None
            and e.private_ip in src.subnet.cidr
            and (e.network_interface_id or "") not in ctx.account.network_interfaces
        ]
        if candidates or not ctx.account.has("describe-addresses"):
            shown = ", ".join(f"{e.public_ip} ({e.private_ip})" for e in candidates)
            return p.add(
                igw.id,
                "internet-gateway",
                UNKNOWN,
                "IGW_PUBLIC_IP_UNKNOWN",
                f"{src.subnet.id} routes {dest.label} to {igw.id}; that works only if the "
                "function's Hyperplane ENI carries a public address, and that ENI is not in the "
                "snapshot"
                + (
                    f" (Elastic IPs on unknown interfaces of this subnet: {shown})."
                    if shown
                    else "."
                ),
                needs=needs(ctx.account, "describe-network-interfaces"),
            )
    if public is not None and eni is not None:
        p.warn(
            "EIP_ON_LAMBDA_ENI",
            f"{eni.id} carries the public address {public}, so {igw.id} passes its traffic. "
            "This is an unsupported trick, fit for experiments only: Lambda may delete or "
            "recreate the ENI at any time (and reclaims it after an idle period), new ENIs "
            "past 65,000 connections or in other subnets have no public address, and EC2 "
            "refuses EIPs on requester-managed ENIs today. Use a NAT gateway.",
            eni.id,
        )
        return p.add(
            igw.id,
            "internet-gateway",
            PASS,
            "EIP_ON_LAMBDA_ENI",
            f"{igw.id}: {eni.id} has the public address {public} (an Elastic IP on a "
            "Lambda ENI): works now, but see the warning.",
            evidence=[(eni.id, f"public IP {public}")],
        )
    rtb = ctx.topo.route_table_of(src.subnet.id)
    fix = _internet_fix(
        ctx, src.subnet, rtb.id if rtb else "<rtb>", replace_route=True, route=edge.route
    )
    return p.add(
        igw.id,
        "internet-gateway",
        FAIL,
        "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS",
        f"{src.subnet.id} routes {dest.label} to {igw.id}, but a Lambda Hyperplane ENI "
        "never has a public IP address: a public subnet gives a function no internet "
        "access. Put the function in private subnets whose route table sends 0.0.0.0/0 to "
        "a NAT gateway (the NAT itself stays in the public subnet).",
        evidence=[
            (edge.route.target_id, str(edge.route)),
            (eni.id if eni else src.subnet.id, "no public IP"),
        ],
        fix=fix,
    )


def _through_nat(
    ctx: _Ctx,
    p: _Path,
    src: _Source,
    nat: NatGateway | None,
    edge: RouteEdge,
    dest: Endpoint,
    depth: int,
) -> bool:
    if nat is None:
        _missing_target(ctx, p, edge, "describe-nat-gateways")
        return True
    rtb = ctx.topo.route_table_of(src.subnet.id)
    rtb_id = rtb.id if rtb else "<rtb>"
    evidence = [
        (
            nat.id,
            f"State={nat.state}, ConnectivityType={nat.connectivity}, "
            f"Subnet={nat.subnet_id}"
            + (f", PublicIp={nat.public_ips[0]}" if nat.public_ips else ""),
        )
    ]
    if nat.state is not NatState.AVAILABLE:
        failure = f" ({nat.failure_code}: {nat.failure_message or ''})" if nat.failure_code else ""
        return p.add(
            nat.id,
            "nat-gateway",
            FAIL,
            "BAD_STATE",
            f"{nat.id} is {nat.state}{failure}, not available.",
            evidence=evidence,
            fix=_internet_fix(ctx, src.subnet, rtb_id, replace_route=True, route=edge.route)
            if _suggest_nat(ctx, src.subnet, rtb_id)
            else f"aws ec2 create-nat-gateway --subnet-id {nat.subnet_id} --allocation-id "
            f"<eipalloc>, then aws ec2 replace-route --route-table-id {rtb_id} "
            f"{_route_dest_arg(edge.route)} --nat-gateway-id <new nat-…>",
        )
    if nat.connectivity is NatConnectivity.PRIVATE and not _dest_private(dest):
        return p.add(
            nat.id,
            "nat-gateway",
            FAIL,
            "NGW_PRIVATE_CONNECTIVITY",
            f"{nat.id} is a private NAT gateway: it has no Elastic IP and its traffic "
            "to an internet gateway is dropped.",
            evidence=evidence,
            fix=_internet_fix(ctx, src.subnet, rtb_id, replace_route=True, route=edge.route),
        )
    p.add(
        nat.id,
        "nat-gateway",
        PASS,
        "NGW_AVAILABLE",
        f"{nat.id} is available ({nat.connectivity}) in {nat.subnet_id}.",
        evidence=evidence,
    )
    nat_subnet = ctx.topo.subnet(nat.subnet_id)
    if nat_subnet is None:
        p.add(
            nat.subnet_id,
            "subnet",
            UNKNOWN,
            "UNKNOWN_RESOURCE",
            f"{nat.id}'s subnet {nat.subnet_id} is not in the snapshot.",
            needs=needs(ctx.account, "describe-subnets"),
        )
        return True
    if nat_subnet.az != src.subnet.az:
        p.warn(
            "NAT_CROSS_AZ",
            f"{src.subnet.id} ({src.subnet.az}) uses {nat.id} in {nat_subnet.az}: traffic "
            "crosses AZs (data charges) and fails if that AZ fails; use one NAT per AZ.",
            nat.id,
        )
    if nat_subnet.id != src.subnet.id and not _acl_pair(
        ctx,
        p,
        nat_subnet,
        peer=src.endpoint,
        role=f"{nat.id} from the function",
        initiator=False,
    ):
        return False
    if not _acl_pair(ctx, p, nat_subnet, peer=dest, role=f"{nat.id} onward", initiator=True):
        return False
    nat_src = _Source(
        subnet=nat_subnet,
        eni=None,
        endpoint=Endpoint.network(nat_subnet.cidr) if nat_subnet.cidr else Endpoint(),
    )
    return _forward(
        ctx,
        p,
        nat_src,
        dest,
        depth=depth + 1,
        from_lambda=False,
        hop_role=f"from {nat.id}'s subnet",
        blame=(nat.id, "nat-gateway"),
        fix_for_none=_nat_placement_fix(ctx, nat, nat_subnet),
    )


def _nat_placement_fix(ctx: _Ctx, nat: NatGateway, nat_subnet: Subnet) -> str:
    """A public NAT gateway needs its own subnet to route to an attached internet gateway."""
    rtb = ctx.topo.route_table_of(nat_subnet.id)
    igws = ctx.topo.gateways_attached(nat_subnet.vpc_id)
    igw = igws[0].id if igws else "<igw attached to the VPC>"
    if rtb is not None and not ctx.account.route_table_is_explicit(nat_subnet.id):
        return (
            f"{nat.subnet_id} uses the main route table {rtb.id}: give it a public table "
            f"(aws ec2 associate-route-table --subnet-id {nat.subnet_id} --route-table-id "
            f"<rtb with 0.0.0.0/0 → {igw}>), or recreate {nat.id} in a public subnet"
        )
    return (
        f"aws ec2 create-route --route-table-id {rtb.id if rtb else '<rtb>'} "
        f"--destination-cidr-block 0.0.0.0/0 --gateway-id {igw}"
    )


def _dest_private(dest: Endpoint) -> bool:
    return not dest.any_public and bool(dest.nets) and all(n.is_private for n in dest.nets)


def _through_instance(
    ctx: _Ctx, p: _Path, src: _Source, edge: RouteEdge, dest: Endpoint, depth: int
) -> bool:
    """A route to an instance or ENI: a NAT instance (internet) or a middlebox (private)."""
    obj = edge.obj
    inst: Instance | None = obj if isinstance(obj, Instance) else None
    eni: NetworkInterface | None = obj if isinstance(obj, NetworkInterface) else None
    if eni is not None and eni.instance_id:
        inst = ctx.topo.instance(eni.instance_id) or inst
    if inst is None and eni is None:
        _missing_target(
            ctx,
            p,
            edge,
            "describe-instances"
            if edge.route.target_id.startswith("i-")
            else "describe-network-interfaces",
        )
        return True
    rid = inst.id if inst else eni.id  # type: ignore[union-attr]
    sdc = inst.source_dest_check if inst else eni.source_dest_check  # type: ignore[union-attr]
    if inst is not None and inst.state != "running":
        return p.add(
            inst.id,
            "instance",
            FAIL,
            "BAD_STATE",
            f"{inst.id} (the route's target) is {inst.state}, not running.",
            evidence=[(inst.id, f"State={inst.state}")],
            fix=f"aws ec2 start-instances --instance-ids {inst.id}",
        )
    if sdc:
        return p.add(
            rid,
            "instance" if inst else "eni",
            FAIL,
            "ENI_SOURCE_DEST_CHECK_RESTRICTION",
            f"{rid} forwards traffic for others (the route {edge.route}) but its "
            "source/destination check is enabled, so it drops that traffic.",
            evidence=[(rid, "SourceDestCheck=true")],
            fix=f"aws ec2 modify-instance-attribute --instance-id {rid} --no-source-dest-check"
            if inst
            else f"aws ec2 modify-network-interface-attribute --network-interface-id {rid} "
            "--no-source-dest-check",
        )
    if _dest_private(dest):
        return p.add(
            rid,
            "instance",
            UNKNOWN,
            "MIDDLEBOX_NOT_MODELLED",
            f"{edge.route} sends the traffic through the appliance {rid}; what it "
            "forwards is not visible in the configuration.",
            needs="the appliance's own forwarding rules (outside AWS's APIs)",
        )
    public = inst.public_ip if inst else eni.public_ip  # type: ignore[union-attr]
    sgs = inst.security_group_ids if inst else eni.security_group_ids  # type: ignore[union-attr]
    if not _sg_hop(
        ctx,
        p,
        groups=sgs,
        egress=False,
        peer=src.endpoint,
        peer_groups=ctx.sg_ids,
        owner=f"NAT instance {rid}",
    ):
        return False
    if not _sg_hop(ctx, p, groups=sgs, egress=True, peer=dest, owner=f"NAT instance {rid}"):
        return False
    if public is None:
        return p.add(
            rid,
            "instance",
            FAIL,
            "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS",
            f"NAT instance {rid} has no public IP address.",
            evidence=[(rid, "no public IP")],
            fix="aws ec2 allocate-address, then aws ec2 associate-address "
            f"--instance-id {rid} --allocation-id <eipalloc>",
        )
    p.add(
        rid,
        "instance",
        PASS,
        "NAT_INSTANCE",
        f"NAT instance {rid} (source/destination check off, public IP {public}).",
        evidence=[(rid, f"SourceDestCheck=false, PublicIp={public}")],
    )
    inst_subnet = (
        ctx.topo.subnet(inst.subnet_id)
        if inst and inst.subnet_id
        else (ctx.topo.subnet(eni.subnet_id) if eni else None)
    )
    if inst_subnet is None:
        return True
    if inst_subnet.id != src.subnet.id and not _acl_pair(
        ctx, p, inst_subnet, peer=src.endpoint, role=f"{rid} from the function", initiator=False
    ):
        return False
    if not _acl_pair(ctx, p, inst_subnet, peer=dest, role=f"{rid} onward", initiator=True):
        return False
    inst_src = _Source(
        subnet=inst_subnet,
        eni=None,
        endpoint=Endpoint.network(inst_subnet.cidr) if inst_subnet.cidr else Endpoint(),
    )
    return _forward(
        ctx, p, inst_src, dest, depth=depth + 1, from_lambda=False, hop_role=f"from {rid}'s subnet"
    )


def _forward(
    ctx: _Ctx,
    p: _Path,
    src: _Source,
    dest: Endpoint,
    *,
    depth: int,
    from_lambda: bool,
    hop_role: str,
    blame: tuple[str, str] | None = None,
    fix_for_none: str | None = None,
) -> bool:
    """Route ``dest`` from ``src``'s subnet onward until it leaves or is delivered."""
    if depth > 4:
        return p.add(
            None,
            "route-table",
            UNKNOWN,
            "ROUTING_LOOP",
            "The path goes through more than four route tables; stopping here.",
        )
    edge = _route_hop(
        ctx, p, src.subnet, dest, role=hop_role, blame=blame, fix_for_none=fix_for_none
    )
    if edge is None:
        return not p.failed
    target_type = edge.route.target_type
    obj = edge.obj
    if target_type is RouteTargetType.LOCAL:
        if dest.any_public or not dest.nets:
            return True
        return _deliver_local(ctx, p, src, dest, from_lambda=from_lambda)
    if target_type is RouteTargetType.INTERNET_GATEWAY:
        if _dest_private(dest):
            return p.add(
                edge.route.target_id,
                "internet-gateway",
                FAIL,
                "CANNOT_ROUTE",
                f"{dest.label} is a private address; {edge.route.target_id} cannot carry it.",
                evidence=[(edge.route.target_id, str(edge.route))],
            )
        ok = _igw_egress(
            ctx,
            p,
            src,
            obj if isinstance(obj, InternetGateway) else None,
            edge,
            dest,
            from_lambda=from_lambda,
        )
        last = p.hops[-1]
        if ok and last.status is PASS and last.kind == "internet-gateway":
            p.add("internet", "internet", PASS, "INTERNET", f"Leaves the VPC for {dest.label}.")
        return ok
    if target_type is RouteTargetType.EGRESS_ONLY_INTERNET_GATEWAY:
        eigw = obj if isinstance(obj, EgressOnlyInternetGateway) else None
        if eigw is None:
            _missing_target(ctx, p, edge, "describe-egress-only-internet-gateways")
            return True
        if dest.version != 6:
            return p.add(
                eigw.id,
                "egress-only-internet-gateway",
                FAIL,
                "CANNOT_ROUTE",
                f"{eigw.id} carries IPv6 only.",
            )
        if not eigw.attached_to(src.subnet.vpc_id):
            return p.add(
                eigw.id,
                "egress-only-internet-gateway",
                FAIL,
                "BAD_STATE_ATTACHMENT",
                f"{eigw.id} is not attached to {src.subnet.vpc_id}.",
            )
        p.add(
            eigw.id,
            "egress-only-internet-gateway",
            PASS,
            "EIGW_IPV6_EGRESS",
            f"{eigw.id} carries outbound IPv6 to {dest.label}.",
            evidence=[(eigw.id, "attached")],
        )
        p.add("internet", "internet", PASS, "INTERNET", f"Leaves the VPC for {dest.label}.")
        return True
    if target_type is RouteTargetType.NAT_GATEWAY:
        return _through_nat(
            ctx, p, src, obj if isinstance(obj, NatGateway) else None, edge, dest, depth
        )
    if target_type in (RouteTargetType.INSTANCE, RouteTargetType.NETWORK_INTERFACE):
        return _through_instance(ctx, p, src, edge, dest, depth)
    if target_type is RouteTargetType.VPC_PEERING:
        return _through_peering(ctx, p, src, edge, dest, from_lambda=from_lambda)
    if target_type is RouteTargetType.TRANSIT_GATEWAY:
        return _through_tgw(ctx, p, src, edge, dest, from_lambda=from_lambda)
    if target_type is RouteTargetType.VPC_ENDPOINT:
        vpce = obj if isinstance(obj, VpcEndpoint) else None
        if vpce is None:
            _missing_target(ctx, p, edge, "describe-vpc-endpoints")
            return True
        if vpce.state.lower() != "available":
            return p.add(
                vpce.id,
                "vpc-endpoint",
                FAIL,
                "BAD_STATE",
                f"{vpce.id} ({vpce.service_name}) is {vpce.state}, not available.",
                evidence=[(vpce.id, f"State={vpce.state}")],
            )
        if vpce.type is EndpointType.GATEWAY:
            p.add(
                vpce.id,
                "vpc-endpoint",
                PASS,
                "VPCE_GATEWAY",
                f"Gateway endpoint {vpce.id} carries {dest.label} to "
                f"{vpce.service_short_name} inside AWS.",
                evidence=[(vpce.id, f"{vpce.service_name}, State={vpce.state}")],
            )
            return True
        return p.add(
            vpce.id,
            "vpc-endpoint",
            UNKNOWN,
            "UNSUPPORTED_COMPONENT",
            f"{edge.route} sends the traffic to {vpce.type} endpoint {vpce.id} "
            "(an inspection appliance); what it forwards is not modelled.",
            needs="the appliance's own configuration",
        )
    if target_type is RouteTargetType.VIRTUAL_PRIVATE_GATEWAY:
        return p.add(
            edge.route.target_id,
            "virtual-private-gateway",
            UNKNOWN,
            "UNSUPPORTED_COMPONENT",
            f"{edge.route} leaves the VPC through the VPN gateway "
            f"{edge.route.target_id}; the network beyond it is not in the snapshot.",
            needs="the on-premises network's routes and firewall rules",
        )
    return p.add(
        edge.route.target_id,
        kind_for_id(edge.route.target_id),
        UNKNOWN,
        "UNSUPPORTED_COMPONENT",
        f"{edge.route} points at a {target_type} target that vpcdoctor does not model.",
        needs="a manual check of that gateway",
    )


# --------------------------------------------------------------------------------------------
# R7: delivery to an address inside the VPC
# --------------------------------------------------------------------------------------------


def _deliver_local(
    ctx: _Ctx,
    p: _Path,
    src: _Source,
    dest: Endpoint,
    *,
    from_lambda: bool,
    target_groups: Sequence[str] | None = None,
    target_label: str = "",
    target_subnet: Subnet | None = None,
    vpc_id: str | None = None,
) -> bool:
    """The local route of ``vpc_id`` (default: the source's VPC) delivered ``dest``: its ENI,
    security groups and subnet ACL."""
    ip = dest.ip
    eni = _eni_in_vpc(ctx, ip, vpc_id or src.subnet.vpc_id)
    if eni is None and target_subnet is None:
        has_enis = ctx.account.has("describe-network-interfaces")
        vpc = ctx.topo.vpc(src.subnet.vpc_id)
        if vpc is not None and ip is not None and vpc.resolver_ip == ip:
            return p.add(
                str(ip),
                "target",
                PASS,
                "VPC_RESOLVER",
                f"{ip} is the VPC's Amazon DNS server; security groups cannot block it.",
            )
        return p.add(
            str(ip) if ip else dest.label,
            "target",
            UNKNOWN,
            "UNKNOWN_DESTINATION",
            f"No network interface in the snapshot has the address {dest.label}"
            + (
                " (the exported ENIs may be filtered, or nothing listens there)."
                if has_enis
                else "."
            ),
            needs=needs(ctx.account, "describe-network-interfaces"),
        )
    if eni is not None:
        if eni.is_lambda:
            return p.add(
                eni.id,
                "eni",
                FAIL,
                "LAMBDA_ENI_NO_INBOUND",
                f"{dest.label} belongs to a Lambda Hyperplane ENI ({eni.id}): Lambda's "
                "ENIs only carry connections that the function opens; nothing can "
                "connect to a function through them.",
                evidence=[(eni.id, "InterfaceType=lambda")],
            )
        tsubnet = ctx.topo.subnet(eni.subnet_id)
        groups: Sequence[str] = eni.security_group_ids
        what = eni.description or eni.interface_type
        p.add(
            eni.id,
            "eni",
            PASS,
            "TARGET_ENI",
            f"{dest.label} is {eni.id} ({what}) in {eni.subnet_id}.",
            evidence=[
                (
                    eni.id,
                    f"PrivateIp={eni.primary_ip}, Groups="
                    f"{','.join(eni.security_group_ids) or 'none'}, Status={eni.status}",
                )
            ],
        )
    else:
        tsubnet = target_subnet
        groups = target_groups or ()
    if target_groups is not None:
        groups = target_groups
    owner = target_label or (eni.id if eni else dest.label)
    same_vpc = tsubnet is None or tsubnet.vpc_id == src.subnet.vpc_id
    if not _sg_hop(
        ctx,
        p,
        groups=groups,
        egress=False,
        peer=src.endpoint,
        peer_groups=ctx.sg_ids if from_lambda else (),
        owner=owner,
        cross_vpc_ok=True if same_vpc else ctx_cross_ok(ctx, src, tsubnet),
    ):
        return False
    if tsubnet is None:
        return p.add(
            eni.subnet_id if eni else None,
            "subnet",
            UNKNOWN,
            "UNKNOWN_RESOURCE",
            f"The subnet of {owner} is not in the snapshot.",
            needs=needs(ctx.account, "describe-subnets"),
        )
    if tsubnet.id != src.subnet.id:
        return _acl_pair(
            ctx, p, tsubnet, peer=src.endpoint, role=f"{owner}'s subnet", initiator=False
        )
    return True


def ctx_cross_ok(ctx: _Ctx, src: _Source, tsubnet: Subnet | None) -> bool | None:
    """Can a group reference cross from the function's VPC to the target's? (active peering,
    same Region)."""
    if tsubnet is None:
        return None
    for pcx in ctx.account.peering_connections.values():
        peer = pcx.peer_of(src.subnet.vpc_id)
        if peer is not None and peer.vpc_id == tsubnet.vpc_id:
            if pcx.status != "active":
                return False
            regions = {pcx.requester.region, pcx.accepter.region} - {None}
            return len(regions) <= 1
    return False


# --------------------------------------------------------------------------------------------
# R10: peering and transit gateway
# --------------------------------------------------------------------------------------------


def _through_peering(
    ctx: _Ctx, p: _Path, src: _Source, edge: RouteEdge, dest: Endpoint, *, from_lambda: bool
) -> bool:
    pcx = ctx.topo.peering(edge.route.target_id)
    if pcx is None:
        _missing_target(ctx, p, edge, "describe-vpc-peering-connections")
        return True
    vpc_id = src.subnet.vpc_id
    peer = pcx.peer_of(vpc_id)
    evidence = [(pcx.id, f"Status={pcx.status}, {pcx.requester.vpc_id} ↔ {pcx.accepter.vpc_id}")]
    if pcx.status != "active":
        fix = (
            f"aws ec2 accept-vpc-peering-connection --vpc-peering-connection-id {pcx.id}"
            if pcx.status == "pending-acceptance"
            else f"aws ec2 create-vpc-peering-connection --vpc-id {vpc_id} --peer-vpc-id "
            f"{peer.vpc_id if peer else '<vpc>'}"
        )
        return p.add(
            pcx.id,
            "peering-connection",
            FAIL,
            "BAD_STATE",
            f"{pcx.id} is {pcx.status}, not active.",
            evidence=evidence,
            fix=fix,
        )
    if peer is None:
        return p.add(
            pcx.id,
            "peering-connection",
            FAIL,
            "CANNOT_ROUTE",
            f"{pcx.id} does not connect {vpc_id}.",
            evidence=evidence,
        )
    peer_vpc = ctx.topo.vpc(peer.vpc_id)
    peer_cidrs = tuple(peer_vpc.cidrs + peer_vpc.ipv6_cidrs) if peer_vpc else peer.cidrs
    inside = [dest.in_cidr(c) for c in peer_cidrs]
    if dest.any_public or (peer_cidrs and not any(m is True for m in inside)):
        return p.add(
            pcx.id,
            "peering-connection",
            FAIL,
            "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR",
            f"{pcx.id} only delivers to addresses inside {peer.vpc_id} "
            f"({', '.join(map(str, peer_cidrs)) or '?'}); {dest.label} is not one: "
            "peering is not transitive and gives no edge-to-edge use of the peer's "
            "internet gateway, NAT gateway, VPN or endpoints.",
            evidence=evidence,
            fix="route this destination through this VPC's own NAT gateway or "
            "endpoint, or a transit gateway",
        )
    p.add(
        pcx.id,
        "peering-connection",
        PASS,
        "PCX_ACTIVE",
        f"{pcx.id} is active to {peer.vpc_id} ({peer.region or 'same Region'}).",
        evidence=evidence,
    )
    if peer_vpc is None:
        return p.add(
            peer.vpc_id,
            "vpc",
            UNKNOWN,
            "UNKNOWN_PEERED_SGS",
            f"{peer.vpc_id} (account {peer.owner_id or '?'}) is not in the snapshot: "
            "its route back, security groups and ACLs are unknown.",
            needs=f"a snapshot of account {peer.owner_id or '?'} "
            f"(vpcdoctor export with a profile of that account)",
        )
    return _arrive_in_vpc(
        ctx, p, src, dest, via=pcx.id, via_kind="pcx", from_lambda=from_lambda, vpc_id=peer.vpc_id
    )


def _arrive_in_vpc(
    ctx: _Ctx,
    p: _Path,
    src: _Source,
    dest: Endpoint,
    *,
    via: str,
    via_kind: str,
    from_lambda: bool,
    vpc_id: str | None = None,
) -> bool:
    """The far VPC: the target ENI, the return route to the function, SGs and ACLs."""
    ip = dest.ip
    eni = _eni_in_vpc(ctx, ip, vpc_id)
    if eni is None:
        return p.add(
            dest.label,
            "target",
            UNKNOWN,
            "UNKNOWN_DESTINATION",
            f"No network interface in the snapshot has the address {dest.label}.",
            needs=needs(ctx.account, "describe-network-interfaces"),
        )
    tsubnet = ctx.topo.subnet(eni.subnet_id)
    if tsubnet is not None:
        rtb = ctx.topo.route_table_of(tsubnet.id)
        if rtb is not None:
            back = lookup(ctx.topo, rtb, src.endpoint)
            back_edge = back.edge
            ok = (
                back_edge is not None
                and back_edge.route.state is RouteState.ACTIVE
                and (
                    back_edge.route.target_id == via
                    if via_kind == "pcx"
                    else back_edge.route.target_type is RouteTargetType.TRANSIT_GATEWAY
                )
            )
            if back_edge is None or not ok:
                fn_cidr = str(src.subnet.cidr) if src.subnet.cidr else src.endpoint.cidr_text
                arg = "--vpc-peering-connection-id" if via_kind == "pcx" else "--transit-gateway-id"
                code = (
                    "NO_ROUTE_TO_DESTINATION"
                    if via_kind == "pcx"
                    else "RESPONSE_RTB_HAS_NO_ROUTE_TO_TRANSIT_GATEWAY"
                )
                return p.add(
                    rtb.id,
                    "route-table",
                    FAIL,
                    code,
                    f"{rtb.id} of {tsubnet.id} (the target's side) has no route back to "
                    f"{src.endpoint.label} via {via}"
                    + (f"; it uses {back_edge.route}" if back_edge else "")
                    + ": the replies are lost.",
                    evidence=[(rtb.id, str(e.route)) for e in ctx.topo.routes(rtb.id)],
                    fix=f"aws ec2 create-route --route-table-id {rtb.id} "
                    f"--destination-cidr-block {fn_cidr} {arg} {via}",
                    subnet=tsubnet.id,
                    direction=Direction.REPLY,
                )
            p.add(
                rtb.id,
                "route-table",
                PASS,
                "RETURN_ROUTE",
                f"{rtb.id} of {tsubnet.id} routes the replies back via {back_edge.route}.",
                evidence=[(rtb.id, str(back_edge.route))],
                subnet=tsubnet.id,
                direction=Direction.REPLY,
            )
    return _deliver_local(ctx, p, src, dest, from_lambda=from_lambda, vpc_id=vpc_id)


def _through_tgw(
    ctx: _Ctx, p: _Path, src: _Source, edge: RouteEdge, dest: Endpoint, *, from_lambda: bool
) -> bool:
    tgw_id = edge.route.target_id
    vpc_id = src.subnet.vpc_id
    if (
        not ctx.account.has("describe-transit-gateway-attachments")
        and not ctx.account.transit_gateway_attachments
    ):
        return p.add(
            tgw_id,
            "transit-gateway",
            UNKNOWN,
            "UNKNOWN_RESOURCE",
            f"The route {edge.route} leads to {tgw_id}; its attachments are not in the snapshot.",
            needs=needs(ctx.account, "describe-transit-gateway-attachments"),
        )
    atts = [a for a in ctx.topo.tgw_attachments_of_vpc(vpc_id) if a.transit_gateway_id == tgw_id]
    if not atts:
        return p.add(
            tgw_id,
            "transit-gateway",
            FAIL,
            "UNASSOCIATED_COMPONENT",
            f"{tgw_id} has no attachment to {vpc_id}.",
            fix=f"aws ec2 create-transit-gateway-vpc-attachment --transit-gateway-id "
            f"{tgw_id} --vpc-id {vpc_id} --subnet-ids <one subnet per AZ>",
        )
    att: TransitGatewayAttachment = atts[0]
    if att.state != "available":
        return p.add(
            att.id,
            "transit-gateway-attachment",
            FAIL,
            "BAD_STATE_ATTACHMENT",
            f"{att.id} is {att.state}, not available.",
            evidence=[(att.id, f"State={att.state}")],
        )
    if att.subnet_ids is None:
        p.add(
            att.id,
            "transit-gateway-attachment",
            UNKNOWN,
            "UNKNOWN_RESOURCE",
            f"The subnets of {att.id} are not in the snapshot: whether it has one in "
            f"{src.subnet.az} is unknown.",
            needs=needs(ctx.account, "describe-transit-gateway-vpc-attachments"),
        )
    else:
        azs = {s.az for sid in att.subnet_ids if (s := ctx.topo.subnet(sid)) is not None}
        if src.subnet.az not in azs:
            return p.add(
                att.id,
                "transit-gateway-attachment",
                FAIL,
                "TGW_ATTACH_VPC_AZ_RESTRICTION",
                f"{att.id} has no subnet in {src.subnet.az} (it has "
                f"{', '.join(sorted(azs)) or 'none'}): traffic from {src.subnet.id} "
                "cannot enter the transit gateway.",
                evidence=[(att.id, f"SubnetIds={','.join(att.subnet_ids)}")],
                fix=f"aws ec2 modify-transit-gateway-vpc-attachment "
                f"--transit-gateway-attachment-id {att.id} --add-subnet-ids "
                f"<a subnet in {src.subnet.az}>",
            )
        p.add(
            att.id,
            "transit-gateway-attachment",
            PASS,
            "TGW_ATTACHMENT",
            f"{att.id} attaches {vpc_id} to {tgw_id} in {src.subnet.az}.",
            evidence=[(att.id, f"SubnetIds={','.join(att.subnet_ids)}")],
        )
    if att.association_route_table_id is None:
        return p.add(
            att.id,
            "transit-gateway-attachment",
            FAIL,
            "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION",
            f"{att.id} is associated with no transit gateway route table.",
            fix=f"aws ec2 associate-transit-gateway-route-table "
            f"--transit-gateway-route-table-id <tgw-rtb-…> "
            f"--transit-gateway-attachment-id {att.id}",
        )
    trt = ctx.topo.tgw_route_table_of(att.id)
    if trt is None or trt.routes is None:
        return p.add(
            att.association_route_table_id,
            "transit-gateway-route-table",
            UNKNOWN,
            "UNKNOWN_RESOURCE",
            f"The routes of {att.association_route_table_id} are not in the snapshot.",
            needs=needs(
                ctx.account, "search-transit-gateway-routes", att.association_route_table_id
            ),
        )
    best: TransitGatewayRoute | None = None
    best_prefixlen = -1
    for troute in trt.routes:
        if troute.destination is None:
            continue
        if (
            dest.in_cidr(troute.destination) is True
            and troute.destination.prefixlen > best_prefixlen
        ):
            best = troute
            best_prefixlen = troute.destination.prefixlen
    if best is None or best.state == "blackhole" or not best.attachment_ids:
        return p.add(
            trt.id,
            "transit-gateway-route-table",
            FAIL,
            "TGW_RTB_CANNOT_ROUTE",
            f"{trt.id} has "
            + ("a blackhole route" if best else "no route")
            + f" for {dest.label}.",
            evidence=[
                (trt.id, f"{r.destination} → {','.join(r.attachment_ids) or r.state}")
                for r in trt.routes
            ],
            fix=f"aws ec2 create-transit-gateway-route --transit-gateway-route-table-id "
            f"{trt.id} --destination-cidr-block {dest.cidr_text} "
            "--transit-gateway-attachment-id <tgw-attach-…>",
        )
    next_att_id = best.attachment_ids[0]
    p.add(
        trt.id,
        "transit-gateway-route-table",
        PASS,
        "TGW_ROUTE",
        f"{trt.id} sends {dest.label} to {next_att_id} ({best.destination}, {best.route_type}).",
        evidence=[(trt.id, f"{best.destination} → {next_att_id}")],
    )
    nxt = ctx.account.transit_gateway_attachments.get(next_att_id)
    if (
        nxt is None
        or nxt.resource_type != "vpc"
        or not nxt.resource_id
        or ctx.topo.vpc(nxt.resource_id) is None
    ):
        what = f"{nxt.resource_type} {nxt.resource_id}" if nxt else next_att_id
        return p.add(
            next_att_id,
            "transit-gateway-attachment",
            UNKNOWN,
            "UNSUPPORTED_COMPONENT",
            f"Beyond {tgw_id} the traffic goes to {what}, which the snapshot does not "
            "describe (on-premises, another account or Region).",
            needs="the routes and firewall rules beyond the transit gateway",
        )
    if dest.any_public or not _dest_private(dest):
        return p.add(
            nxt.id,
            "transit-gateway-attachment",
            UNKNOWN,
            "UNSUPPORTED_COMPONENT",
            f"Internet traffic continues in {nxt.resource_id} (central egress); "
            "vpcdoctor does not follow it into that VPC yet.",
            needs=f"vpcdoctor check from a function in {nxt.resource_id}",
        )
    if not _tgw_way_back(ctx, p, src, dest, att, nxt):
        return False
    return _arrive_in_vpc(
        ctx,
        p,
        src,
        dest,
        via=tgw_id,
        via_kind="tgw",
        from_lambda=from_lambda,
        vpc_id=nxt.resource_id,
    )


def _tgw_way_back(
    ctx: _Ctx,
    p: _Path,
    src: _Source,
    dest: Endpoint,
    att: TransitGatewayAttachment,
    nxt: TransitGatewayAttachment,
) -> bool:
    """The replies enter the transit gateway through the target VPC's attachment: that
    attachment needs a subnet in the target's AZ (tgw-vpc-attachments.html: resources in an AZ
    without one "cannot reach the transit gateway"), and the TGW route table associated with it
    must route the function's address back to the function's attachment."""
    target = _eni_in_vpc(ctx, dest.ip, nxt.resource_id)
    tsubnet = ctx.topo.subnet(target.subnet_id) if target is not None else None
    if tsubnet is not None and nxt.subnet_ids is not None:
        azs = {s.az for sid in nxt.subnet_ids if (s := ctx.topo.subnet(sid)) is not None}
        if tsubnet.az not in azs:
            return p.add(
                nxt.id,
                "transit-gateway-attachment",
                FAIL,
                "TGW_ATTACH_VPC_AZ_RESTRICTION",
                f"{nxt.id} has no subnet in {tsubnet.az} (it has "
                f"{', '.join(sorted(azs)) or 'none'}): the replies of {dest.label} in "
                f"{tsubnet.id} cannot enter the transit gateway.",
                evidence=[(nxt.id, f"SubnetIds={','.join(nxt.subnet_ids)}")],
                fix=f"aws ec2 modify-transit-gateway-vpc-attachment "
                f"--transit-gateway-attachment-id {nxt.id} --add-subnet-ids "
                f"<a subnet of {nxt.resource_id} in {tsubnet.az}>",
            )
    back_id = nxt.association_route_table_id
    back = ctx.topo.tgw_route_table_of(nxt.id) if back_id else None
    if back_id is None:
        return p.add(
            nxt.id,
            "transit-gateway-attachment",
            FAIL,
            "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION",
            f"{nxt.id} is associated with no transit gateway route table: the replies of "
            f"{dest.label} have no route back.",
            fix=f"aws ec2 associate-transit-gateway-route-table "
            f"--transit-gateway-route-table-id <tgw-rtb-…> "
            f"--transit-gateway-attachment-id {nxt.id}",
        )
    if back is None or back.routes is None:
        return p.add(
            back_id,
            "transit-gateway-route-table",
            UNKNOWN,
            "UNKNOWN_RESOURCE",
            f"The routes of {back_id} (the table of {nxt.id}, which carries the replies) are "
            "not in the snapshot.",
            needs=needs(ctx.account, "search-transit-gateway-routes", back_id),
        )
    best = None
    for troute in back.routes:
        if troute.destination is None:
            continue
        if src.endpoint.in_cidr(troute.destination) is True and (
            best is None
            or best.destination is None
            or troute.destination.prefixlen > best.destination.prefixlen
        ):
            best = troute
    if best is None or best.state == "blackhole" or att.id not in best.attachment_ids:
        own_vpc = ctx.topo.vpc(src.subnet.vpc_id)
        fn_cidr = next(
            (
                str(c)
                for c in (own_vpc.cidrs if own_vpc else ())
                if src.subnet.cidr and src.subnet.cidr.subnet_of(c)
            ),
            str(src.subnet.cidr) if src.subnet.cidr else src.endpoint.cidr_text,
        )
        what = (
            "no route"
            if best is None
            else "a blackhole route"
            if best.state == "blackhole" or not best.attachment_ids
            else f"a route to {','.join(best.attachment_ids)}"
        )
        return p.add(
            back.id,
            "transit-gateway-route-table",
            FAIL,
            "TGW_RTB_CANNOT_ROUTE",
            f"{back.id} (associated with {nxt.id}) has {what} for {src.endpoint.label}: the "
            f"replies of {dest.label} do not get back to {att.id}.",
            evidence=[
                (back.id, f"{r.destination} → {','.join(r.attachment_ids) or r.state}")
                for r in back.routes
            ],
            fix=f"aws ec2 create-transit-gateway-route --transit-gateway-route-table-id "
            f"{back.id} --destination-cidr-block {fn_cidr} "
            f"--transit-gateway-attachment-id {att.id}"
            + ("" if best is None else "  # or replace-transit-gateway-route if it exists"),
        )
    p.add(
        back.id,
        "transit-gateway-route-table",
        PASS,
        "TGW_RETURN_ROUTE",
        f"{back.id} (associated with {nxt.id}) routes the replies back to {att.id} "
        f"({best.destination}).",
        evidence=[(back.id, f"{best.destination} → {att.id}")],
    )
    return True


# --------------------------------------------------------------------------------------------
# Paths per target kind
# --------------------------------------------------------------------------------------------


def _to_address(
    ctx: _Ctx, p: _Path, src: _Source, dest: Endpoint, dest_groups: Sequence[str] = ()
) -> None:
    """R2 + R3 on the function's side, then R1 onward (R4/R5/R7/R10)."""
    if dest.version == 6:
        fn = ctx.fn
        if not (fn.vpc and fn.vpc.ipv6_allowed_for_dual_stack):
            p.add(
                fn.name,
                "lambda",
                FAIL,
                "LAMBDA_IPV6_NOT_ALLOWED",
                f"{fn.name} does not allow IPv6 (Ipv6AllowedForDualStack is off): outbound "
                "IPv6 is off by default.",
                # --vpc-config replaces the whole configuration: repeat the subnets and groups
                fix=f"aws lambda update-function-configuration --function-name {fn.name} "
                f"--vpc-config Ipv6AllowedForDualStack=true,"
                f"SubnetIds={','.join(ctx.sg_subnets)},SecurityGroupIds={','.join(ctx.sg_ids)}",
            )
            return
        if not src.subnet.is_dual_stack:
            p.add(
                src.subnet.id,
                "subnet",
                FAIL,
                "SUBNET_NOT_DUAL_STACK",
                f"{src.subnet.id} has no IPv6 CIDR; IPv6 for Lambda needs dual-stack subnets.",
                fix=f"aws ec2 associate-subnet-cidr-block --subnet-id {src.subnet.id} "
                "--ipv6-cidr-block <cidr>",
            )
            return
        if src.eni is not None and src.eni.ipv6_addresses:
            src = replace(src, endpoint=Endpoint.address(src.eni.ipv6_addresses[0]))
        elif src.subnet.ipv6_cidrs:
            src = replace(src, endpoint=Endpoint.network(src.subnet.ipv6_cidrs[0]))
    target_eni = _eni_in_vpc(ctx, dest.ip, src.subnet.vpc_id)
    own_vpc = ctx.topo.vpc(src.subnet.vpc_id)
    if (
        target_eni is not None
        and target_eni.vpc_id != src.subnet.vpc_id
        and own_vpc is not None
        and dest.ip is not None
        and own_vpc.contains(dest.ip)
    ):
        target_eni = None  # the local route keeps it in this VPC: another VPC's twin is not it
    peer_groups = dest_groups or (target_eni.security_group_ids if target_eni else ())
    groups_known = (
        bool(dest_groups)
        or target_eni is not None
        or dest.ip is None
        or not is_private_address(dest.ip)
    )
    if not _sg_hop(
        ctx,
        p,
        groups=ctx.sg_ids,
        egress=True,
        peer=dest,
        peer_groups=peer_groups,
        owner=ctx.fn.name,
        # a private address whose interface is not in the snapshot may be in a referenced group
        peer_groups_known=groups_known,
    ):
        return
    same_subnet = target_eni is not None and target_eni.subnet_id == src.subnet.id
    if not same_subnet and not _acl_pair(
        ctx, p, src.subnet, peer=dest, role="the function's subnet", initiator=True
    ):
        return
    _forward(ctx, p, src, dest, depth=0, from_lambda=True, hop_role="from the function")


def _interface_endpoint_path(ctx: _Ctx, p: _Path, src: _Source, vpce: VpcEndpoint) -> None:
    evidence = [
        (
            vpce.id,
            f"{vpce.service_name}, {vpce.type}, State={vpce.state}, "
            f"PrivateDnsEnabled={vpce.private_dns_enabled}",
        )
    ]
    if vpce.state.lower() != "available":
        p.add(
            vpce.id,
            "vpc-endpoint",
            FAIL,
            "BAD_STATE",
            f"Interface endpoint {vpce.id} is {vpce.state}, not available; with private DNS "
            "the service's name still points at it.",
            evidence=evidence,
            fix=f"aws ec2 describe-vpc-endpoints --vpc-endpoint-ids {vpce.id} (then accept or "
            "recreate it)",
        )
        return
    # Pick the endpoint ENI in the function's AZ; else any (cross-AZ works, with a warning).
    choices: list[tuple[str, NetworkInterface | None, Subnet | None]] = []
    for n, subnet_id in enumerate(vpce.subnet_ids):
        eni_id = vpce.network_interface_ids[n] if n < len(vpce.network_interface_ids) else None
        eni = ctx.topo.obj(eni_id) if eni_id else None
        choices.append(
            (
                subnet_id,
                eni if isinstance(eni, NetworkInterface) else None,
                ctx.topo.subnet(subnet_id),
            )
        )
    if not choices:
        for eni_id in vpce.network_interface_ids:
            eni = ctx.topo.obj(eni_id)
            if isinstance(eni, NetworkInterface):
                choices.append((eni.subnet_id, eni, ctx.topo.subnet(eni.subnet_id)))
    if not choices:
        p.add(
            vpce.id,
            "vpc-endpoint",
            FAIL,
            "VPCE_SERVICE_NOT_INSTALLED_IN_AZ",
            f"Interface endpoint {vpce.id} has no subnet, so no network interface answers.",
            evidence=evidence,
            fix=f"aws ec2 modify-vpc-endpoint --vpc-endpoint-id {vpce.id} --add-subnet-ids "
            f"{src.subnet.id}",
        )
        return
    same_az = [c for c in choices if c[2] is not None and c[2].az == src.subnet.az]
    if not same_az:
        p.warn(
            "VPCE_CROSS_AZ",
            f"{vpce.id} has no network interface in {src.subnet.az}: the function uses one "
            "in another AZ (cross-AZ data charges; fails with that AZ).",
            vpce.id,
        )
    # The endpoint's name resolves to every one of its network interfaces (a zonal
    # endpoint-specific name to that AZ's only): the function may get any, so the worst path
    # over them decides. The function's own AZ is evaluated first.
    zonal = [c for c in choices if c[2] is not None and _names_zone(ctx.target.host, c[2].az)]
    ordered = zonal or same_az + [c for c in choices if c not in same_az]

    def one(p: _Path, choice: tuple[str, NetworkInterface | None, Subnet | None]) -> None:
        subnet_id, eni, esubnet = choice
        p.add(
            vpce.id,
            "vpc-endpoint",
            PASS,
            "VPCE_INTERFACE",
            (
                f"The endpoint-specific name {ctx.target.host} resolves to interface endpoint "
                f"{vpce.id} "
                if _names_endpoint(ctx.target.host, vpce)
                else f"Private DNS sends {ctx.target.service} to interface endpoint {vpce.id} "
            )
            + f"(network interface {eni.id if eni else '?'} in {subnet_id}).",
            evidence=evidence,
        )
        if eni is not None and eni.primary_ip is not None:
            dest = Endpoint.address(eni.primary_ip, f"{vpce.id} ({eni.primary_ip})")
        elif esubnet is not None and esubnet.cidr is not None:
            dest = Endpoint.network(esubnet.cidr, f"{vpce.id} in {esubnet.id}")
        else:
            p.add(
                subnet_id,
                "subnet",
                UNKNOWN,
                "UNKNOWN_RESOURCE",
                f"The subnet {subnet_id} of {vpce.id} is not in the snapshot.",
                needs=needs(ctx.account, "describe-subnets"),
            )
            return
        groups = vpce.security_group_ids
        if not _sg_hop(
            ctx, p, groups=ctx.sg_ids, egress=True, peer=dest, peer_groups=groups, owner=ctx.fn.name
        ):
            return
        if (esubnet is None or esubnet.id != src.subnet.id) and not _acl_pair(
            ctx, p, src.subnet, peer=dest, role="the function's subnet", initiator=True
        ):
            return
        edge = _route_hop(ctx, p, src.subnet, dest, role="to the endpoint")
        if edge is None:
            return
        if edge.route.target_type is not RouteTargetType.LOCAL:
            _forward_after_route(ctx, p, src, dest, edge)
            return
        _deliver_local(
            ctx,
            p,
            src,
            dest,
            from_lambda=True,
            target_groups=groups,
            target_label=f"endpoint {vpce.id}",
            target_subnet=esubnet,
        )

    worst: tuple[int, _Path] | None = None
    for choice in ordered:
        q = _Path(hops=list(p.hops), warnings=list(p.warnings), promotable=list(p.promotable))
        one(q, choice)
        rank = 2 if q.failed else 1 if any(h.status is UNKNOWN for h in q.hops) else 0
        if worst is None or rank > worst[0]:
            worst = (rank, q)
    assert worst is not None
    p.hops[:] = worst[1].hops
    p.warnings[:] = worst[1].warnings
    p.promotable[:] = worst[1].promotable


def _names_zone(host: str, az: str) -> bool:
    """A zonal endpoint-specific name: ``vpce-…-<az>.<service>.<region>.vpce.amazonaws.com``."""
    first = host.rstrip(".").lower().split(".")[0]
    return host.endswith(".vpce.amazonaws.com") and first.endswith("-" + az)


def _forward_after_route(
    ctx: _Ctx, p: _Path, src: _Source, dest: Endpoint, edge: RouteEdge
) -> None:
    p.add(
        edge.route.target_id,
        kind_for_id(edge.route.target_id),
        UNKNOWN,
        "MIDDLEBOX_NOT_MODELLED",
        f"The route {edge.route} (more specific than local) sends traffic for {dest.label} "
        "through an appliance; what it forwards is not modelled.",
        needs="the appliance's own forwarding rules",
    )


def _service_region(ctx: _Ctx) -> str | None:
    import re

    m = re.search(r"\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.amazonaws\.com$", ctx.target.host)
    return m.group(1) if m else None


def _names_endpoint(host: str, vpce: VpcEndpoint) -> bool:
    """True when ``host`` is one of the endpoint's own DNS names (Regional or zonal; for S3 a
    bucket name may precede it)."""
    host = host.rstrip(".").lower()
    if not host.endswith(".vpce.amazonaws.com"):
        return False
    names = [d.dns_name.rstrip(".").lower() for d in vpce.dns_entries if d.dns_name]
    if any(host == n or host.endswith("." + n) for n in names):
        return True
    return any(label == vpce.id or label.startswith(vpce.id + "-") for label in host.split("."))


def _to_service(ctx: _Ctx, p: _Path, src: _Source) -> None:
    """R6: interface endpoint with private DNS; else gateway endpoint route; else R4."""
    service = ctx.target.service or ""
    vpc = ctx.topo.vpc(src.subnet.vpc_id)
    endpoints = ctx.topo.endpoints_in_vpc(src.subnet.vpc_id)
    region = _service_region(ctx)
    other_region = (
        region is not None and ctx.account.region is not None and region != ctx.account.region
    )
    if other_region:
        p.add(
            ctx.target.host,
            "dns",
            SKIP,
            "VPCE_OTHER_REGION",
            f"{ctx.target.host} is in {region}; endpoints in {ctx.account.region} do not "
            "serve it: the internet path applies.",
        )
        endpoints = ()
    if not other_region and not ctx.account.has("describe-vpc-endpoints"):
        # Which path the traffic takes (interface endpoint, gateway endpoint route, or the
        # internet) is decided by endpoints the snapshot does not list: any verdict taken
        # from the internet path alone could be wrong either way.
        p.add(
            src.subnet.vpc_id,
            "vpc-endpoint",
            UNKNOWN,
            "VPCE_UNKNOWN",
            f"Whether a VPC endpoint of {src.subnet.vpc_id} serves {service} (which decides "
            "the path) is not known: the snapshot has no VPC endpoints output.",
            needs=needs(ctx.account, "describe-vpc-endpoints"),
        )
        return
    interface = [
        e for e in endpoints if e.type is EndpointType.INTERFACE and e.service_short_name == service
    ]
    gateway = [
        e for e in endpoints if e.type is EndpointType.GATEWAY and e.service_short_name == service
    ]
    global_sts = ctx.target.host == "sts.amazonaws.com"
    specific = next((e for e in interface if _names_endpoint(ctx.target.host, e)), None)
    if specific is not None:
        # An endpoint-specific name (vpce-….<service>.<region>.vpce.amazonaws.com) resolves to
        # the endpoint's interfaces whatever private DNS says (privatelink-access-aws-services).
        _interface_endpoint_path(ctx, p, src, specific)
        return
    for vpce in interface:
        if global_sts:
            p.add(
                vpce.id,
                "vpc-endpoint",
                SKIP,
                "VPCE_GLOBAL_ENDPOINT",
                f"{vpce.id} serves the Regional STS endpoint; sts.amazonaws.com (the global "
                "name) still resolves to public addresses. Call sts.<region>.amazonaws.com.",
            )
            break
        if not vpce.private_dns_enabled:
            shown = ctx.target.host if "." in ctx.target.host else service
            p.add(
                vpce.id,
                "vpc-endpoint",
                SKIP,
                "VPCE_PRIVATE_DNS_DISABLED",
                f"{vpce.id} has private DNS off: {shown} "
                "resolves to the service's public addresses, not to the endpoint (only its "
                "own vpce-… names reach it).",
                evidence=[(vpce.id, "PrivateDnsEnabled=false")],
                fix=f"aws ec2 modify-vpc-endpoint --vpc-endpoint-id {vpce.id} "
                "--private-dns-enabled",
            )
            p.promotable.append(len(p.hops) - 1)
            continue
        support = vpc.enable_dns_support if vpc else None
        hostnames = vpc.enable_dns_hostnames if vpc else None
        if support is False or hostnames is False:
            off = [
                n
                for n, v in (("enableDnsSupport", support), ("enableDnsHostnames", hostnames))
                if v is False
            ]
            p.add(
                src.subnet.vpc_id,
                "vpc",
                SKIP,
                "DNS_PRIVATE_DNS_NEEDS_DNS_HOSTNAMES"
                if hostnames is False
                else "DNS_PRIVATE_DNS_NEEDS_DNS_SUPPORT",
                f"{vpce.id} has private DNS on, but {src.subnet.vpc_id} has "
                f"{' and '.join(off)} off: private DNS needs both, so the service name "
                "resolves to public addresses and the traffic takes the internet path.",
                evidence=[(src.subnet.vpc_id, f"{n}=false") for n in off],
                fix="; ".join(
                    f"aws ec2 modify-vpc-attribute --vpc-id {src.subnet.vpc_id} "
                    f"--{_ATTRIBUTE_FLAGS[n]}"
                    for n in off
                ),
            )
            p.promotable.append(len(p.hops) - 1)
            ctx.fix_hint = (
                f"or turn on {' and '.join(off)} of {src.subnet.vpc_id} so {vpce.id} is used"
            )
            continue
        if support is None or hostnames is None:
            p.add(
                src.subnet.vpc_id,
                "vpc",
                UNKNOWN,
                "VPC_DNS_ATTRIBUTES_UNKNOWN",
                f"{vpce.id} has private DNS on; whether it applies depends on "
                f"{src.subnet.vpc_id}'s enableDnsSupport and enableDnsHostnames, which are "
                "not in the snapshot.",
                needs=needs(
                    ctx.account, "describe-vpc-attribute-enableDnsHostnames", src.subnet.vpc_id
                ),
            )
        _interface_endpoint_path(ctx, p, src, vpce)
        return
    # Gateway endpoint: a prefix-list route in the subnet's table (more specific than 0/0).
    gw_pls: set[str] = set()
    rtb = ctx.topo.route_table_of(src.subnet.id)
    if gateway and rtb is not None:
        for e in ctx.topo.routes(rtb.id):
            if e.route.prefix_list_id and any(e.route.target_id == g.id for g in gateway):
                gw_pls.add(e.route.prefix_list_id)
        if not gw_pls:
            g = gateway[0]
            p.add(
                g.id,
                "vpc-endpoint",
                SKIP,
                "VPCE_NOT_ASSOCIATED",
                f"Gateway endpoint {g.id} ({service}) is not associated with {rtb.id}, the "
                f"route table of {src.subnet.id}: its traffic follows the default route.",
                evidence=[(g.id, f"RouteTableIds={','.join(g.route_table_ids) or 'none'}")],
                fix=f"aws ec2 modify-vpc-endpoint --vpc-endpoint-id {g.id} "
                f"--add-route-table-ids {rtb.id}",
            )
            ctx.fix_hint = (
                f"or aws ec2 modify-vpc-endpoint --vpc-endpoint-id {g.id} "
                f"--add-route-table-ids {rtb.id}"
            )
    if not interface and not gateway and not other_region and service not in GATEWAY_SERVICES:
        ctx.fix_hint = ctx.fix_hint or (
            f"or aws ec2 create-vpc-endpoint --vpc-id {src.subnet.vpc_id} --vpc-endpoint-type "
            f"Interface --service-name com.amazonaws.{ctx.account.region or '<region>'}."
            f"{service} --subnet-ids {src.subnet.id} --security-group-ids <sg allowing 443 "
            "from the function> --private-dns-enabled"
        )
    elif not gateway and service in GATEWAY_SERVICES and not other_region:
        ctx.fix_hint = ctx.fix_hint or (
            f"or aws ec2 create-vpc-endpoint --vpc-id {src.subnet.vpc_id} --service-name "
            f"com.amazonaws.{ctx.account.region or '<region>'}.{service} --route-table-ids "
            f"{rtb.id if rtb else '<rtb>'} (a gateway endpoint, no charge)"
        )
    nets: tuple[IPNetwork, ...] = ()
    for pl in gw_pls:
        entries = ctx.account.prefix_list_cidrs(pl)
        if entries:
            nets = tuple(entries)
    dest = Endpoint.public(label=f"{service} (public endpoint)", prefix_lists=gw_pls, nets=nets)
    _to_address(ctx, p, src, dest)
    p.promote()


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def destination_for(target: Target, address: str | None = None) -> Endpoint:
    """The endpoint a target (or one of its resolved addresses) stands for."""
    if address is None:
        address = target.ip
    if address is not None:
        return Endpoint.address(
            address, f"{target.host} ({address})" if target.host != address else address
        )
    return Endpoint.public(label="the internet" if target.host == "internet" else target.host)


def evaluate(
    account: Account,
    fn: LambdaFunction,
    target: Target,
    *,
    addresses: Sequence[str] | None = None,
    prefix_hops: Sequence[Hop] = (),
    extra_warnings: Sequence[Warning] = (),
) -> CheckResult:
    """Evaluate every path of ``fn`` to ``target``.

    Args:
        addresses: resolved addresses of a host-name target (the DNS simulation's answer); the
            worst path over the addresses is kept per subnet. None: the target itself.
        prefix_hops: hops that come first on every path (the DNS steps).
        extra_warnings: warnings to report alongside the engine's.
    """
    topo = topology(account)
    ctx = _Ctx(
        topo=topo,
        account=account,
        fn=fn,
        target=target,
        port=target.port,
        protocol="17" if target.protocol == "udp" else "6",
    )
    state = _state_hop(ctx)
    warnings: list[Warning] = list(extra_warnings)
    paths: list[PathResult] = []

    def one_path(subnet_id: str | None, dest: Endpoint | None) -> tuple[_Path, str | None]:
        p = _Path(hops=list(prefix_hops))
        p.hops.append(state)
        az = None
        ctx.fix_hint = ""
        if subnet_id is None:
            _outside_vpc(ctx, p, target, dest)
            return p, None
        src = _source(ctx, p, subnet_id)
        if src is None:
            return p, None
        az = src.subnet.az
        if target.kind is TargetKind.AWS_SERVICE and dest is None:
            _to_service(ctx, p, src)
        elif dest is not None:
            _to_address(ctx, p, src, dest)
        return p, az

    dests: list[Endpoint | None]
    if addresses is not None:
        dests = [destination_for(target, a) for a in addresses]
    elif target.kind is TargetKind.AWS_SERVICE:
        dests = [None]
    else:
        dests = [destination_for(target)]
    subnet_ids: Sequence[str | None] = (
        fn.vpc.subnet_ids if fn.vpc is not None and fn.vpc.subnet_ids else [None]
    )
    for subnet_id in subnet_ids:
        best: tuple[Verdict, _Path, str | None] | None = None
        for dest in dests or [None]:
            p, az = one_path(subnet_id, dest)
            hops = _settle_state(p.hops)
            verdict = path_verdict(hops)
            rank = {Verdict.UNREACHABLE: 2, Verdict.UNKNOWN: 1, Verdict.REACHABLE: 0}[verdict]
            if (
                best is None
                or rank
                > {Verdict.UNREACHABLE: 2, Verdict.UNKNOWN: 1, Verdict.REACHABLE: 0}[best[0]]
            ):
                p.hops = hops
                best = (verdict, p, az)
        assert best is not None
        verdict, p, az = best
        if subnet_id is not None and az is None:
            sub = account.subnets.get(subnet_id)
            az = sub.az if sub else None
        paths.append(PathResult(subnet=subnet_id, az=az, verdict=verdict, hops=tuple(p.hops)))
        for w in p.warnings:
            if all((w.code, w.resource) != (x.code, x.resource) for x in warnings):
                warnings.append(w)
    verdict = combine([p.verdict for p in paths])
    warnings.extend(_account_warnings(ctx, paths))
    if verdict is Verdict.UNREACHABLE and any(p.verdict is Verdict.REACHABLE for p in paths):
        failing = [p.subnet or "?" for p in paths if p.verdict is not Verdict.REACHABLE]
        warnings.append(
            Warning(
                code="SOME_SUBNETS_FAIL",
                detail=f"Only some subnets reach {target.input}: "
                f"{', '.join(failing)} do not, so invocations fail depending on "
                "the AZ they land in.",
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


def _settle_state(hops: list[Hop]) -> list[Hop]:
    """An unknown Lambda state matters only when nothing else fails: then it decides."""
    if any(h.status is FAIL for h in hops):
        return [replace(h, status=SKIP) if h.code == "LAMBDA_STATE_UNKNOWN" else h for h in hops]
    return hops


def _outside_vpc(ctx: _Ctx, p: _Path, target: Target, dest: Endpoint | None) -> None:
    fn = ctx.fn.name
    private = dest is not None and _dest_private(dest)
    if target.kind is TargetKind.PRIVATE_IP or private:
        p.add(
            fn,
            "lambda",
            FAIL,
            "LAMBDA_NOT_IN_VPC",
            f"{fn} is not attached to a VPC: it runs in Lambda's own network and cannot reach "
            f"private addresses such as {dest.label if dest else target.host}.",
            fix=f"aws lambda update-function-configuration --function-name {fn} --vpc-config "
            "SubnetIds=<private subnets, one per AZ>,SecurityGroupIds=<sg>",
        )
        return
    p.add(
        fn,
        "lambda",
        PASS,
        "LAMBDA_MANAGED_NETWORK",
        f"{fn} is not attached to a VPC: Lambda's own network gives it internet access and "
        "public AWS endpoints.",
    )
    p.add(
        "internet",
        "internet",
        PASS,
        "INTERNET",
        f"Reaches {dest.label if dest else target.host} from Lambda's network.",
    )


def _account_warnings(ctx: _Ctx, paths: Sequence[PathResult]) -> list[Warning]:
    out: list[Warning] = []
    fn = ctx.fn
    if fn.vpc is not None and fn.vpc.subnet_ids:
        azs = {s.az for sid in fn.vpc.subnet_ids if (s := ctx.topo.subnet(sid)) is not None}
        if len(azs) == 1:
            out.append(
                Warning(
                    code="SINGLE_AZ",
                    detail=f"{fn.name} uses subnets in one AZ only "
                    f"({next(iter(azs))}): an AZ outage stops it. Add a subnet in "
                    "another AZ (Security Hub Lambda.5).",
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


def is_private_target_address(address: str) -> bool:
    """True when a resolved address is private (so the private-address rules apply)."""
    return bool(is_private_address(ipaddress.ip_address(address)))
