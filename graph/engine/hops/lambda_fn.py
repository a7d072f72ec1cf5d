"""The function (R0): is it Active, and which Hyperplane ENI carries its traffic in this subnet.

A function runs only when Active (functions-states.html). Its traffic leaves through the
Hyperplane ENI of its (subnet, security-group set) pair (configuration-vpc.html); an ENI that is
not in use, or that a complete ``describe-network-interfaces`` does not have, carries nothing.
Then the function's security groups check the egress, and the packet leaves the subnet.
"""

from __future__ import annotations

from dataclasses import replace

from vpcdoctor.graph.engine.endpoint import Endpoint
from vpcdoctor.graph.engine.hops.common import FAIL, PASS, SKIP, UNKNOWN, hop, leave, option
from vpcdoctor.graph.engine.walk import At, Disposition, Origin, Stage, Step, Walk, handles
from vpcdoctor.graph.model import LambdaState, NetworkInterface, Subnet
from vpcdoctor.graph.model.commands import Arg, aws
from vpcdoctor.graph.model.verdict import Hop, HopKind

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

_IN_USE = ("in-use", None)


def state_hop(w: Walk, at: At) -> Hop:
    fn = w.fn
    assert fn is not None
    name = fn.name
    fname = Arg("function-name", name)
    reason = f" ({fn.state_reason_code}: {fn.state_reason})" if fn.state_reason_code else ""
    if fn.state is None:
        return hop(
            w,
            at,
            UNKNOWN,
            "LAMBDA_STATE_UNKNOWN",
            f"{name}: the state is not in the snapshot (list-functions does not return it); "
            "only an Active function runs.",
            resource=name,
            needs=f"{aws('lambda', 'get-function-configuration', '--function-name', fname)} "
            "(IAM: lambda:GetFunctionConfiguration)",
        )
    if fn.state is LambdaState.ACTIVE:
        return hop(
            w,
            at,
            PASS,
            "LAMBDA_STATE_ACTIVE",
            f"{name} is Active.",
            resource=name,
            evidence=[(name, "State=Active")],
        )
    evidence = [
        (
            name,
            f"State={fn.state}"
            + (f", StateReasonCode={fn.state_reason_code}" if fn.state_reason_code else ""),
        )
    ]
    if fn.state is LambdaState.PENDING:
        detail = (
            f"{name} is Pending{reason}: Lambda is still creating its Hyperplane ENI "
            "(this can take minutes); it cannot be invoked until Active."
        )
        fixes = [
            option(
                "wait until it is Active",
                aws("lambda", "wait", "function-active-v2", "--function-name", fname),
            )
        ]
    elif fn.state is LambdaState.INACTIVE:
        detail = (
            f"{name} is Inactive{reason}: after an idle period Lambda reclaimed its "
            "Hyperplane ENIs; the next invoke fails and returns it to Pending while the "
            "ENI is recreated (the fix below is that invoke: expect it to fail, then wait for "
            "Active)."
        )
        fixes = [
            option(
                "invoke it once to start the ENI's re-creation, then wait for Active",
                aws("lambda", "invoke", "--function-name", fname, "/dev/null"),
                aws("lambda", "wait", "function-active-v2", "--function-name", fname),
            )
        ]
    elif fn.state is LambdaState.FAILED:
        why = _NETWORK_REASON_FIXES.get(fn.state_reason_code or "", "")
        detail = f"{name} is Failed{reason}: Lambda could not set up the function's networking."
        from vpcdoctor.graph.engine.fixes import vpc_config
        from vpcdoctor.graph.engine.fixes_subnets import room_fix

        if fn.state_reason_code in ("SubnetOutOfIPAddresses", "InvalidSubnet"):
            fixes = room_fix(w, why or "its subnets cannot take a new ENI")
        elif why and fn.vpc is not None:
            fixes = [
                option(
                    f"{why}; then re-apply the VPC configuration so Lambda retries",
                    vpc_config(w, list(fn.vpc.subnet_ids)),
                )
            ]
        else:
            fixes = []
        if why:
            detail += f" {why[0].upper()}{why[1:]}."
        if not fixes:
            fixes = [
                option(
                    "read StateReason, fix the cause, then update the function",
                    aws("lambda", "get-function-configuration", "--function-name", fname),
                )
            ]
    else:
        detail = f"{name} is {fn.state}{reason}: only an Active function can be invoked."
        fixes = [
            option(
                "read its state",
                aws("lambda", "get-function-configuration", "--function-name", fname),
            )
        ]
    return hop(
        w,
        at,
        FAIL,
        f"LAMBDA_STATE_{str(fn.state).upper()}",
        detail,
        resource=name,
        evidence=evidence,
        fixes=fixes,
    )


