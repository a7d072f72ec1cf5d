"""VPC endpoints, security groups, route tables and network ACLs."""

from __future__ import annotations

import json
from typing import Any

from benchmarks.account.base import (
    ACCOUNT,
    DDB_PL,
    INTERFACE_SERVICES,
    LAMBDA_GROUPS_PER_VPC,
    NACLS_PER_VPC,
    REGION,
    ROUTE_TABLES_PER_VPC,
    S3_PL,
    SUBNETS_PER_VPC,
    TS,
    GeneratorBase,
)
from vpcdoctor.graph.sources.outputs import (
    local_route,
    network_acl_association,
    network_acl_entry,
    route,
    route_table_association,
    tags,
)


class FilterOutputs(GeneratorBase):
    def endpoints_and_enis_prep(self) -> None:
        endpoints: list[dict[str, Any]] = []
        self.vpce_enis: list[dict[str, Any]] = []
        self.gateway_endpoints: dict[tuple[str, str], str] = {}
        for vpc in self.vpcs:
            v = vpc.index
            for svc in ("s3", "dynamodb"):
                if svc == "dynamodb" and v % 2:
                    continue
                vpce = self.rid("vpce", v, svc)
                self.gateway_endpoints[(vpc.id, svc)] = vpce
                endpoints.append(
                    {
                        "VpcEndpointId": vpce,
                        "VpcEndpointType": "Gateway",
                        "VpcId": vpc.id,
                        "ServiceName": f"com.amazonaws.{REGION}.{svc}",
                        "State": "available",
                        "PolicyDocument": json.dumps(
                            {
                                "Version": "2008-10-17",
                                "Statement": [
                                    {
                                        "Effect": "Allow",
                                        "Principal": "*",
                                        "Action": "*",
                                        "Resource": "*",
                                    }
                                ],
                            }
                        ),
                        "RouteTableIds": vpc.route_table_ids[1:],
                        "SubnetIds": [],
                        "Groups": [],
                        "PrivateDnsEnabled": False,
                        "RequesterManaged": False,
                        "NetworkInterfaceIds": [],
                        "DnsEntries": [],
                        "CreationTimestamp": TS,
                        "Tags": tags(Name=f"{svc}-gw-{v:02d}"),
                        "OwnerId": ACCOUNT,
                    }
                )
            if v % 2:
                continue
            for n, svc in enumerate(INTERFACE_SERVICES):
                if (v + n) % 3 == 0:
                    continue
                vpce = self.rid("vpce", v, svc)
                enis = []
                for j in (3, 4, 5):
                    eni_id = self.rid("eni", "vpce", v, svc, j)
                    enis.append(eni_id)
                    self.vpce_enis.append(
                        self.eni(
                            vpc,
                            j,
                            eni_id,
                            self.next_ip(vpc, j),
                            interface_type="vpc_endpoint",
                            description=f"VPC Endpoint Interface {vpce}",
                            groups=[vpc.sg_ids[90]],
                            requester="727180483921",
                            managed=True,
                        )
                    )
                suffix = f"{vpce}-{eni_id[-8:]}.{svc}.{REGION}.vpce.amazonaws.com"
                endpoints.append(
                    {
                        "VpcEndpointId": vpce,
                        "VpcEndpointType": "Interface",
                        "VpcId": vpc.id,
                        "ServiceName": f"com.amazonaws.{REGION}.{svc}",
                        "State": "available" if (v, svc) != (4, "sts") else "pendingAcceptance",
                        "PolicyDocument": json.dumps(
                            {
                                "Statement": [
                                    {
                                        "Effect": "Allow",
                                        "Principal": "*",
                                        "Action": "*",
                                        "Resource": "*",
                                    }
                                ]
                            }
                        ),
                        "RouteTableIds": [],
                        "SubnetIds": [vpc.subnet_ids[j] for j in (3, 4, 5)],
                        "Groups": [{"GroupId": vpc.sg_ids[90], "GroupName": "vpce-https"}],
                        "IpAddressType": "ipv4",
                        "DnsOptions": {"DnsRecordIpType": "ipv4"},
                        "PrivateDnsEnabled": n % 4 != 3,
                        "RequesterManaged": False,
                        "NetworkInterfaceIds": enis,
                        "DnsEntries": [
                            {"DnsName": suffix, "HostedZoneId": "Z2E726K9Y6RL4W"},
                            {
                                "DnsName": f"{svc}.{REGION}.amazonaws.com",
                                "HostedZoneId": self.rid("Z", v, svc, length=14),
                            },
                        ],
                        "CreationTimestamp": TS,
                        "Tags": tags(Name=f"{svc}-{v:02d}"),
                        "OwnerId": ACCOUNT,
                    }
                )
        self.write("ec2", "describe-vpc-endpoints", {"VpcEndpoints": endpoints})
        self.count("VPC endpoints", len(endpoints))

    def security_groups(self) -> None:
        groups: list[dict[str, Any]] = []
        rules = 0
        pl_ids = [pl for pl, _, _ in self.customer_pls]
        for vpc in self.vpcs:
            v = vpc.index
            for k, sg in enumerate(vpc.sg_ids):
                rng = self.rng
                if k == 0:
                    name = "default"
                elif k <= LAMBDA_GROUPS_PER_VPC:
                    name = f"lambda-{v:02d}-{k:02d}"
                elif k == 90:
                    name = "vpce-https"
                else:
                    name = f"app-{v:02d}-{k:03d}"
                ingress: list[dict[str, Any]] = []
                egress: list[dict[str, Any]] = []
                if k == 0:
                    ingress.append(
                        {
                            "IpProtocol": "-1",
                            "IpRanges": [],
                            "Ipv6Ranges": [],
                            "PrefixListIds": [],
                            "UserIdGroupPairs": [{"GroupId": sg, "UserId": ACCOUNT}],
                        }
                    )
                elif k == 90:
                    ingress.append(self._perm("tcp", 443, 443, cidrs=[str(vpc.cidr), "10.0.0.0/8"]))
                else:
                    peers = rng.sample(vpc.sg_ids[1:], 3)
                    ingress.append(
                        self._perm("tcp", 443, 443, cidrs=[str(vpc.cidr), "172.16.0.0/12"])
                    )
                    ingress.append(self._perm("tcp", 8080, 8080, groups=peers[:2]))
                    ingress.append(self._perm("tcp", 5432, 5432, groups=peers[2:]))
                    ingress.append(
                        self._perm("tcp", 22, 22, cidrs=["10.0.0.0/8"], pls=[rng.choice(pl_ids)])
                    )
                    ingress.append(self._perm("udp", 53, 53, cidrs=[str(vpc.cidr)]))
                    ingress.append(self._perm("icmp", -1, -1, cidrs=["10.0.0.0/8"]))
                    if vpc.peers and k % 4 == 0:
                        peer_vpc_id, pcx = next(iter(vpc.peers.items()))
                        peer = next(p for p in self.vpcs if p.id == peer_vpc_id)
                        ingress.append(
                            {
                                "FromPort": 6379,
                                "IpProtocol": "tcp",
                                "IpRanges": [],
                                "Ipv6Ranges": [],
                                "PrefixListIds": [],
                                "ToPort": 6379,
                                "UserIdGroupPairs": [
                                    {
                                        "GroupId": peer.sg_ids[k],
                                        "UserId": ACCOUNT,
                                        "VpcId": peer.id,
                                        "VpcPeeringConnectionId": pcx,
                                        "PeeringStatus": "active",
                                    }
                                ],
                            }
                        )
                if k <= LAMBDA_GROUPS_PER_VPC and k % 7 == 6:
                    # A restricted Lambda group: no route to the internet through it.
                    egress.append(self._perm("tcp", 443, 443, cidrs=["10.0.0.0/8"]))
                    egress.append(self._perm("tcp", 5432, 5432, groups=vpc.sg_ids[30:32]))
                    egress.append(self._perm("tcp", 443, 443, pls=[S3_PL]))
                else:
                    egress.append(
                        {
                            "IpProtocol": "-1",
                            "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                            "Ipv6Ranges": [],
                            "PrefixListIds": [],
                            "UserIdGroupPairs": [],
                        }
                    )
                if k > LAMBDA_GROUPS_PER_VPC and k % 3 == 0:
                    egress.append(self._perm("udp", 53, 53, cidrs=[str(vpc.cidr)]))
                for perm in (*ingress, *egress):
                    rules += (
                        len(perm["IpRanges"])
                        + len(perm["Ipv6Ranges"])
                        + len(perm["PrefixListIds"])
                        + len(perm["UserIdGroupPairs"])
                    )
                groups.append(
                    {
                        "Description": "default VPC security group" if k == 0 else f"{name} group",
                        "GroupName": name,
                        "IpPermissions": ingress,
                        "OwnerId": ACCOUNT,
                        "GroupId": sg,
                        "IpPermissionsEgress": egress,
                        "Tags": [] if k == 0 else tags(Name=name),
                        "VpcId": vpc.id,
                        "SecurityGroupArn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/{sg}",
                    }
                )
        self.write("ec2", "describe-security-groups", {"SecurityGroups": groups})
        self.count("security groups", len(groups))
        self.count("security group rules", rules)

    @staticmethod
    def _perm(
        proto: str,
        low: int,
        high: int,
        *,
        cidrs: list[str] | None = None,
        groups: list[str] | None = None,
        pls: list[str] | None = None,
    ) -> dict[str, Any]:
        return {
            "FromPort": low,
            "IpProtocol": proto,
            "ToPort": high,
            "IpRanges": [{"CidrIp": c, "Description": "generated"} for c in cidrs or ()],
            "Ipv6Ranges": [],
            "PrefixListIds": [{"PrefixListId": p} for p in pls or ()],
            "UserIdGroupPairs": [{"GroupId": g, "UserId": ACCOUNT} for g in groups or ()],
        }

    def route_tables(self) -> None:
        out: list[dict[str, Any]] = []
        n_routes = 0
        corp_pl = self.customer_pls[0][0]
        for vpc in self.vpcs:
            v = vpc.index
            private_by_az: dict[int, list[int]] = {0: [], 1: [], 2: []}
            for j in vpc.private_subnets():
                private_by_az[vpc.az_of(j)].append(j)
            private_rts = list(range(2, ROUTE_TABLES_PER_VPC))
            rt_subnets: dict[int, list[int]] = {k: [] for k in range(ROUTE_TABLES_PER_VPC)}
            rt_subnets[1] = [0, 1, 2]
            rts_by_az = {a: [k for k in private_rts if k % 3 == a] for a in range(3)}
            for a, subnets in private_by_az.items():
                for n, j in enumerate(subnets):
                    rts = rts_by_az[a]
                    if n < len(rts) * 2:
                        rt_subnets[rts[n % len(rts)]].append(j)
                    # The rest use the main route table (implicit association).
            for k, rtb in enumerate(vpc.route_table_ids):
                routes: list[dict[str, Any]] = [local_route(str(vpc.cidr))]
                if k == 1:
                    routes.append(route("0.0.0.0/0", GatewayId=vpc.igw_id))
                elif k > 1:
                    az = k % 3
                    if k % 10 != 7:
                        state = "active" if k % 13 != 4 else "blackhole"
                        routes.append(route("0.0.0.0/0", NatGatewayId=vpc.nat_ids[az], state=state))
                    if vpc.tgw_attached:
                        routes.append(route("10.0.0.0/8", TransitGatewayId=self.tgw_id))
                        routes.append(route(corp_pl, TransitGatewayId=self.tgw_id))
                    if k % 2 == 0:
                        for peer_id, pcx in vpc.peers.items():
                            peer = next(p for p in self.vpcs if p.id == peer_id)
                            routes.append(route(str(peer.cidr), VpcPeeringConnectionId=pcx))
                if k >= 1:
                    for svc in ("s3", "dynamodb"):
                        vpce = self.gateway_endpoints.get((vpc.id, svc))
                        if vpce:
                            routes.append(route(S3_PL if svc == "s3" else DDB_PL, GatewayId=vpce))
                associations: list[dict[str, Any]] = []
                if k == 0:
                    associations.append(
                        route_table_association(self.rid("rtbassoc", v, k), rtb, main=True)
                    )
                for j in rt_subnets[k]:
                    associations.append(
                        route_table_association(
                            self.rid("rtbassoc", v, k, j), rtb, vpc.subnet_ids[j]
                        )
                    )
                n_routes += len(routes)
                out.append(
                    {
                        "Associations": associations,
                        "PropagatingVgws": [],
                        "RouteTableId": rtb,
                        "Routes": routes,
                        "Tags": tags(
                            Name=["main", "public"][k] if k < 2 else f"private-{v:02d}-{k:02d}"
                        ),
                        "VpcId": vpc.id,
                        "OwnerId": ACCOUNT,
                    }
                )
        self.write("ec2", "describe-route-tables", {"RouteTables": out})
        self.count("route tables", len(out))
        self.count("routes", n_routes)

    def network_acls(self) -> None:
        out: list[dict[str, Any]] = []
        for vpc in self.vpcs:
            v = vpc.index
            custom = {k: [k - 1] for k in range(1, NACLS_PER_VPC)}
            for k in range(NACLS_PER_VPC):
                acl = self.rid("acl", v, k)
                entries: list[dict[str, Any]] = []
                for egress in (False, True):
                    if k == 0:
                        entries.append(network_acl_entry(100, egress, "-1", "allow", "0.0.0.0/0"))
                    else:
                        entries.append(
                            network_acl_entry(100, egress, "6", "allow", "0.0.0.0/0", (443, 443))
                        )
                        if not (egress is False and k % 13 == 5):
                            entries.append(
                                network_acl_entry(
                                    110, egress, "6", "allow", "0.0.0.0/0", (1024, 65535)
                                )
                            )
                        entries.append(network_acl_entry(120, egress, "-1", "allow", "10.0.0.0/8"))
                        entries.append(
                            network_acl_entry(130, egress, "17", "allow", str(vpc.cidr), (53, 53))
                        )
                        if k % 11 == 3:
                            entries.append(
                                network_acl_entry(
                                    90, egress, "6", "deny", "203.0.113.0/24", (443, 443)
                                )
                            )
                    entries.append(network_acl_entry(32767, egress, "-1", "deny", "0.0.0.0/0"))
                if k == 0:
                    subnets = [j for j in range(NACLS_PER_VPC - 1, SUBNETS_PER_VPC)]
                else:
                    subnets = custom[k]
                out.append(
                    {
                        "Associations": [
                            network_acl_association(
                                self.rid("aclassoc", v, j), acl, vpc.subnet_ids[j]
                            )
                            for j in subnets
                        ],
                        "Entries": entries,
                        "IsDefault": k == 0,
                        "NetworkAclId": acl,
                        "Tags": tags(Name=f"acl-{v:02d}-{k:02d}") if k else [],
                        "VpcId": vpc.id,
                        "OwnerId": ACCOUNT,
                    }
                )
        self.write("ec2", "describe-network-acls", {"NetworkAcls": out})
        self.count("network ACLs", len(out))
