"""Fixes the hop handlers share, as ranked options of real, shell-safe AWS CLI commands.

Every value from the snapshot goes into a command through :mod:`vpcdoctor.graph.model.commands`
(checked for its kind, quoted). Placeholders (``<nat-gateway>``) appear only where the account
cannot know the value. Filter rules are in :mod:`.fixes_filters`, a function's subnets in
:mod:`.fixes_subnets`.
"""

from __future__ import annotations

from collections.abc import Callable

from vpcdoctor.graph.engine.endpoint import Endpoint
from vpcdoctor.graph.engine.network import Network
from vpcdoctor.graph.engine.walk import Walk
from vpcdoctor.graph.model import (
    InternetGateway,
    NatConnectivity,
    NatGateway,
    NatState,
    Route,
    RouteState,
    Subnet,
)
from vpcdoctor.graph.model.commands import Arg, Cmd, Command, Var, aws
from vpcdoctor.graph.model.verdict import FixOption

# --------------------------------------------------------------------------------------------
# Pieces of commands
# --------------------------------------------------------------------------------------------


def route_destination(route: Route) -> tuple[str, Arg]:
    """The destination option naming an existing route (replace-route, delete-route)."""
    if route.prefix_list_id:
        return "--destination-prefix-list-id", Arg("prefix-list", route.prefix_list_id)
    if route.destination is not None and route.destination.version == 6:
        return "--destination-ipv6-cidr-block", Arg("cidr", route.destination)
    return "--destination-cidr-block", Arg("cidr", route.destination)


def default_route(version: int = 4) -> tuple[str, Arg]:
    if version == 6:
        return "--destination-ipv6-cidr-block", Arg("cidr", "::/0")
    return "--destination-cidr-block", Arg("cidr", "0.0.0.0/0")


# --------------------------------------------------------------------------------------------
# NAT gateways: where a function's internet traffic should go
# --------------------------------------------------------------------------------------------


def in_vpc(net: Network, vpc_id: str, cls: type) -> list[object]:
    """Records of one class whose node has an ``in-vpc`` edge to ``vpc_id``."""
    return list(net.in_vpc(vpc_id, cls))


def usable_nats(net: Network, vpc_id: str) -> list[NatGateway]:
    """NAT gateways a fix may send traffic to: available, public, and working — their own
    subnet routes 0.0.0.0/0 to an internet gateway attached to the VPC (a NAT placed in a
    private subnet is no way out: vpc-nat-gateway.html)."""
    return [
        n
        for n in in_vpc(net, vpc_id, NatGateway)
        if isinstance(n, NatGateway)
        and n.state is NatState.AVAILABLE
        and n.connectivity is NatConnectivity.PUBLIC
        and _reaches_igw(net, n)
    ]


def _reaches_igw(net: Network, nat: NatGateway) -> bool:
    rtb = net.route_table_of(nat.subnet_id)
    if rtb is None:
        return False
    return any(
        e.route.destination is not None
        and e.route.destination.prefixlen == 0
        and e.route.destination.version == 4
        and e.route.state is RouteState.ACTIVE
        and isinstance(e.obj, InternetGateway)
        and net.attached(e.obj.id, nat.vpc_id)
        for e in net.routes(rtb.id)
    )


def table_of(net: Network, subnet_id: str) -> str | None:
    rtb = net.route_table_of(subnet_id)
    return rtb.id if rtb else None


def suggest_nat(net: Network, subnet: Subnet, rtb_id: str) -> NatGateway | None:
    """A NAT gateway the table could route to: never one whose own subnet uses that table
    (pointing a NAT's own subnet at the NAT loops it onto itself and cuts its internet)."""
    nats = [n for n in usable_nats(net, subnet.vpc_id) if table_of(net, n.subnet_id) != rtb_id]
    same_az = [n for n in nats if (s := net.subnet(n.subnet_id)) and s.az == subnet.az]
    candidates = same_az or nats
    return candidates[0] if candidates else None