def _choose(enis: tuple[NetworkInterface, ...]) -> NetworkInterface | None:
    in_use = [e for e in enis if e.status in _IN_USE]
    ordered = in_use or list(enis)
    return ordered[0] if ordered else None


@handles(HopKind.LAMBDA)
def function(w: Walk, at: At) -> Step:
    """START: the state, then the Hyperplane ENI of ``at.subnet``, then egress and the subnet."""
    fn = w.fn
    assert fn is not None and at.subnet is not None
    net = w.net
    hops = [state_hop(w, at)]
    subnet = net.subnet(at.subnet)
    if subnet is None:
        hops.append(
            hop(
                w,
                at,
                UNKNOWN,
                "UNKNOWN_RESOURCE",
                f"{at.subnet} of the function's VpcConfig is not in the snapshot.",
                resource=at.subnet,
                kind=HopKind.SUBNET,
                needs=net.needs("describe-subnets"),
            )
        )
        return Step(hops=tuple(hops), end=Disposition.UNKNOWN)
    groups = net.groups_of(at.node)
    sgs = ",".join(groups) or "none"
    eni = _choose(net.lambda_enis(fn.name, subnet.id))
    if eni is not None:
        ip = eni.primary_ip
        evidence = [
            (
                eni.id,
                f"InterfaceType={eni.interface_type}, PrivateIp={ip}, Groups={sgs}, "
                f"Status={eni.status}",
            )
        ]
        if eni.status not in _IN_USE:
            hops.append(
                hop(
                    w,
                    at,
                    FAIL,
                    "LAMBDA_ENI_NOT_IN_USE",
                    f"The Hyperplane ENI {eni.id} of ({subnet.id}, {sgs}) is {eni.status}, not "
                    "in use: Lambda is not sending through it (it detaches ENIs it is about to "
                    "delete). Invocations in this subnet have no network interface until Lambda "
                    "attaches one again.",
                    resource=eni.id,
                    kind=HopKind.ENI,
                    evidence=evidence,
                    fixes=[
                        option(
                            "read the function's state; re-apply its VPC configuration if it "
                            "stays this way",
                            aws(
                                "lambda",
                                "get-function-configuration",
                                "--function-name",
                                Arg("function-name", fn.name),
                            ),
                        )
                    ],
                )
            )
            return Step(hops=tuple(hops), end=Disposition.NOT_DELIVERED)
        hops.append(
            hop(
                w,
                at,
                PASS,
                "LAMBDA_HYPERPLANE_ENI",
                f"Hyperplane ENI {eni.id} ({ip}) in {subnet.id} ({subnet.az}) for security "
                f"groups {sgs}.",
                resource=eni.id,
                kind=HopKind.ENI,
                evidence=evidence,
            )
        )
        src = (
            Endpoint.address(ip, f"{eni.id} ({ip})")
            if ip
            else Endpoint.network(subnet.cidr, subnet.id)
            if subnet.cidr
            else Endpoint()
        )
    else:
        complete = (
            net.has("describe-network-interfaces", of=subnet.id)
            and net.gap_for("describe-network-interfaces") is None
        )
        state_note = ""
        if fn.state is LambdaState.INACTIVE:
            state_note = " (expected: the function is Inactive, Lambda reclaimed it)"
        if complete and fn.state is LambdaState.ACTIVE:
            hops.append(
                hop(
                    w,
                    at,
                    UNKNOWN,
                    "LAMBDA_ENI_MISSING",
                    f"{fn.name} is Active, yet describe-network-interfaces holds no Hyperplane "
                    f"ENI for ({subnet.id}, {sgs}): the two exports were taken at different "
                    "times, or Lambda is recreating the ENI. Which address the function sends "
                    "from, and whether it can, is not known.",
                    resource=None,
                    kind=HopKind.ENI,
                    needs="export describe-network-interfaces and get-function-configuration "
                    "again, together",
                )
            )
        else:
            hops.append(
                hop(
                    w,
                    at,
                    SKIP,
                    "LAMBDA_ENI_NOT_IN_SNAPSHOT",
                    f"No Hyperplane ENI for ({subnet.id}, {sgs}) in the snapshot{state_note}; "
                    f"the path is evaluated from the subnet's address range {subnet.cidr}.",
                    resource=None,
                    kind=HopKind.ENI,
                    needs=net.needs("describe-network-interfaces"),
                )
            )
        src = (
            Endpoint.network(subnet.cidr, f"{subnet.id} ({subnet.cidr})")
            if subnet.cidr
            else Endpoint()
        )
    if w.packet.dst.version == 6:
        ipv6 = _ipv6_source(w, at, subnet, eni)
        if isinstance(ipv6, Hop):
            hops.append(ipv6)
            return Step(hops=tuple(hops), end=Disposition.DENIED)
        src = ipv6
    w.origin = Origin(subnet=subnet.id, eni=eni.id if eni else None, endpoint=src)
    packet = replace(w.packet, src=src)
    egress = At(
        node=groups[0] if groups else at.node,
        kind=HopKind.SECURITY_GROUP,
        stage=Stage.EGRESS,
        subnet=subnet.id,
        data={
            "groups": groups,
            "owner": "the function",
            "peer_groups": tuple(getattr(w.destination, "peer_groups", ())),
            # a private address whose interface is not in the snapshot may be in a referenced group
            "peer_groups_known": getattr(w.destination, "groups_known", True),
        },
    )
    w.tail_from = len(w.hops) + len(hops)
    return Step(
        hops=tuple(hops),
        packet=packet,
        then=(egress, leave(w, subnet.id, "the function's subnet")),
    )


