"""Fixes for a function's subnets: room for its ENIs, a free range for a new subnet, and the
attachment of a function that is not in a VPC at all (split from :mod:`.fixes`)."""

from __future__ import annotations

import ipaddress

from vpcdoctor.graph.engine.fixes import (
    _free_excluding,
    _public_subnets,
    table_of,
    vpc_config,
)
from vpcdoctor.graph.engine.network import Network
from vpcdoctor.graph.engine.walk import Walk
from vpcdoctor.graph.model import (
    Subnet,
)
from vpcdoctor.graph.model.commands import Arg, Cmd, Command, Var, aws
from vpcdoctor.graph.model.verdict import FixOption

# --------------------------------------------------------------------------------------------
# Subnets: room for a function's ENIs, and a free range for a new one
# --------------------------------------------------------------------------------------------


def subnets_with_room(
    net: Network, vpc_id: str, azs: list[str], like: list[str], *, need: int = 16
) -> list[Subnet]:
    """One subnet per AZ of ``azs`` with at least ``need`` free addresses, preferring subnets that
    use the same route table as those in ``like`` (so the function's paths stay the same)."""
    tables = {table_of(net, s) for s in like}
    chosen: list[Subnet] = []
    for az in azs:
        room = [
            s
            for s in sorted(net.subnets_in(vpc_id), key=lambda s: s.id)
            if s.az == az and s.id not in like and (s.available_ips or 0) >= need
        ]
        room.sort(key=lambda s: table_of(net, s.id) not in tables)
        if room and table_of(net, room[0].id) in tables:
            chosen.append(room[0])
    return chosen


def room_fix(w: Walk, reason: str) -> list[FixOption]:
    """A function whose subnets are full: move it to subnets with room, or make one."""
    fn = w.fn
    net = w.net
    if fn is None or fn.vpc is None or not fn.vpc.subnet_ids:
        return []
    current = [s for sid in fn.vpc.subnet_ids if (s := net.subnet(sid)) is not None]
    if not current:
        return []
    vpc_id = current[0].vpc_id
    azs = sorted({s.az for s in current})
    options: list[FixOption] = []
    room = subnets_with_room(net, vpc_id, azs, [s.id for s in current])
    if len(room) == len(azs):
        options.append(
            FixOption(
                summary=f"move {fn.name} to subnets with free addresses that use the same route "
                f"tables ({', '.join(s.id for s in room)})",
                commands=(vpc_config(w, [s.id for s in room]),),
            )
        )
    commands: list[Command] = []
    new_names: list[str] = []
    taken: list[str] = []
    for n, sub in enumerate(current):
        if sub.az in {net.subnet(x).az for x in taken if net.subnet(x)}:  # type: ignore[union-attr]
            continue
        cidr = _free_excluding(net, vpc_id, taken)
        if cidr is None:
            break
        var = f"SUBNET_{n + 1}"
        commands.append(
            aws(
                "ec2",
                "create-subnet",
                "--vpc-id",
                Arg("vpc", vpc_id),
                "--availability-zone",
                Arg("availability-zone", sub.az),
                "--cidr-block",
                Arg("cidr", cidr),
                "--query",
                "Subnet.SubnetId",
                "--output",
                "text",
                capture=var,
            )
        )
        rtb = table_of(net, sub.id)
        if rtb is not None:
            commands.append(
                aws(
                    "ec2",
                    "associate-route-table",
                    "--route-table-id",
                    Arg("route-table", rtb),
                    "--subnet-id",
                    Var(var),
                )
            )
        new_names.append(var)
        taken.append(cidr)
    if commands and fn.vpc is not None:
        c = Cmd("lambda", "update-function-configuration")
        c.opt("--function-name", "function-name", fn.name)
        ids = ",".join(c.var(v) for v in new_names)
        groups = ",".join(c.val("security-group", g) for g in fn.vpc.security_group_ids)
        c.raw("--vpc-config", f"SubnetIds={ids},SecurityGroupIds={groups}")
        commands.append(c.build())
        options.append(
            FixOption(
                summary=f"create a /24 subnet per AZ in {vpc_id} (free ranges of the VPC), route "
                f"it like today's, and move {fn.name} there ({reason})",
                commands=tuple(commands),
            )
        )
    return options


def attach_to_vpc(net: Network, fn_name: str, address: str) -> FixOption:
    """Attach a function that has no VPC to the VPC holding ``address``, configured like a
    function already there: a security group the address's own groups admit by reference (else
    one another function there uses), and the subnets of a function with that group (private
    ones, one per AZ)."""
    c = Cmd("lambda", "update-function-configuration")
    c.opt("--function-name", "function-name", fn_name)
    vpcs = net.vpcs_holding(ipaddress.ip_address(address))
    if not vpcs:
        c.raw("--vpc-config", f"SubnetIds={_SUBNETS},SecurityGroupIds=<security-group>")
        summary = f"attach {fn_name} to the VPC that reaches {address}"
        return FixOption(summary=summary, commands=(c.build(),))
    vpc_id = sorted(vpcs)[0]
    peers = sorted(
        (
            f
            for f in net.account.functions.values()
            if f.vpc is not None
            and f.vpc.subnet_ids
            and f.name != fn_name
            and f.vpc_id_via(net.vpc_of) == vpc_id
        ),
        key=lambda f: f.name,
    )
    group = _admitted_group(net, vpc_id, address) or next(
        (g for f in peers if f.vpc is not None for g in sorted(f.vpc.security_group_ids)), None
    )
    like = [f for f in peers if f.vpc is not None and group in f.vpc.security_group_ids]
    used = [s for f in like or peers if f.vpc is not None for s in f.vpc.subnet_ids]
    public = {s.id for s in _public_subnets(net, vpc_id)}
    per_az: dict[str, str] = {}
    for subnet_id in [*used, *sorted(s.id for s in net.subnets_in(vpc_id))]:
        sub = net.subnet(subnet_id)
        if sub is not None and sub.vpc_id == vpc_id and sub.id not in public:
            per_az.setdefault(sub.az, sub.id)
    ids = ",".join(c.val("subnet", per_az[az]) for az in sorted(per_az)[:3]) or _SUBNETS
    sgs = c.val("security-group", group) if group else "<security-group>"
    c.raw("--vpc-config", f"SubnetIds={ids},SecurityGroupIds={sgs}")
    return FixOption(
        summary=f"attach {fn_name} to {vpc_id}, which holds {address}"
        + (f", like {like[0].name}" if like else ""),
        commands=(c.build(),),
    )


_SUBNETS = "<private-subnets-one-per-az>"


def _admitted_group(net: Network, vpc_id: str, address: str) -> str | None:
    """A group of ``vpc_id`` that the groups of the ENI holding ``address`` admit by reference."""
    eni = net.eni_at(vpc_id, ipaddress.ip_address(address))
    for group_id in sorted(eni.security_group_ids if eni else ()):
        sg = net.security_group(group_id)
        for rule in sg.ingress if sg else ():
            ref = net.security_group(rule.referenced_group_id or "")
            if ref is not None and ref.vpc_id == vpc_id:
                return ref.id
    return None
