"""VPC endpoints (R6): a gateway endpoint carries S3 / DynamoDB traffic out of the route table; an
interface endpoint is a destination (its interfaces, its security groups); a Gateway Load
Balancer endpoint (or a firewall's) is an appliance on the path.

https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html: the endpoint's
prefix-list route in the subnet's table sends the service's traffic to it, inside AWS. What an
inspection appliance decides is its policy, which the snapshot does not hold: that hop is
unknown, and the walk goes on from the endpoint's subnet so what follows can still be judged
(https://docs.aws.amazon.com/network-firewall/latest/developerguide/arch-igw-ngw.html).
"""

from __future__ import annotations

from vpcdoctor.graph.engine.hops.common import FAIL, PASS, UNKNOWN, arrive, hop, leave, option
from vpcdoctor.graph.engine.hops.eni import delivered_here
from vpcdoctor.graph.engine.walk import At, Disposition, Stage, Step, Walk, handles
from vpcdoctor.graph.model import EndpointType, VpcEndpoint
from vpcdoctor.graph.model.commands import Arg, aws
from vpcdoctor.graph.model.verdict import HopKind


def _bad_state(w: Walk, at: At, vpce: VpcEndpoint, what: str) -> Step:
    return Step(
        hops=(
            hop(
                w,
                at,
                FAIL,
                "BAD_STATE",
                f"{what} {vpce.id} ({vpce.service_name}) is {vpce.state}, not available"
                + (
                    "; with private DNS the service's name still points at it."
                    if vpce.type is EndpointType.INTERFACE
                    else "."
                ),
                evidence=[(vpce.id, f"State={vpce.state}")],
                fixes=[
                    option(
                        "look at why, then accept or recreate it",
                        aws(
                            "ec2",
                            "describe-vpc-endpoints",
                            "--vpc-endpoint-ids",
                            Arg("vpc-endpoint", vpce.id),
                        ),
                    )
                ],
            ),
        ),
        end=Disposition.NOT_DELIVERED,
    )


@handles(HopKind.VPC_ENDPOINT)
def vpc_endpoint(w: Walk, at: At) -> Step:
    net = w.net
    vpce = net.obj(at.node)
    if not isinstance(vpce, VpcEndpoint):
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    UNKNOWN,
                    "UNKNOWN_RESOURCE",
                    f"The path reaches {at.node}, which is not in the snapshot (a firewall's "
                    "endpoint is not listed by describe-vpc-endpoints): what it does with the "
                    "traffic is not known.",
                    needs=net.needs("describe-vpc-endpoints"),
                ),
            ),
            end=Disposition.HANDED_OFF,
        )
    if w.packet.reply and vpce.type is EndpointType.GATEWAY:
        # The service's answer comes back through the gateway endpoint, into the subnet the
        # request left from (its NACL inbound).
        home = (at.data or {}).get("home") or (w.origin.subnet if w.origin else None)
        if home is None:
            return Step(end=Disposition.DELIVERED)
        vpc = net.vpc_of(home) or ""
        return Step(then=(At(node=vpc, kind=HopKind.VPC, stage=Stage.ENTER, data={"from": None}),))
    if vpce.state.lower() != "available":
        return _bad_state(
            w,
            at,
            vpce,
            "Endpoint" if vpce.type is not EndpointType.INTERFACE else "Interface endpoint",
        )
    if at.stage is Stage.DELIVER:  # its interface received the packet: the service answers
        return delivered_here(w, (at.data or {}).get("eni"), at.subnet)
    if vpce.type is EndpointType.GATEWAY:
        w.reply_from = At(
            node=vpce.id,
            kind=HopKind.VPC_ENDPOINT,
            stage=Stage.ENTER,
            subnet=at.subnet,
            data={"home": at.subnet},
        )
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    PASS,
                    "VPCE_GATEWAY",
                    f"Gateway endpoint {vpce.id} carries {w.packet.dst.label} to "
                    f"{vpce.service_short_name} inside AWS.",
                    evidence=[(vpce.id, f"{vpce.service_name}, State={vpce.state}")],
                ),
            ),
            end=Disposition.EXITS_SERVICE,
        )
    if vpce.type is EndpointType.GATEWAY_LOAD_BALANCER:
        home = _subnet_in_az(w, vpce, at.subnet)
        h = hop(
            w,
            at,
            UNKNOWN,
            "APPLIANCE_POLICY_UNKNOWN",
            f"The route sends the traffic to {vpce.id}, a Gateway Load Balancer endpoint "
            f"({vpce.service_name}): what the appliance behind it lets through is its own policy, "
            "which the snapshot does not hold. What comes after it is checked as if it passed.",
            evidence=[(vpce.id, f"{vpce.type}, State={vpce.state}")],
            needs="the appliance's (or firewall's) rules for this flow",
        )
        if home is None:
            return Step(hops=(h,), end=Disposition.HANDED_OFF)
        return Step(
            hops=(h,),
            then=(
                arrive(
                    home,
                    leave(w, home, f"from {vpce.id}'s subnet"),
                    crossing=home != at.subnet,
                    role=f"{vpce.id}'s subnet",
                    from_subnet=at.subnet,
                ),
            ),
        )
    return Step(
        hops=(
            hop(
                w,
                at,
                UNKNOWN,
                "UNSUPPORTED_COMPONENT",
                f"A route sends the traffic to {vpce.type} endpoint {vpce.id}; vpcdoctor does not "
                "model what it forwards.",
                needs="the endpoint's own configuration",
            ),
        ),
        end=Disposition.HANDED_OFF,
    )


def _subnet_in_az(w: Walk, vpce: VpcEndpoint, from_subnet: str | None) -> str | None:
    """The endpoint's subnet in the sender's AZ, else its first one."""
    sender = w.net.subnet(from_subnet)
    subnets = [s for sid in vpce.subnet_ids if (s := w.net.subnet(sid)) is not None]
    for s in subnets:
        if sender is not None and s.az == sender.az:
            return s.id
    return subnets[0].id if subnets else (vpce.subnet_ids[0] if vpce.subnet_ids else None)