def _ipv6_source(w: Walk, at: At, subnet: Subnet, eni: NetworkInterface | None) -> Endpoint | Hop:
    """R5: outbound IPv6 needs Ipv6AllowedForDualStack and a dual-stack subnet."""
    fn = w.fn
    assert fn is not None and fn.vpc is not None
    if not fn.vpc.ipv6_allowed_for_dual_stack:
        from vpcdoctor.graph.model.commands import Cmd

        c = Cmd("lambda", "update-function-configuration")
        c.opt("--function-name", "function-name", fn.name)
        ids = ",".join(c.val("subnet", s) for s in fn.vpc.subnet_ids)
        groups = ",".join(c.val("security-group", g) for g in fn.vpc.security_group_ids)
        c.raw(
            "--vpc-config",
            f"Ipv6AllowedForDualStack=true,SubnetIds={ids},SecurityGroupIds={groups}",
        )
        return hop(
            w,
            at,
            FAIL,
            "LAMBDA_IPV6_NOT_ALLOWED",
            f"{fn.name} does not allow IPv6 (Ipv6AllowedForDualStack is off): outbound IPv6 is "
            "off by default.",
            resource=fn.name,
            fixes=[option("allow IPv6 (--vpc-config replaces the whole configuration)", c.build())],
        )
    if not subnet.is_dual_stack:
        return hop(
            w,
            at,
            FAIL,
            "SUBNET_NOT_DUAL_STACK",
            f"{subnet.id} has no IPv6 CIDR; IPv6 for Lambda needs dual-stack subnets.",
            resource=subnet.id,
            kind=HopKind.SUBNET,
            fixes=[
                option(
                    "give the subnet an IPv6 range of the VPC",
                    aws(
                        "ec2",
                        "associate-subnet-cidr-block",
                        "--subnet-id",
                        Arg("subnet", subnet.id),
                        "--ipv6-cidr-block",
                        "<ipv6-cidr>",
                    ),
                )
            ],
        )
    if eni is not None and eni.ipv6_addresses:
        return Endpoint.address(eni.ipv6_addresses[0], f"{eni.id} ({eni.ipv6_addresses[0]})")
    return Endpoint.network(subnet.ipv6_cidrs[0], f"{subnet.id} ({subnet.ipv6_cidrs[0]})")