def nat_subnets(
    net: Network,
    vpc_id: str,
    avoid_rtb: str,
    mine: set[str],
    works: Callable[[Subnet], bool] | None = None,
) -> list[Subnet]:
    """Subnets of the VPC whose table sends 0.0.0.0/0 to a working public NAT gateway, one per
    AZ (the function's own AZs first): where a function belongs. ``works`` says whether the
    function's traffic would get through from a subnet (its network ACL, its routes): a subnet
    it does not is only taken when no other in its AZ does."""
    usable = {n.id for n in usable_nats(net, vpc_id)}
    by_az: dict[str, list[Subnet]] = {}
    for sub in sorted(net.subnets_in(vpc_id), key=lambda s: s.id):
        rtb = net.route_table_of(sub.id)
        if rtb is None or rtb.id == avoid_rtb:
            continue
        if any(
            r.destination is not None
            and str(r.destination) == "0.0.0.0/0"
            and r.state is RouteState.ACTIVE
            and r.target_id in usable
            for r in rtb.routes
        ):
            by_az.setdefault(sub.az, []).append(sub)
    chosen = []
    for subs in by_az.values():
        # Room for new ENIs first (a full subnet gives Lambda no address: the function fails).
        subs.sort(key=lambda s: s.available_ips is not None and s.available_ips < 16)
        good = [s for s in subs if works(s)] if works is not None else subs
        chosen.append((good or subs)[0])
    return sorted(chosen, key=lambda s: (s.az not in mine, s.az))


def _works_from(w: Walk) -> Callable[[Subnet], bool] | None:
    """Would the walk's packet get through from another subnet of the VPC (same groups)?
    A walk from the candidate subnet's range, through the engine itself; not nested further."""
    if w.nested or w.fn is None or w.fn.vpc is None:
        return None
    from vpcdoctor.graph.engine.destinations import Destination
    from vpcdoctor.graph.engine.evaluate import trace
    from vpcdoctor.graph.model.verdict import Verdict

    groups = tuple(w.fn.vpc.security_group_ids)
    dest = (
        w.destination
        if isinstance(w.destination, Destination)
        else Destination(endpoint=w.packet.dst)
    )

    def works(sub: Subnet) -> bool:
        if sub.cidr is None:
            return False
        _, verdict = trace(
            w.net,
            subnet=sub.id,
            source=Endpoint.network(sub.cidr),
            groups=groups,
            owner="the function",
            destination=dest,
            protocol=w.packet.protocol,
            port=w.packet.port,
            nested=True,
        )
        return verdict is Verdict.REACHABLE

    return works


def igw_of(net: Network, vpc_id: str) -> InternetGateway | None:
    for igw in in_vpc_gateways(net, vpc_id):
        return igw
    return None


def in_vpc_gateways(net: Network, vpc_id: str) -> list[InternetGateway]:
    return [
        g for n in net.gateways_attached(vpc_id) if isinstance(g := net.obj(n), InternetGateway)
    ]


def public_subnet(net: Network, vpc_id: str, az: str) -> Subnet | None:
    """A subnet of the VPC whose table sends 0.0.0.0/0 to an attached internet gateway (the
    function's AZ first): where a NAT gateway belongs."""
    found = _public_subnets(net, vpc_id)
    found.sort(key=lambda s: s.az != az)
    return found[0] if found else None


def _public_subnets(net: Network, vpc_id: str) -> list[Subnet]:
    """Subnets of the VPC whose table sends 0.0.0.0/0 to an attached internet gateway."""
    found = []
    for sub in sorted(net.subnets_in(vpc_id), key=lambda s: s.id):
        rtb = net.route_table_of(sub.id)
        if rtb is None:
            continue
        if any(
            e.route.destination is not None
            and e.route.destination.prefixlen == 0
            and e.route.destination.version == 4
            and e.route.state is RouteState.ACTIVE
            and isinstance(e.obj, InternetGateway)
            and net.attached(e.obj.id, vpc_id)
            for e in net.routes(rtb.id)
        ):
            found.append(sub)
    return found


