"""The test account builder's peering, transit gateways, VPN, Block Public Access, ELB target
groups and origins (mixed into :class:`tests.support.builders.AccountBuilder`)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from tests.support.builder_parts import (
    BuilderState,
    net,
)
from vpcdoctor.graph.model import (
    BlockPublicAccessExclusion,
    BlockPublicAccessOptions,
    GatewayAttachment,
    Origin,
    PeeringSide,
    TargetGroup,
    TargetHealth,
    TgwAssociation,
    TgwPropagation,
    TransitGateway,
    TransitGatewayAttachment,
    TransitGatewayRoute,
    TransitGatewayRouteTable,
    VpcPeeringConnection,
    VpnConnection,
    VpnGateway,
    VpnRoute,
    VpnTunnel,
)


class TransitParts(BuilderState):
    # ---- peering, transit gateway ---------------------------------------------------------------
    def peering(
        self,
        pcx_id: str,
        requester_vpc: str,
        accepter_vpc: str,
        *,
        status: str = "active",
        accepter_region: str | None = None,
        accepter_owner: str | None = None,
    ) -> VpcPeeringConnection:
        def side(vpc_id: str, region: str | None, owner: str | None) -> PeeringSide:
            vpc = self.vpcs.get(vpc_id)
            return PeeringSide(
                vpc_id=vpc_id,
                owner_id=owner or self.account_id,
                region=region or self.region,
                cidrs=tuple(vpc.cidrs) if vpc else (),
            )

        pcx = VpcPeeringConnection(
            id=pcx_id,
            requester=side(requester_vpc, None, None),
            accepter=side(accepter_vpc, accepter_region, accepter_owner),
            status=status,
        )
        self.resources["peering_connections"][pcx_id] = pcx
        return pcx

    def transit_gateway(
        self, tgw_id: str, *, state: str = "available", default_route_table: str | None = None
    ) -> TransitGateway:
        tgw = TransitGateway(
            id=tgw_id,
            state=state,
            association_default_route_table_id=default_route_table,
            propagation_default_route_table_id=default_route_table,
        )
        self.resources["transit_gateways"][tgw_id] = tgw
        return tgw

    def tgw_vpc_attachment(
        self,
        attach_id: str,
        tgw_id: str,
        vpc_id: str,
        *,
        subnets: tuple[str, ...] | list[str] | None,
        route_table: str | None,
        state: str = "available",
        resource_type: str = "vpc",
    ) -> TransitGatewayAttachment:
        att = TransitGatewayAttachment(
            id=attach_id,
            transit_gateway_id=tgw_id,
            resource_type=resource_type,
            resource_id=vpc_id,
            state=state,
            association_route_table_id=route_table,
            association_state="associated" if route_table else None,
            subnet_ids=None if subnets is None else tuple(subnets),
        )
        self.resources["transit_gateway_attachments"][attach_id] = att
        return att

    def tgw_route_table(
        self, rtb_id: str, tgw_id: str, routes: list[tuple[str, str]] | None
    ) -> TransitGatewayRouteTable:
        """``routes``: (CIDR, attachment id or ``blackhole``); None: routes not exported."""
        tr: tuple[TransitGatewayRoute, ...] | None = None
        if routes is not None:
            tr = tuple(
                TransitGatewayRoute(
                    destination=net(cidr),
                    attachment_ids=() if att == "blackhole" else (att,),
                    state="blackhole" if att == "blackhole" else "active",
                )
                for cidr, att in routes
            )
        rtb = TransitGatewayRouteTable(id=rtb_id, transit_gateway_id=tgw_id, routes=tr)
        self.resources["transit_gateway_route_tables"][rtb_id] = rtb
        return rtb

    def tgw_propagation(
        self,
        rtb_id: str,
        attachment_id: str,
        *,
        resource_type: str = "vpc",
        resource_id: str | None = None,
        state: str = "enabled",
        association: bool = False,
    ) -> TransitGatewayRouteTable:
        """Add a propagation (or, with ``association``, an association) of an attachment to a
        TGW route table made with :meth:`tgw_route_table`."""
        rtb = self.resources["transit_gateway_route_tables"][rtb_id]
        if association:
            entry: Any = TgwAssociation(
                attachment_id=attachment_id,
                resource_type=resource_type,
                resource_id=resource_id,
                state="associated" if state == "enabled" else state,
            )
            rtb = replace(rtb, associations=(*(rtb.associations or ()), entry))
        else:
            entry = TgwPropagation(
                attachment_id=attachment_id,
                resource_type=resource_type,
                resource_id=resource_id,
                state=state,
            )
            rtb = replace(rtb, propagations=(*(rtb.propagations or ()), entry))
        self.resources["transit_gateway_route_tables"][rtb_id] = rtb
        return rtb

    # ---- VPN, Block Public Access, ELB, origins -------------------------------------------
    def vpn_gateway(
        self, vgw_id: str, vpc_id: str | None = None, state: str = "available"
    ) -> VpnGateway:
        vgw = VpnGateway(
            id=vgw_id,
            state=state,
            attachments=(GatewayAttachment(vpc_id=vpc_id, state="attached"),) if vpc_id else (),
            amazon_side_asn=64512,
        )
        self.resources["vpn_gateways"][vgw_id] = vgw
        return vgw

    def vpn_connection(
        self,
        vpn_id: str,
        *,
        vgw: str | None = None,
        tgw: str | None = None,
        tunnels: tuple[str, ...] | None = ("UP", "UP"),
        routes: tuple[str, ...] = (),
        state: str = "available",
    ) -> VpnConnection:
        """``tunnels``: the status of each (``UP`` / ``DOWN``); None: telemetry not exported."""
        vpn = VpnConnection(
            id=vpn_id,
            state=state,
            type="ipsec.1",
            vpn_gateway_id=vgw,
            transit_gateway_id=tgw,
            customer_gateway_id="cgw-0000000000000001",
            static_routes_only=bool(routes),
            routes=tuple(VpnRoute(destination=net(c), state="available") for c in routes),
            tunnels=None
            if tunnels is None
            else tuple(
                VpnTunnel(outside_ip=f"203.0.113.{i + 1}", status=s) for i, s in enumerate(tunnels)
            ),
        )
        self.resources["vpn_connections"][vpn_id] = vpn
        return vpn

    def block_public_access(
        self, mode: str, *, account_id: str | None = None, region: str | None = None
    ) -> BlockPublicAccessOptions:
        options = BlockPublicAccessOptions(
            account_id=account_id or self.account_id, region=region or self.region, mode=mode
        )
        self.resources["block_public_access"][options.key] = options
        return options

    def bpa_exclusion(
        self, exclusion_id: str, resource_id: str, mode: str, *, state: str = "create-complete"
    ) -> BlockPublicAccessExclusion:
        kind = "subnet" if resource_id.startswith("subnet-") else "vpc"
        excl = BlockPublicAccessExclusion(
            id=exclusion_id,
            mode=mode,
            resource_arn=f"arn:aws:ec2:{self.region}:{self.account_id}:{kind}/{resource_id}",
            resource_id=resource_id,
            state=state,
            account_id=self.account_id,
            region=self.region,
        )
        self.resources["block_public_access_exclusions"][exclusion_id] = excl
        return excl

    def target_group(
        self,
        arn: str,
        vpc_id: str,
        *,
        port: int = 80,
        targets: tuple[tuple[str, str], ...] | None = (),
        load_balancers: tuple[str, ...] = (),
    ) -> TargetGroup:
        """``targets``: (target id, health state); None: describe-target-health not exported."""
        group = TargetGroup(
            arn=arn,
            name=arn.rsplit("/", 2)[-2] if "/" in arn else arn,
            protocol="HTTP",
            port=port,
            target_type="ip",
            vpc_id=vpc_id,
            load_balancer_arns=load_balancers,
            health=None
            if targets is None
            else tuple(TargetHealth(target_id=t, port=port, state=s) for t, s in targets),
        )
        self.resources["target_groups"][arn] = group
        return group

    def origin(self, resource_id: str, account: str | None, region: str | None) -> None:
        """Attribute a resource to another account or Region than the builder's own."""
        self.origins[resource_id] = Origin(account, region)
