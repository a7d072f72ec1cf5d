"""What each fix costs and what else it changes, added to a check's fix options.

The engine ranks fixes and builds their commands; this pass reads them as a person deciding at
3 a.m. would: a NAT gateway is billed per hour and per GB, an interface endpoint per AZ-hour
(``knowledge/prices.toml``, through :func:`vpcdoctor.diagnostics.plan.cost_note`), and a change
to a route table, a security group or a network ACL also changes the path of every other
function that uses it.
"""

from __future__ import annotations

from dataclasses import replace

from vpcdoctor.graph.engine.network import Network
from vpcdoctor.graph.model.commands import Command
from vpcdoctor.graph.model.verdict import CheckResult, FixOption, Hop

_MAX_NAMED = 8

_SHARED_BY: dict[str, tuple[str, str]] = {
    # operation → (the option naming what it changes, what that is)
    "create-route": ("--route-table-id", "route table"),
    "replace-route": ("--route-table-id", "route table"),
    "delete-route": ("--route-table-id", "route table"),
    "authorize-security-group-ingress": ("--group-id", "security group"),
    "authorize-security-group-egress": ("--group-id", "security group"),
    "revoke-security-group-ingress": ("--group-id", "security group"),
    "revoke-security-group-egress": ("--group-id", "security group"),
    "create-network-acl-entry": ("--network-acl-id", "network ACL"),
    "replace-network-acl-entry": ("--network-acl-id", "network ACL"),
    "delete-network-acl-entry": ("--network-acl-id", "network ACL"),
    "associate-route-table": ("--subnet-id", "subnet"),
    "replace-route-table-association": ("--subnet-id", "subnet"),
}


def _option_value(argv: tuple[str, ...], option: str) -> str | None:
    for i, word in enumerate(argv[:-1]):
        if word == option:
            return argv[i + 1]
    return None


def _users(net: Network, option: str, resource: str) -> list[str]:
    """Functions whose path goes through ``resource`` (a route table, a group, an ACL), read
    from the graph like every other topology question."""
    out = []
    for fn in net.account.functions.values():
        if fn.vpc is None:
            continue
        if option == "--group-id":
            if resource in fn.vpc.security_group_ids:
                out.append(fn.name)
            continue
        if option == "--subnet-id":
            if resource in fn.vpc.subnet_ids:
                out.append(fn.name)
            continue
        for subnet in fn.vpc.subnet_ids:
            if option == "--route-table-id":
                rtb = net.route_table_of(subnet)
                hit = rtb is not None and rtb.id == resource
            else:
                acl = net.nacl_of(subnet)
                hit = acl is not None and acl.id == resource
            if hit:
                out.append(fn.name)
                break
    return sorted(set(out))


def affects(net: Network, commands: tuple[Command, ...], function: str) -> tuple[str, ...]:
    """One line per shared resource the commands change, naming the other functions on it."""
    lines = []
    for command in commands:
        found = _SHARED_BY.get(command.argv[2] if len(command.argv) > 2 else "")
        if found is not None:
            option, what = found
            resource = _option_value(command.argv, option)
            if resource is None or resource.startswith(("<", "$")):
                continue
            others = [f for f in _users(net, option, resource) if f != function]
            if not others:
                continue
            shown = ", ".join(others[:_MAX_NAMED])
            more = f" and {len(others) - _MAX_NAMED} more" if len(others) > _MAX_NAMED else ""
            lines.append(f"{what} {resource} is also on the path of {shown}{more}")
    return tuple(dict.fromkeys(lines))


def annotate(result: CheckResult, net: Network) -> CheckResult:
    """The same result, each fix option with its cost and what else it affects."""
    from vpcdoctor.diagnostics.plan import cost_note

    def option(o: FixOption) -> FixOption:
        if not o.commands:
            return o
        cost = o.cost or cost_note(o.commands, net.account) or None
        touched = o.affects or affects(net, o.commands, result.function)
        if cost == o.cost and touched == o.affects:
            return o
        return replace(o, cost=cost, affects=touched)

    def hop(h: Hop) -> Hop:
        if not h.fixes:
            return h
        options = tuple(option(o) for o in h.fixes)
        return h if options == h.fixes else replace(h, fixes=options)

    paths = tuple(replace(p, hops=tuple(hop(h) for h in p.hops)) for p in result.paths)
    return replace(result, paths=paths)
