"""VPCs and subnets, prefix lists, peering, internet/NAT/egress-only gateways."""

from __future__ import annotations

import ipaddress
from typing import Any

from benchmarks.account.base import (
    ACCOUNT,
    AZS,
    DDB_PL,
    LAMBDA_GROUPS_PER_VPC,
    REGION,
    ROUTE_TABLES_PER_VPC,
    S3_PL,
    SECURITY_GROUPS_PER_VPC,
    SUBNETS_PER_VPC,
    TS,
    GeneratorBase,
    VpcPlan,
)
from vpcdoctor.graph.sources.outputs import (
    tags,
)


class VpcOutputs(GeneratorBase):
    def plan_vpcs(self) -> None:
        for v in range(self.n_vpcs):
            vpc = VpcPlan(
                index=v, id=self.rid("vpc", v), cidr=ipaddress.IPv4Network(f"10.{v}.0.0/16")
            )
            for j in range(SUBNETS_PER_VPC):
                vpc.subnet_ids.append(self.rid("subnet", v, j))
                vpc.subnet_cidrs.append(ipaddress.IPv4Network(f"10.{v}.{4 * j}.0/22"))
                vpc.subnet_next_host.append(10)
            vpc.route_table_ids = [self.rid("rtb", v, k) for k in range(ROUTE_TABLES_PER_VPC)]
            vpc.sg_ids = [self.rid("sg", v, k) for k in range(SECURITY_GROUPS_PER_VPC)]
            vpc.lambda_sg_ids = vpc.sg_ids[1 : 1 + LAMBDA_GROUPS_PER_VPC]
            vpc.igw_id = self.rid("igw", v)
            vpc.nat_ids = [self.rid("nat", v, a) for a in range(3)]
            vpc.tgw_attached = v % 5 != 0 or v == 0
            self.vpcs.append(vpc)

    def prefix_lists(self) -> None:
        s3_cidrs = ["52.219.0.0/20", "52.219.16.0/22", "3.5.152.0/21", "52.219.136.0/22"]
        ddb_cidrs = ["52.94.8.0/24", "3.218.180.0/22"]
        self.write(
            "ec2",
            "describe-prefix-lists",
            {
                "PrefixLists": [
                    {
                        "PrefixListId": S3_PL,
                        "PrefixListName": f"com.amazonaws.{REGION}.s3",
                        "Cidrs": s3_cidrs,
                    },
                    {
                        "PrefixListId": DDB_PL,
                        "PrefixListName": f"com.amazonaws.{REGION}.dynamodb",
                        "Cidrs": ddb_cidrs,
                    },
                ]
            },
        )
        managed: list[dict[str, Any]] = []
        for pl, svc, cidrs in ((S3_PL, "s3", s3_cidrs), (DDB_PL, "dynamodb", ddb_cidrs)):
            managed.append(
                {
                    "PrefixListId": pl,
                    "AddressFamily": "IPv4",
                    "State": "create-complete",
                    "PrefixListArn": f"arn:aws:ec2:{REGION}:aws:prefix-list/{pl}",
                    "PrefixListName": f"com.amazonaws.{REGION}.{svc}",
                    "Tags": [],
                    "OwnerId": "AWS",
                }
            )
            self.write(
                "ec2",
                "get-managed-prefix-list-entries",
                {"Entries": [{"Cidr": c} for c in cidrs]},
                owner=pl,
            )
        for i in range(max(2, self._n(20))):
            pl = self.rid("pl", i)
            name = ("corp-onprem", "partner-vpn", "office-egress", "monitoring")[i % 4] + f"-{i}"
            cidrs = [f"192.168.{(i * 8 + e) % 256}.0/24" for e in range(1 + i % 6)]
            if i % 4 == 2:
                cidrs = [f"203.0.113.{e * 16}/28" for e in range(1 + i % 6)]
            self.customer_pls.append((pl, name, cidrs))
            managed.append(
                {
                    "PrefixListId": pl,
                    "AddressFamily": "IPv4",
                    "State": "create-complete",
                    "PrefixListArn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:prefix-list/{pl}",
                    "PrefixListName": name,
                    "MaxEntries": 10,
                    "Version": 1 + i % 3,
                    "Tags": tags(Name=name),
                    "OwnerId": ACCOUNT,
                }
            )
            self.write(
                "ec2",
                "get-managed-prefix-list-entries",
                {
                    "Entries": [
                        {"Cidr": c, "Description": f"{name} range {e}"} for e, c in enumerate(cidrs)
                    ]
                },
                owner=pl,
            )
        self.write("ec2", "describe-managed-prefix-lists", {"PrefixLists": managed})
        self.count("prefix lists", len(managed))

    def vpc_outputs(self) -> None:
        dhcp_default = self.rid("dopt", "default")
        dhcp_custom = self.rid("dopt", "corp")
        vpcs: list[dict[str, Any]] = []
        subnets: list[dict[str, Any]] = []
        for vpc in self.vpcs:
            v = vpc.index
            vpcs.append(
                {
                    "CidrBlock": str(vpc.cidr),
                    "DhcpOptionsId": dhcp_custom if v in (7, 19) else dhcp_default,
                    "State": "available",
                    "VpcId": vpc.id,
                    "OwnerId": ACCOUNT,
                    "InstanceTenancy": "default",
                    "CidrBlockAssociationSet": [
                        {
                            "AssociationId": self.rid("vpc-cidr-assoc", v),
                            "CidrBlock": str(vpc.cidr),
                            "CidrBlockState": {"State": "associated"},
                        }
                    ],
                    "IsDefault": False,
                    "Tags": tags(
                        Name=f"{('prod', 'stg', 'dev', 'shared', 'data')[v % 5]}-{v:02d}",
                        Environment=("prod", "staging", "dev", "shared", "data")[v % 5],
                    ),
                }
            )
            support = v != 13
            hostnames = v % 9 != 4
            self.write(
                "ec2",
                "describe-vpc-attribute-enableDnsSupport",
                {"VpcId": vpc.id, "EnableDnsSupport": {"Value": support}},
                owner=vpc.id,
            )
            self.write(
                "ec2",
                "describe-vpc-attribute-enableDnsHostnames",
                {"VpcId": vpc.id, "EnableDnsHostnames": {"Value": hostnames}},
                owner=vpc.id,
            )
            for j, (sid, cidr) in enumerate(zip(vpc.subnet_ids, vpc.subnet_cidrs, strict=True)):
                az, az_id = AZS[vpc.az_of(j)]
                public = j < 3
                subnets.append(
                    {
                        "AvailabilityZone": az,
                        "AvailabilityZoneId": az_id,
                        "AvailableIpAddressCount": 1019 - self.rng.randrange(0, 40),
                        "CidrBlock": str(cidr),
                        "DefaultForAz": False,
                        "MapPublicIpOnLaunch": public,
                        "State": "available",
                        "SubnetId": sid,
                        "VpcId": vpc.id,
                        "OwnerId": ACCOUNT,
                        "AssignIpv6AddressOnCreation": False,
                        "Ipv6CidrBlockAssociationSet": [],
                        "Tags": tags(Name=f"{'public' if public else 'private'}-{v:02d}-{j:02d}"),
                        "SubnetArn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:subnet/{sid}",
                        "EnableDns64": False,
                        "Ipv6Native": False,
                        "PrivateDnsNameOptionsOnLaunch": {
                            "HostnameType": "ip-name",
                            "EnableResourceNameDnsARecord": False,
                            "EnableResourceNameDnsAAAARecord": False,
                        },
                    }
                )
        self.write("ec2", "describe-vpcs", {"Vpcs": vpcs})
        self.write("ec2", "describe-subnets", {"Subnets": subnets})
        self.write(
            "ec2",
            "describe-dhcp-options",
            {
                "DhcpOptions": [
                    {
                        "DhcpConfigurations": [
                            {
                                "Key": "domain-name",
                                "Values": [{"Value": f"{REGION}.compute.internal"}],
                            },
                            {
                                "Key": "domain-name-servers",
                                "Values": [{"Value": "AmazonProvidedDNS"}],
                            },
                        ],
                        "DhcpOptionsId": dhcp_default,
                        "OwnerId": ACCOUNT,
                        "Tags": [],
                    },
                    {
                        "DhcpConfigurations": [
                            {"Key": "domain-name", "Values": [{"Value": "corp.example.com"}]},
                            {
                                "Key": "domain-name-servers",
                                "Values": [{"Value": "192.168.10.2"}, {"Value": "192.168.11.2"}],
                            },
                        ],
                        "DhcpOptionsId": dhcp_custom,
                        "OwnerId": ACCOUNT,
                        "Tags": tags(Name="corp-dns"),
                    },
                ]
            },
        )
        self.count("vpcs", len(vpcs))
        self.count("subnets", len(subnets))

    def peering(self) -> None:
        pairs: list[tuple[int, int]] = []
        for v in range(0, self.n_vpcs - 1, 2):
            pairs.append((v, v + 1))
        for v in range(3, self.n_vpcs, 3):
            if len(pairs) >= max(1, self._n(40)):
                break
            pairs.append((0, v))
        out: list[dict[str, Any]] = []
        for n, (a, b) in enumerate(pairs):
            pcx = self.rid("pcx", a, b)
            status = "active"
            if n % 17 == 5:
                status = "pending-acceptance"
            elif n % 23 == 7:
                status = "deleted"
            va, vb = self.vpcs[a], self.vpcs[b]
            if status == "active":
                va.peers[vb.id] = pcx
                vb.peers[va.id] = pcx

            def side(p: VpcPlan) -> dict[str, Any]:
                return {
                    "CidrBlock": str(p.cidr),
                    "CidrBlockSet": [{"CidrBlock": str(p.cidr)}],
                    "OwnerId": ACCOUNT,
                    "PeeringOptions": {
                        "AllowDnsResolutionFromRemoteVpc": p.index == 0,
                        "AllowEgressFromLocalClassicLinkToRemoteVpc": False,
                        "AllowEgressFromLocalVpcToRemoteClassicLink": False,
                    },
                    "VpcId": p.id,
                    "Region": REGION,
                }

            out.append(
                {
                    "AccepterVpcInfo": side(vb),
                    "RequesterVpcInfo": side(va),
                    "Status": {"Code": status, "Message": status.replace("-", " ").title()},
                    "Tags": tags(Name=f"pcx-{a:02d}-{b:02d}"),
                    "VpcPeeringConnectionId": pcx,
                }
            )
        self.write("ec2", "describe-vpc-peering-connections", {"VpcPeeringConnections": out})
        self.count("peering connections", len(out))

    def gateways(self) -> None:
        igws: list[dict[str, Any]] = []
        nats: list[dict[str, Any]] = []
        addresses: list[dict[str, Any]] = []
        self.nat_enis: list[dict[str, Any]] = []
        for vpc in self.vpcs:
            state = "detached" if vpc.index == 11 else "available"
            igws.append(
                {
                    "Attachments": [{"State": state, "VpcId": vpc.id}],
                    "InternetGatewayId": vpc.igw_id,
                    "OwnerId": ACCOUNT,
                    "Tags": tags(Name=f"igw-{vpc.index:02d}"),
                }
            )
            for a, nat in enumerate(vpc.nat_ids):
                eni = self.rid("eni", "nat", vpc.index, a)
                alloc = self.rid("eipalloc", vpc.index, a)
                assoc = self.rid("eipassoc", vpc.index, a)
                private_ip = self.next_ip(vpc, a)
                public_ip = f"54.{64 + vpc.index // 64}.{vpc.index % 64 * 4 + a}.{10 + a}"
                nat_state = "failed" if (vpc.index, a) == (17, 1) else "available"
                nats.append(
                    {
                        "CreateTime": TS,
                        "NatGatewayAddresses": [
                            {
                                "AllocationId": alloc,
                                "NetworkInterfaceId": eni,
                                "PrivateIp": private_ip,
                                "PublicIp": public_ip,
                                "AssociationId": assoc,
                                "IsPrimary": True,
                                "Status": "succeeded",
                            }
                        ],
                        "NatGatewayId": nat,
                        "State": nat_state,
                        "SubnetId": vpc.subnet_ids[a],
                        "VpcId": vpc.id,
                        "Tags": tags(Name=f"nat-{vpc.index:02d}-{AZS[a][0][-1]}"),
                        "ConnectivityType": "public",
                        **(
                            {
                                "FailureCode": "Gateway.NotAttached",
                                "FailureMessage": "Network vpc is not attached to any IGW",
                            }
                            if nat_state == "failed"
                            else {}
                        ),
                    }
                )
                addresses.append(
                    {
                        "AllocationId": alloc,
                        "AssociationId": assoc,
                        "Domain": "vpc",
                        "NetworkInterfaceId": eni,
                        "NetworkInterfaceOwnerId": ACCOUNT,
                        "PrivateIpAddress": private_ip,
                        "PublicIp": public_ip,
                        "PublicIpv4Pool": "amazon",
                        "NetworkBorderGroup": REGION,
                    }
                )
                self.nat_enis.append(
                    self.eni(
                        vpc,
                        a,
                        eni,
                        private_ip,
                        interface_type="nat_gateway",
                        description=f"Interface for NAT Gateway {nat}",
                        groups=[],
                        requester=None,
                        managed=True,
                        public_ip=public_ip,
                        source_dest_check=False,
                        attachment=None,
                    )
                )
        self.write("ec2", "describe-internet-gateways", {"InternetGateways": igws})
        self.write("ec2", "describe-nat-gateways", {"NatGateways": nats})
        self.write("ec2", "describe-addresses", {"Addresses": addresses})
        self.write(
            "ec2",
            "describe-egress-only-internet-gateways",
            {
                "EgressOnlyInternetGateways": [
                    {
                        "Attachments": [{"State": "attached", "VpcId": self.vpcs[0].id}],
                        "EgressOnlyInternetGatewayId": self.rid("eigw", 0),
                        "Tags": tags(Name="eigw-shared"),
                    }
                ]
            },
        )
        self.count("NAT gateways", len(nats))
