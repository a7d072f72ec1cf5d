"""The transit gateway and VPN, Lambda functions and their ENIs, load balancers and databases."""

from __future__ import annotations

import hashlib
from typing import Any

from benchmarks.account.base import (
    ACCOUNT,
    ARN_EC2,
    ARN_LAMBDA,
    AZS,
    ELB_ZONE,
    LAMBDA_GROUPS_PER_VPC,
    LAMBDA_TS,
    PROFILES_PER_VPC,
    REGION,
    RUNTIMES,
    SUBNETS_PER_VPC,
    TS,
    GeneratorBase,
)
from vpcdoctor.graph.sources.outputs import (
    tags,
)


class ComputeOutputs(GeneratorBase):
    def transit_gateway(self) -> None:
        self.write(
            "ec2",
            "describe-transit-gateways",
            {
                "TransitGateways": [
                    {
                        "TransitGatewayId": self.tgw_id,
                        "TransitGatewayArn": f"{ARN_EC2}:transit-gateway/{self.tgw_id}",
                        "State": "available",
                        "OwnerId": ACCOUNT,
                        "Description": "core",
                        "CreationTime": TS,
                        "Options": {
                            "AmazonSideAsn": 64512,
                            "AutoAcceptSharedAttachments": "disable",
                            "DefaultRouteTableAssociation": "enable",
                            "AssociationDefaultRouteTableId": self.tgw_rtbs[0],
                            "DefaultRouteTablePropagation": "enable",
                            "PropagationDefaultRouteTableId": self.tgw_rtbs[0],
                            "VpnEcmpSupport": "enable",
                            "DnsSupport": "enable",
                            "MulticastSupport": "disable",
                        },
                        "Tags": tags(Name="core-tgw"),
                    }
                ]
            },
        )
        attachments: list[dict[str, Any]] = []
        vpc_attachments: list[dict[str, Any]] = []
        routes: dict[str, list[dict[str, Any]]] = {r: [] for r in self.tgw_rtbs}
        for vpc in self.vpcs:
            if not vpc.tgw_attached:
                continue
            att = self.rid("tgw-attach", vpc.index)
            rtb = self.tgw_rtbs[0 if vpc.index else 1]
            attachments.append(
                {
                    "TransitGatewayAttachmentId": att,
                    "TransitGatewayId": self.tgw_id,
                    "TransitGatewayOwnerId": ACCOUNT,
                    "ResourceOwnerId": ACCOUNT,
                    "ResourceType": "vpc",
                    "ResourceId": vpc.id,
                    "State": "available",
                    "Association": {"TransitGatewayRouteTableId": rtb, "State": "associated"},
                    "CreationTime": TS,
                    "Tags": tags(Name=f"attach-{vpc.index:02d}"),
                }
            )
            vpc_attachments.append(
                {
                    "TransitGatewayAttachmentId": att,
                    "TransitGatewayId": self.tgw_id,
                    "VpcId": vpc.id,
                    "VpcOwnerId": ACCOUNT,
                    "State": "available",
                    "SubnetIds": [vpc.subnet_ids[j] for j in (3, 4, 5)],
                    "CreationTime": TS,
                    "Options": {
                        "DnsSupport": "enable",
                        "Ipv6Support": "disable",
                        "ApplianceModeSupport": "disable",
                    },
                    "Tags": [],
                }
            )
            for r in self.tgw_rtbs:
                if vpc.index % 7 == 3 and r == self.tgw_rtbs[0]:
                    continue  # propagation missing: a realistic gap
                routes[r].append(
                    {
                        "DestinationCidrBlock": str(vpc.cidr),
                        "TransitGatewayAttachments": [
                            {
                                "ResourceId": vpc.id,
                                "TransitGatewayAttachmentId": att,
                                "ResourceType": "vpc",
                            }
                        ],
                        "Type": "propagated",
                        "State": "active",
                    }
                )
        attachments.append(
            {
                "TransitGatewayAttachmentId": self.vpn_attachment,
                "TransitGatewayId": self.tgw_id,
                "TransitGatewayOwnerId": ACCOUNT,
                "ResourceOwnerId": ACCOUNT,
                "ResourceType": "vpn",
                "ResourceId": self.rid("vpn", 0),
                "State": "available",
                "Association": {
                    "TransitGatewayRouteTableId": self.tgw_rtbs[1],
                    "State": "associated",
                },
                "CreationTime": TS,
                "Tags": tags(Name="onprem-vpn"),
            }
        )
        for r in self.tgw_rtbs:
            routes[r].append(
                {
                    "DestinationCidrBlock": "192.168.0.0/16",
                    "TransitGatewayAttachments": [
                        {
                            "ResourceId": self.rid("vpn", 0),
                            "TransitGatewayAttachmentId": self.vpn_attachment,
                            "ResourceType": "vpn",
                        }
                    ],
                    "Type": "static",
                    "State": "active",
                }
            )
            routes[r].append(
                {"DestinationCidrBlock": "10.250.0.0/16", "Type": "static", "State": "blackhole"}
            )
            routes[r].append(
                {
                    "PrefixListId": self.customer_pls[1][0],
                    "TransitGatewayAttachments": [
                        {
                            "ResourceId": self.rid("vpn", 0),
                            "TransitGatewayAttachmentId": self.vpn_attachment,
                            "ResourceType": "vpn",
                        }
                    ],
                    "Type": "static",
                    "State": "active",
                }
            )
            self.write(
                "ec2",
                "search-transit-gateway-routes",
                {"Routes": routes[r], "AdditionalRoutesAvailable": False},
                owner=r,
            )
        self.write(
            "ec2",
            "describe-transit-gateway-attachments",
            {"TransitGatewayAttachments": attachments},
        )
        self.write(
            "ec2",
            "describe-transit-gateway-vpc-attachments",
            {"TransitGatewayVpcAttachments": vpc_attachments},
        )
        self.write(
            "ec2",
            "describe-transit-gateway-route-tables",
            {
                "TransitGatewayRouteTables": [
                    {
                        "TransitGatewayRouteTableId": r,
                        "TransitGatewayId": self.tgw_id,
                        "State": "available",
                        "DefaultAssociationRouteTable": n == 0,
                        "DefaultPropagationRouteTable": n == 0,
                        "CreationTime": TS,
                        "Tags": tags(Name=("spokes", "shared")[n]),
                    }
                    for n, r in enumerate(self.tgw_rtbs)
                ]
            },
        )

    def functions_and_enis(self) -> None:
        rng = self.rng
        enis: list[dict[str, Any]] = [*self.nat_enis, *self.vpce_enis]
        # Lambda VpcConfigs: a few per VPC, shared by many functions (Hyperplane ENIs are per
        # (subnet, security-group set), not per function).
        for vpc in self.vpcs:
            for p in range(PROFILES_PER_VPC):
                js = [3 + ((p * 3 + a * 7) % (SUBNETS_PER_VPC - 3)) for a in range(3)]
                js = [3 + ((j - 3) - (j - 3) % 3 + a) for a, j in enumerate(js)]
                if p % 5 == 4:
                    js = js[:1]  # single-AZ function: a warning, not an error
                sgs = rng.sample(vpc.lambda_sg_ids, 1 + p % 2)
                vpc.profiles.append((tuple(vpc.subnet_ids[j] for j in js), tuple(sgs)))
        configs: list[dict[str, Any]] = []
        used: dict[tuple[int, int], str] = {}
        for n in range(self.n_functions):
            vpc = self.vpcs[n % self.n_vpcs]
            p = rng.randrange(PROFILES_PER_VPC)
            subnet_ids, sg_ids = vpc.profiles[p]
            name = f"{('orders', 'billing', 'search', 'etl', 'auth', 'notify')[n % 6]}-{n:05d}"
            used.setdefault((vpc.index, p), name)
            configs.append(
                self._function(
                    n,
                    name,
                    {
                        "SubnetIds": list(subnet_ids),
                        "SecurityGroupIds": list(sg_ids),
                        "VpcId": vpc.id,
                        "Ipv6AllowedForDualStack": False,
                    },
                )
            )
        for n in range(max(1, self._n(40))):
            configs.append(self._function(self.n_functions + n, f"edge-{n:04d}", None))
        for (v, p), first in sorted(used.items()):
            vpc = self.vpcs[v]
            subnet_ids, sg_ids = vpc.profiles[p]
            for sid in subnet_ids:
                j = vpc.subnet_ids.index(sid)
                eni_id = self.rid("eni", "lambda", v, p, j)
                enis.append(
                    self.eni(
                        vpc,
                        j,
                        eni_id,
                        self.next_ip(vpc, j),
                        interface_type="lambda",
                        description=f"AWS Lambda VPC ENI-{first}-{eni_id[-8:]}",
                        groups=list(sg_ids),
                        requester=f"AROAEXAMPLELAMBDA{v:04d}:{first}",
                        managed=True,
                        attachment={
                            "AttachmentId": self.rid("ela-attach", v, p, j),
                            "AttachTime": TS,
                            "DeleteOnTermination": False,
                            "DeviceIndex": 1,
                            "InstanceOwnerId": "amazon-aws",
                            "Status": "attached",
                        },
                    )
                )
        list_functions = []
        for c in configs:
            name = c["FunctionName"]
            self.function_names.append(name)
            self.write("lambda", "get-function-configuration", c, owner=name)
            listed = {
                k: val
                for k, val in c.items()
                if k
                not in (
                    "State",
                    "StateReason",
                    "StateReasonCode",
                    "LastUpdateStatus",
                    "LastUpdateStatusReason",
                    "LastUpdateStatusReasonCode",
                )
            }
            list_functions.append(listed)
        self.write("lambda", "list-functions", {"Functions": list_functions})
        for n, name in enumerate(self.function_names[: self._n(60)]):
            if n % 3 == 0:
                self.write(
                    "lambda",
                    "get-function-concurrency",
                    {"ReservedConcurrentExecutions": n % 7},
                    owner=name,
                )
            self.write(
                "lambda",
                "list-provisioned-concurrency-configs",
                {
                    "ProvisionedConcurrencyConfigs": []
                    if n % 2
                    else [
                        {
                            "FunctionArn": f"{ARN_LAMBDA}:function:{name}:live",
                            "RequestedProvisionedConcurrentExecutions": 5,
                            "AvailableProvisionedConcurrentExecutions": 5,
                            "AllocatedProvisionedConcurrentExecutions": 5,
                            "Status": "READY",
                            "LastModified": LAMBDA_TS,
                        }
                    ]
                },
                owner=name,
            )
        self.count("functions", len(configs))
        # Instance ENIs fill the account up to the requested count.
        filler = self.n_enis - len(enis)
        for n in range(max(0, filler)):
            vpc = self.vpcs[n % self.n_vpcs]
            j = rng.randrange(SUBNETS_PER_VPC)
            inst = self.rid("i", vpc.index, n)
            ip = self.next_ip(vpc, j)
            vpc.host_ips.append(ip)
            enis.append(
                self.eni(
                    vpc,
                    j,
                    self.rid("eni", "inst", n),
                    ip,
                    interface_type="interface",
                    description="" if n % 5 else "Primary network interface",
                    groups=rng.sample(vpc.sg_ids[LAMBDA_GROUPS_PER_VPC + 1 :], 1 + n % 3),
                    requester=None,
                    managed=False,
                    public_ip=f"13.{112 + n // 65000}.{n // 250 % 256}.{n % 250 + 1}"
                    if j < 3
                    else None,
                    attachment={
                        "AttachTime": TS,
                        "AttachmentId": self.rid("eni-attach", n),
                        "DeleteOnTermination": True,
                        "DeviceIndex": 0,
                        "NetworkCardIndex": 0,
                        "InstanceId": inst,
                        "InstanceOwnerId": ACCOUNT,
                        "Status": "attached",
                    },
                )
            )
        self.write("ec2", "describe-network-interfaces", {"NetworkInterfaces": enis})

    def _function(self, n: int, name: str, vpc_config: dict[str, Any] | None) -> dict[str, Any]:
        state, reason_code, reason = "Active", None, None
        if n % 97 == 13:
            state, reason_code = "Failed", "SubnetOutOfIPAddresses"
            reason = "The function could not be created: no free IP addresses in the subnet."
        elif n % 89 == 7:
            state, reason_code, reason = "Pending", "Creating", "The function is being created."
        package = "Image" if n % 11 == 0 else "Zip"
        out: dict[str, Any] = {
            "FunctionName": name,
            "FunctionArn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}",
            "Role": f"arn:aws:iam::{ACCOUNT}:role/{name}-role",
            "CodeSize": 4096 + n,
            "Description": f"generated function {n}",
            "Timeout": 30,
            "MemorySize": 512,
            "LastModified": LAMBDA_TS,
            "CodeSha256": hashlib.sha256(name.encode()).hexdigest(),
            "Version": "$LATEST",
            "TracingConfig": {"Mode": "PassThrough"},
            "RevisionId": self.rid("rev", n, length=36),
            "PackageType": package,
            "Architectures": ["arm64" if n % 2 else "x86_64"],
            "EphemeralStorage": {"Size": 512},
            "SnapStart": {"ApplyOn": "None", "OptimizationStatus": "Off"},
            "LoggingConfig": {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{name}"},
            "State": state,
            "LastUpdateStatus": "Successful",
        }
        if package == "Zip":
            out["Runtime"] = RUNTIMES[n % len(RUNTIMES)]
            out["Handler"] = "app.handler"
        if reason_code:
            out["StateReasonCode"] = reason_code
            out["StateReason"] = reason
        if vpc_config is not None:
            out["VpcConfig"] = vpc_config
        return out

    def load_balancers_and_databases(self) -> None:
        lbs: list[dict[str, Any]] = []
        dbs: list[dict[str, Any]] = []
        for n in range(self._n(100)):
            vpc = self.vpcs[n % self.n_vpcs]
            name = f"internal-api-{n:03d}"
            dns = f"internal-{name}-{1000000 + n}.{REGION}.elb.amazonaws.com"
            self.lb_dns.append((dns, vpc.id))
            lbs.append(
                {
                    "LoadBalancerArn": f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:"
                    f"loadbalancer/app/{name}/{self.rid('lb', n)[3:19]}",
                    "DNSName": dns,
                    "CanonicalHostedZoneId": ELB_ZONE,
                    "CreatedTime": TS,
                    "LoadBalancerName": name,
                    "Scheme": "internal",
                    "VpcId": vpc.id,
                    "State": {"Code": "active"},
                    "Type": "application",
                    "AvailabilityZones": [
                        {"ZoneName": AZS[a][0], "SubnetId": vpc.subnet_ids[3 + a]} for a in range(3)
                    ],
                    "SecurityGroups": [vpc.sg_ids[40 + n % 10]],
                    "IpAddressType": "ipv4",
                }
            )
            db = f"db-{n:03d}"
            dbs.append(
                {
                    "DBInstanceIdentifier": db,
                    "DBInstanceClass": "db.r6g.large",
                    "Engine": "postgres",
                    "DBInstanceStatus": "available",
                    "Endpoint": {
                        "Address": f"{db}.c1abcdefgh.{REGION}.rds.amazonaws.com",
                        "Port": 5432,
                        "HostedZoneId": "Z24O6O9L7SGTNB",
                    },
                    "VpcSecurityGroups": [
                        {"VpcSecurityGroupId": vpc.sg_ids[30 + n % 2], "Status": "active"}
                    ],
                    "DBSubnetGroup": {
                        "DBSubnetGroupName": f"dbsubnets-{vpc.index:02d}",
                        "VpcId": vpc.id,
                        "SubnetGroupStatus": "Complete",
                        "Subnets": [
                            {
                                "SubnetIdentifier": vpc.subnet_ids[6 + a],
                                "SubnetAvailabilityZone": {"Name": AZS[a][0]},
                                "SubnetStatus": "Active",
                            }
                            for a in range(3)
                        ],
                    },
                    "PubliclyAccessible": False,
                    "MultiAZ": n % 2 == 0,
                }
            )
        self.write("elbv2", "describe-load-balancers", {"LoadBalancers": lbs})
        self.write("rds", "describe-db-instances", {"DBInstances": dbs})
