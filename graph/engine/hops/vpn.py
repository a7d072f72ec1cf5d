"""A virtual private gateway and its Site-to-Site VPN connections: the way to on-premises.

A VGW route (static or propagated) only carries traffic while a tunnel of one of its VPN
connections is UP (``VgwTelemetry[].Status``: monitoring-vpn-health.html); a VGW never gives
internet access. Beyond an UP tunnel is a network the snapshot does not describe: the hop is
unknown, naming the connection and what would settle it. Every tunnel DOWN is unreachable.
"""

from __future__ import annotations

from typing import Any

from vpcdoctor.graph.engine.graph import CONNECTS
from vpcdoctor.graph.engine.hops.common import FAIL, PASS, UNKNOWN, hop, option
from vpcdoctor.graph.engine.walk import At, Disposition, Step, Walk, handles
from vpcdoctor.graph.model.addresses import is_internet
from vpcdoctor.graph.model.commands import Arg, aws
from vpcdoctor.graph.model.verdict import HopKind


def connections(w: Walk, gateway: str) -> list[Any]:
    """The VPN connections whose ``connects-to`` edge points at ``gateway``."""
    out = [obj for node in w.net.pred(gateway, CONNECTS) if (obj := w.net.obj(node)) is not None]
    return sorted(out, key=lambda c: c.id)


def _tunnels(conn: Any) -> list[Any] | None:
    tunnels = getattr(conn, "tunnels", None)
    return None if tunnels is None else list(tunnels)


def judge(w: Walk, at: At, conns: list[Any], via: str) -> Step:
    """The verdict of the VPN connections behind ``via`` (a VGW or a TGW attachment)."""
    net = w.net
    dst = w.packet.dst
    if not conns:
        if not net.has("describe-vpn-connections"):
            return Step(
                hops=(
                    hop(
                        w,
                        at,
                        UNKNOWN,
                        "UNSUPPORTED_COMPONENT",
                        f"The route leaves the VPC through {via}; the snapshot holds no VPN "
                        "connections, so whether a tunnel is up is not known, and the network "
                        "beyond it is not in the snapshot.",
                        needs=net.needs("describe-vpn-connections"),
                    ),
                ),
                end=Disposition.HANDED_OFF,
            )
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    FAIL,
                    "VPN_NO_CONNECTION",
                    f"{via} has no Site-to-Site VPN connection: nothing carries the traffic on.",
                ),
            ),
            end=Disposition.NO_ROUTE,
        )
    up: list[str] = []
    unknown: list[str] = []
    evidence: list[tuple[str, str]] = []
    for conn in conns:
        state = getattr(conn, "state", None)
        tunnels = _tunnels(conn)
        if state not in (None, "available"):
            evidence.append((conn.id, f"State={state}"))
            continue
        if tunnels is None:
            unknown.append(conn.id)
            evidence.append((conn.id, "tunnel status not exported"))
            continue
        for t in tunnels:
            evidence.append(
                (conn.id, f"tunnel {getattr(t, 'outside_ip', '?')}: {getattr(t, 'status', '?')}")
            )
            if str(getattr(t, "status", "")).upper() == "UP":
                up.append(conn.id)
    if up:
        beyond = (
            f"{dst.label} is a public address: the VPN gateway has no internet access of its "
            "own, so it reaches the internet only if the on-premises network sends it on"
            if dst.any_public or (dst.ip is not None and is_internet(dst.ip))
            else f"{dst.label} is on the other side of the VPN"
        )
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    PASS,
                    "VPN_TUNNEL_UP",
                    f"{', '.join(dict.fromkeys(up))} has a tunnel UP.",
                    evidence=evidence,
                ),
                hop(
                    w,
                    at,
                    UNKNOWN,
                    "ON_PREMISES_BEYOND_SNAPSHOT",
                    f"{beyond}: what routes and answers there (and whether the on-premises side "
                    "routes the replies back) is not in the snapshot.",
                    needs="the on-premises routes and firewall rules, or a probe from a host in "
                    "the VPC",
                ),
            ),
            end=Disposition.HANDED_OFF,
        )
    if unknown:
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    UNKNOWN,
                    "VPN_TUNNEL_STATE_UNKNOWN",
                    f"Whether a tunnel of {', '.join(unknown)} is up is not in the snapshot.",
                    evidence=evidence,
                    needs=net.needs("describe-vpn-connections"),
                ),
            ),
            end=Disposition.HANDED_OFF,
        )
    first = conns[0].id
    return Step(
        hops=(
            hop(
                w,
                at,
                FAIL,
                "VPN_TUNNELS_DOWN",
                f"Every tunnel of {', '.join(c.id for c in conns)} is DOWN: nothing reaches "
                f"{dst.label} through {via}.",
                evidence=evidence,
                fixes=[
                    option(
                        "look at the tunnels' status messages (and the customer gateway)",
                        aws(
                            "ec2",
                            "describe-vpn-connections",
                            "--vpn-connection-ids",
                            Arg("vpn-connection", first),
                        ),
                    )
                ],
            ),
        ),
        end=Disposition.DENIED,
    )


@handles(HopKind.VIRTUAL_PRIVATE_GATEWAY)
def virtual_private_gateway(w: Walk, at: At) -> Step:
    # A public destination sent to a VGW goes to the on-premises network, not to the internet
    # (a VGW has no internet access of its own); whether that network sends it on (forced
    # tunneling) is beyond the snapshot: the tunnels decide, then unknown.
    net = w.net
    vpc = net.vpc_of(at.subnet) if at.subnet else None
    if vpc is not None and net.attached(at.node, vpc) is False:
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    FAIL,
                    "BAD_STATE_ATTACHMENT",
                    f"The route sends {w.packet.dst.label} to {at.node}, which is not attached to "
                    f"{vpc}.",
                    fixes=[
                        option(
                            f"attach {at.node} to {vpc}",
                            aws(
                                "ec2",
                                "attach-vpn-gateway",
                                "--vpn-gateway-id",
                                Arg("virtual-private-gateway", at.node),
                                "--vpc-id",
                                Arg("vpc", vpc),
                            ),
                        )
                    ],
                ),
            ),
            end=Disposition.DENIED,
        )
    return judge(w, at, connections(w, at.node), at.node)


@handles(HopKind.VPN_CONNECTION)
def vpn_connection(w: Walk, at: At) -> Step:
    conn = w.net.obj(at.node)
    via = (at.data or {}).get("attachment", at.node)
    return judge(w, at, [conn] if conn is not None else [], via)