def new_nat_option(
    net: Network, subnet: Subnet, rtb_id: str, verb: str, dest: tuple[str, Arg]
) -> FixOption:
    """Allocate an Elastic IP, create a NAT gateway in a public subnet of the VPC (the
    function's AZ when it has one) and route the table to it, each id passed on. A VPC without
    a public subnet gets one first: an internet gateway (the attached one, else a new one), a
    free /24 in the function's AZ, and a route table sending 0.0.0.0/0 to the gateway."""
    public = public_subnet(net, subnet.vpc_id, subnet.az)
    commands: list[Command] = []
    where: Arg | Var
    if public is not None:
        where = Arg("subnet", public.id)
        place = public.id
    else:
        commands = _public_subnet_commands(net, subnet)
        if not commands:
            return FixOption(
                summary=f"create a NAT gateway in a public subnet of {subnet.vpc_id} (it has "
                "none, and no free range for one) and send its internet traffic there",
                commands=(),
            )
        where = Var("PUBLIC_SUBNET")
        place = f"a new public subnet in {subnet.az}"
    commands += [
        aws(
            "ec2",
            "allocate-address",
            "--domain",
            "vpc",
            "--query",
            "AllocationId",
            "--output",
            "text",
            capture="EIP",
        ),
        aws(
            "ec2",
            "create-nat-gateway",
            "--subnet-id",
            where,
            "--allocation-id",
            Var("EIP"),
            "--query",
            "NatGateway.NatGatewayId",
            "--output",
            "text",
            capture="NAT",
        ),
        aws("ec2", "wait", "nat-gateway-available", "--nat-gateway-ids", Var("NAT")),
        nat_route(verb, rtb_id, dest, Var("NAT")),
    ]
    return FixOption(
        summary=f"create a NAT gateway in {place} and send {rtb_id}'s internet traffic to it",
        commands=tuple(commands),
    )


def nat_route(verb: str, rtb_id: str, dest: tuple[str, Arg], nat: Arg | Var) -> Command:
    """``aws ec2 create-route|replace-route`` sending ``dest`` of the table to a NAT gateway."""
    return aws(
        "ec2", verb, "--route-table-id", Arg("route-table", rtb_id), dest, "--nat-gateway-id", nat
    )


def _public_subnet_commands(net: Network, subnet: Subnet) -> list[Command]:
    """Commands that give the VPC a public subnet in ``subnet``'s AZ (``$PUBLIC_SUBNET``)."""
    vpc_id = subnet.vpc_id
    cidr = _free_excluding(net, vpc_id, [])
    if cidr is None:
        return []
    commands: list[Command] = []
    igw = next(iter(in_vpc_gateways(net, vpc_id)), None)
    gateway: Arg | Var
    if igw is not None:
        gateway = Arg("internet-gateway", igw.id)
    else:
        gateway = Var("IGW")
        commands += [
            aws(
                "ec2",
                "create-internet-gateway",
                "--query",
                "InternetGateway.InternetGatewayId",
                "--output",
                "text",
                capture="IGW",
            ),
            aws(
                "ec2",
                "attach-internet-gateway",
                "--internet-gateway-id",
                Var("IGW"),
                "--vpc-id",
                Arg("vpc", vpc_id),
            ),
        ]
    commands += [
        aws(
            "ec2",
            "create-subnet",
            "--vpc-id",
            Arg("vpc", vpc_id),
            "--availability-zone",
            Arg("availability-zone", subnet.az),
            "--cidr-block",
            Arg("cidr", cidr),
            "--query",
            "Subnet.SubnetId",
            "--output",
            "text",
            capture="PUBLIC_SUBNET",
        ),
        aws(
            "ec2",
            "create-route-table",
            "--vpc-id",
            Arg("vpc", vpc_id),
            "--query",
            "RouteTable.RouteTableId",
            "--output",
            "text",
            capture="PUBLIC_RTB",
        ),
        aws(
            "ec2",
            "create-route",
            "--route-table-id",
            Var("PUBLIC_RTB"),
            "--destination-cidr-block",
            "0.0.0.0/0",
            "--gateway-id",
            gateway,
        ),
        aws(
            "ec2",
            "associate-route-table",
            "--route-table-id",
            Var("PUBLIC_RTB"),
            "--subnet-id",
            Var("PUBLIC_SUBNET"),
        ),
    ]
    return commands


