"""Fixes for the packet filters the hop handlers share: the CIDR a fix should admit, and
``authorize-security-group-*`` for one port and one peer (split from :mod:`.fixes`)."""

from __future__ import annotations

from vpcdoctor.graph.engine.endpoint import Endpoint
from vpcdoctor.graph.engine.network import Network
from vpcdoctor.graph.model.commands import Cmd, Command


def fix_cidr(net: Network, peer: Endpoint) -> str:
    """The CIDR a fix should admit for ``peer``: for a function's own Hyperplane ENI its
    subnet's range, since Lambda may delete and recreate the ENI at any time and the new one
    takes another address of the subnet (configuration-vpc.html); else the peer's own CIDR."""
    ip = peer.ip
    if ip is not None:
        for eni in net.enis_with(ip):
            if eni.is_lambda:
                subnet = net.subnet(eni.subnet_id)
                if subnet is not None:
                    if ip.version == 6 and subnet.ipv6_cidrs:
                        return str(subnet.ipv6_cidrs[0])
                    if ip.version == 4 and subnet.cidr is not None:
                        return str(subnet.cidr)
    return peer.cidr_text


def sg_target(c: Cmd, cidr: str) -> str:
    """``IpRanges`` or ``Ipv6Ranges`` of an ``--ip-permissions`` shorthand, value checked."""
    if ":" in cidr:
        return f"Ipv6Ranges=[{{CidrIpv6={c.val('cidr', cidr)}}}]"
    return f"IpRanges=[{{CidrIp={c.val('cidr', cidr)}}}]"


def authorize(
    group: str,
    *,
    egress: bool,
    protocol: str,
    port: int,
    target: str | None = None,
    cidr: str | None = None,
    group_ref: str | None = None,
    prefix_list: str | None = None,
) -> Command:
    """``aws ec2 authorize-security-group-{ingress,egress}`` for one port and one peer."""
    c = Cmd("ec2", f"authorize-security-group-{'egress' if egress else 'ingress'}")
    c.opt("--group-id", "security-group", group)
    if prefix_list is not None:
        peer = f"PrefixListIds=[{{PrefixListId={c.val('prefix-list', prefix_list)}}}]"
    elif group_ref is not None:
        peer = f"UserIdGroupPairs=[{{GroupId={c.val('security-group', group_ref)}}}]"
    else:
        peer = sg_target(c, cidr or target or "0.0.0.0/0")
    p = c.val("port", port)
    c.raw(
        "--ip-permissions",
        f"IpProtocol={c.val('protocol', protocol)},FromPort={p},ToPort={p},{peer}",
    )
    return c.build()
