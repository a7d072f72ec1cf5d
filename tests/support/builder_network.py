"""The test account builder's gateways, security groups, prefix lists, interfaces, instances and
VPC endpoints (mixed into :class:`tests.support.builders.AccountBuilder`)."""

from __future__ import annotations

import ipaddress

from tests.support.builder_parts import (
    BuilderState,
    SgBuilder,
    net,
)
from vpcdoctor.graph.model import (
    DnsEntry,
    EgressOnlyInternetGateway,
    ElasticIp,
    EndpointType,
    GatewayAttachment,
    Instance,
    InternetGateway,
    NatAddress,
    NatConnectivity,
    NatGateway,
    NatState,
    NetworkInterface,
    PrefixList,
    VpcEndpoint,
)


class NetworkParts(BuilderState):
    def internet_gateway(
        self, igw_id: str, vpc_id: str | None, *, state: str = "available"
    ) -> InternetGateway:
        igw = InternetGateway(
            id=igw_id,
            attachments=() if vpc_id is None else (GatewayAttachment(vpc_id=vpc_id, state=state),),
        )
        self.resources["internet_gateways"][igw_id] = igw
        return igw

    def egress_only_internet_gateway(self, eigw_id: str, vpc_id: str) -> EgressOnlyInternetGateway:
        eigw = EgressOnlyInternetGateway(
            id=eigw_id, attachments=(GatewayAttachment(vpc_id=vpc_id, state="attached"),)
        )
        self.resources["egress_only_internet_gateways"][eigw_id] = eigw
        return eigw

    def nat_gateway(
        self,
        nat_id: str,
        subnet_id: str,
        *,
        state: str = "available",
        connectivity: str = "public",
        public_ip: str | None = "203.0.113.10",
        private_ip: str | None = None,
        failure_code: str | None = None,
    ) -> NatGateway:
        subnet = self.subnets[subnet_id]
        if private_ip is None and subnet.cidr is not None:
            private_ip = str(subnet.cidr.network_address + 100)
        nat = NatGateway(
            id=nat_id,
            vpc_id=subnet.vpc_id,
            subnet_id=subnet_id,
            state=NatState(state),
            connectivity=NatConnectivity(connectivity),
            addresses=(
                NatAddress(
                    private_ip=ipaddress.IPv4Address(private_ip) if private_ip else None,
                    public_ip=ipaddress.IPv4Address(public_ip)
                    if public_ip and connectivity == "public"
                    else None,
                ),
            ),
            failure_code=failure_code,
        )
        self.resources["nat_gateways"][nat_id] = nat
        return nat

    # ---- security ---------------------------------------------------------------------------
    def security_group(
        self, sg_id: str, vpc_id: str | None, *, name: str | None = None
    ) -> SgBuilder:
        """A group with no inbound rules and AWS's default allow-all outbound rule."""
        sg = SgBuilder(id=sg_id, vpc_id=vpc_id, name=name or sg_id)
        self.sgs[sg_id] = sg
        return sg

    def prefix_list(
        self,
        pl_id: str,
        *cidrs: str,
        name: str = "",
        entries_known: bool = True,
        aws_managed: bool = True,
    ) -> PrefixList:
        pl = PrefixList(
            id=pl_id,
            name=name or pl_id,
            aws_managed=aws_managed,
            entries=tuple(net(c) for c in cidrs) if entries_known else None,
        )
        self.resources["prefix_lists"][pl_id] = pl
        return pl

    # ---- interfaces -------------------------------------------------------------------------
    def eni(
        self,
        eni_id: str,
        subnet_id: str,
        ip: str,
        *,
        security_groups: tuple[str, ...] | list[str] = (),
        interface_type: str = "interface",
        public_ip: str | None = None,
        instance_id: str | None = None,
        source_dest_check: bool = True,
        description: str = "",
        ipv6: tuple[str, ...] = (),
    ) -> NetworkInterface:
        subnet = self.subnets[subnet_id]
        eni = NetworkInterface(
            id=eni_id,
            subnet_id=subnet_id,
            vpc_id=subnet.vpc_id,
            az=subnet.az,
            interface_type=interface_type,
            requester_managed=interface_type in ("lambda", "nat_gateway", "vpc_endpoint"),
            description=description,
            status="in-use",
            private_ips=(ipaddress.ip_address(ip),),
            ipv6_addresses=tuple(ipaddress.IPv6Address(a) for a in ipv6),
            public_ip=ipaddress.IPv4Address(public_ip) if public_ip else None,
            security_group_ids=tuple(security_groups),
            instance_id=instance_id,
            source_dest_check=source_dest_check,
        )
        self.resources["network_interfaces"][eni_id] = eni
        return eni

    def elastic_ip(
        self, allocation_id: str, public_ip: str, *, eni_id: str | None = None
    ) -> ElasticIp:
        private = None
        if eni_id is not None:
            eni = self.resources["network_interfaces"][eni_id]
            private = eni.primary_ip
        eip = ElasticIp(
            allocation_id=allocation_id,
            public_ip=ipaddress.IPv4Address(public_ip),
            association_id=f"eipassoc-{allocation_id}" if eni_id else None,
            network_interface_id=eni_id,
            private_ip=private,
        )
        self.resources["elastic_ips"][allocation_id] = eip
        return eip

    def instance(
        self,
        instance_id: str,
        subnet_id: str,
        ip: str,
        *,
        security_groups: tuple[str, ...] | list[str] = (),
        state: str = "running",
        source_dest_check: bool = True,
        public_ip: str | None = None,
        eni_id: str | None = None,
    ) -> Instance:
        eni_id = eni_id or f"eni-{instance_id}"
        self.eni(
            eni_id,
            subnet_id,
            ip,
            security_groups=security_groups,
            instance_id=instance_id,
            source_dest_check=source_dest_check,
            public_ip=public_ip,
        )
        subnet = self.subnets[subnet_id]
        inst = Instance(
            id=instance_id,
            state=state,
            subnet_id=subnet_id,
            vpc_id=subnet.vpc_id,
            private_ip=ipaddress.ip_address(ip),
            public_ip=ipaddress.IPv4Address(public_ip) if public_ip else None,
            network_interface_ids=(eni_id,),
            security_group_ids=tuple(security_groups),
            source_dest_check=source_dest_check,
        )
        self.resources["instances"][instance_id] = inst
        return inst

    # ---- endpoints ----------------------------------------------------------------------------
    def gateway_endpoint(
        self,
        vpce_id: str,
        vpc_id: str,
        service: str,
        *,
        route_tables: tuple[str, ...] | list[str] = (),
        prefix_list_id: str | None = None,
        state: str = "available",
    ) -> VpcEndpoint:
        """A gateway endpoint; adds the ``pl-… → vpce-…`` route to each route table, as AWS does."""
        pl_id = prefix_list_id or f"pl-{service}"
        for rtb in route_tables:
            self.route_tables[rtb].route(pl_id, vpce_id)
        vpce = VpcEndpoint(
            id=vpce_id,
            vpc_id=vpc_id,
            type=EndpointType.GATEWAY,
            service_name=f"com.amazonaws.{self.region}.{service}",
            state=state,
            route_table_ids=tuple(route_tables),
        )
        self.resources["vpc_endpoints"][vpce_id] = vpce
        return vpce

    def interface_endpoint(
        self,
        vpce_id: str,
        vpc_id: str,
        service: str,
        *,
        subnets: tuple[str, ...] | list[str] = (),
        security_groups: tuple[str, ...] | list[str] = (),
        private_dns: bool = True,
        state: str = "available",
        create_enis: bool = True,
    ) -> VpcEndpoint:
        """An interface endpoint with one ENI per subnet (address ``.50 + n`` of the subnet)."""
        eni_ids: list[str] = []
        for n, subnet_id in enumerate(subnets):
            eni_id = f"eni-{vpce_id}-{n}"
            eni_ids.append(eni_id)
            if create_enis:
                cidr = self.subnets[subnet_id].cidr
                assert cidr is not None
                self.eni(
                    eni_id,
                    subnet_id,
                    str(cidr.network_address + 50 + n),
                    security_groups=security_groups,
                    interface_type="vpc_endpoint",
                    description=f"VPC Endpoint Interface {vpce_id}",
                )
        vpce = VpcEndpoint(
            id=vpce_id,
            vpc_id=vpc_id,
            type=EndpointType.INTERFACE,
            service_name=f"com.amazonaws.{self.region}.{service}",
            state=state,
            subnet_ids=tuple(subnets),
            network_interface_ids=tuple(eni_ids),
            security_group_ids=tuple(security_groups),
            private_dns_enabled=private_dns,
            dns_entries=(
                DnsEntry(dns_name=f"{vpce_id}.{service}.{self.region}.vpce.amazonaws.com"),
            ),
        )
        self.resources["vpc_endpoints"][vpce_id] = vpce
        return vpce