def vpc_config(w: Walk, subnets: list[str]) -> Command:
    """``aws lambda update-function-configuration --vpc-config`` keeping the function's groups
    (``--vpc-config`` replaces the whole configuration: repeat what stays)."""
    fn = w.fn
    assert fn is not None and fn.vpc is not None
    w.personal = True  # names the function: this walk is not shared with others
    c = Cmd("lambda", "update-function-configuration")
    c.opt("--function-name", "function-name", fn.name)
    ids = ",".join(c.val("subnet", s) for s in subnets)
    groups = ",".join(c.val("security-group", g) for g in fn.vpc.security_group_ids)
    c.raw("--vpc-config", f"SubnetIds={ids},SecurityGroupIds={groups or '<security-group>'}")
    return c.build()


def internet_fix(
    w: Walk, subnet: Subnet, rtb_id: str, *, replace_route: bool, route: Route | None = None
) -> list[FixOption]:
    """Route the table's internet traffic to a NAT gateway. ``route``: the route that decided
    (replace that one: with a more specific route than 0.0.0.0/0 winning, replacing 0.0.0.0/0
    would change nothing)."""
    net = w.net
    verb = "replace-route" if replace_route else "create-route"
    dest = route_destination(route) if replace_route and route is not None else default_route()
    options: list[FixOption] = []
    nat_tables = {table_of(net, n.subnet_id) for n in usable_nats(net, subnet.vpc_id)}
    fn = w.fn
    mine = {s.az for sid in (fn.vpc.subnet_ids if fn and fn.vpc else ()) if (s := net.subnet(sid))}
    if rtb_id in nat_tables and fn is not None and fn.vpc is not None:
        w.personal = True
        # The function sits in the subnets the NAT gateways themselves use: changing this
        # table's default route would cut the NATs off. Move the function instead.
        targets = nat_subnets(net, subnet.vpc_id, rtb_id, mine, _works_from(w))
        if targets:
            options.append(
                FixOption(
                    summary=f"move {fn.name} to private subnets whose default route is a NAT "
                    "gateway (one per AZ)",
                    commands=(vpc_config(w, [s.id for s in targets]),),
                )
            )
        else:
            nat = suggest_nat(net, subnet, "")
            options.append(
                FixOption(
                    summary=f"create a private route table in {subnet.vpc_id} with "
                    f"0.0.0.0/0 → {nat.id if nat else 'a NAT gateway'}, associate it with "
                    f"private subnets (one per AZ) and move {fn.name} there; {rtb_id} must "
                    "keep its internet gateway route for the NAT gateways",
                    commands=(
                        aws("ec2", "create-route-table", "--vpc-id", Arg("vpc", subnet.vpc_id)),
                    ),
                )
            )
    else:
        nat = suggest_nat(net, subnet, rtb_id)
        if nat is not None:
            options.append(
                FixOption(
                    summary=f"send {rtb_id}'s internet traffic to {nat.id}",
                    commands=(nat_route(verb, rtb_id, dest, Arg("nat-gateway", nat.id)),),
                )
            )
        else:
            options.append(new_nat_option(net, subnet, rtb_id, verb, dest))
    # An endpoint that would carry the traffic is narrower (and, a gateway endpoint, free) than a
    # route to the internet: it comes first (issue 15: cheapest and narrowest first).
    return [*w.alternatives, *options]


def _free_excluding(net: Network, vpc_id: str, taken: list[str]) -> str | None:
    """The first /24 (else /25 … /28) of the VPC's CIDRs that no subnet and nothing in
    ``taken`` overlaps: aligned blocks are scanned, jumping past each used range."""
    import ipaddress

    vpc = net.vpc(vpc_id)
    if vpc is None:
        return None
    used = sorted(
        (int(n.network_address), int(n.broadcast_address))
        for n in [*(s.cidr for s in net.subnets_in(vpc_id) if s.cidr is not None)]
        + [ipaddress.ip_network(t) for t in taken]
        if n.version == 4
    )
    for block in vpc.cidrs:
        lo, hi = int(block.network_address), int(block.broadcast_address)
        for prefixlen in (24, 25, 26, 27, 28):
            if block.prefixlen > prefixlen:
                continue
            size = 1 << (32 - prefixlen)
            start = lo
            for u_lo, u_hi in used:
                if u_hi < start:
                    continue
                if start + size - 1 < u_lo:
                    break
                start = ((u_hi + 1 + size - 1) // size) * size  # the next aligned block past it
            if start + size - 1 <= hi:
                return str(ipaddress.IPv4Network((start, prefixlen)))
    return None
