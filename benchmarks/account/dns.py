"""Route 53 private zones and records, Route 53 Resolver endpoints, rules and associations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from benchmarks.account.base import (
    ACCOUNT,
    ELB_ZONE,
    REGION,
    TS,
    GeneratorBase,
)


class DnsOutputs(GeneratorBase):
    def zone_names(self) -> Iterator[str]:
        teams = ("payments", "orders", "search", "identity", "data", "platform", "ml", "ops")
        for z in range(self.n_zones):
            if z == 0:
                yield f"secretsmanager.{REGION}.amazonaws.com"
            elif z == 1:
                yield "corp.internal"
            else:
                yield f"{teams[z % len(teams)]}{z:03d}.{('corp', 'svc', 'int')[z % 3]}.internal"

    def route53(self) -> None:
        zones: list[dict[str, Any]] = []
        per_zone = max(3, -(-self.n_records // self.n_zones))
        records_total = 0
        for z, name in enumerate(self.zone_names()):
            zid = self.rid("Z", "zone", z, length=21).replace("Z-0", "Z0").upper()
            fq = name + "."
            vpcs = [self.vpcs[(z * 7 + i) % self.n_vpcs] for i in range(1 + z % 5)]
            if z == 1:
                vpcs = self.vpcs[: max(1, self.n_vpcs // 2)]
            if z % 29 == 11:
                vpcs = []  # a zone associated with no VPC: the usual bug
            records: list[dict[str, Any]] = [
                {
                    "Name": fq,
                    "Type": "NS",
                    "TTL": 172800,
                    "ResourceRecords": [
                        {"Value": "ns-1536.awsdns-00.co.uk."},
                        {"Value": "ns-0.awsdns-00.com."},
                        {"Value": "ns-1024.awsdns-00.org."},
                        {"Value": "ns-512.awsdns-00.net."},
                    ],
                },
                {
                    "Name": fq,
                    "Type": "SOA",
                    "TTL": 900,
                    "ResourceRecords": [
                        {
                            "Value": "ns-1536.awsdns-00.co.uk. awsdns-hostmaster.amazon.com. "
                            "1 7200 900 1209600 86400"
                        }
                    ],
                },
            ]
            home = vpcs[0] if vpcs else self.vpcs[0]
            for r in range(per_zone - 2):
                kind = r % 10
                rname = f"host-{r:04d}.{fq}"
                if kind < 6:
                    ip = (
                        home.host_ips[(z * 31 + r) % len(home.host_ips)]
                        if home.host_ips
                        else str(home.cidr.network_address + 100 + r)
                    )
                    records.append(
                        {"Name": rname, "Type": "A", "TTL": 300, "ResourceRecords": [{"Value": ip}]}
                    )
                elif kind == 6:
                    records.append(
                        {
                            "Name": f"svc-{r:04d}.{fq}",
                            "Type": "CNAME",
                            "TTL": 60,
                            "ResourceRecords": [{"Value": f"host-{r - 1:04d}.{fq}"}],
                        }
                    )
                elif kind == 7 and self.lb_dns:
                    dns, _ = self.lb_dns[(z + r) % len(self.lb_dns)]
                    records.append(
                        {
                            "Name": f"api-{r:04d}.{fq}",
                            "Type": "A",
                            "AliasTarget": {
                                "HostedZoneId": ELB_ZONE,
                                "DNSName": f"{dns}.",
                                "EvaluateTargetHealth": r % 2 == 0,
                            },
                        }
                    )
                elif kind == 8:
                    records.append(
                        {
                            "Name": f"w-{r // 20:04d}.{fq}",
                            "Type": "A",
                            "SetIdentifier": f"w{r}",
                            "Weight": 50,
                            "TTL": 60,
                            "ResourceRecords": [
                                {"Value": str(home.cidr.network_address + 200 + r % 50)}
                            ],
                        }
                    )
                else:
                    records.append(
                        {
                            "Name": f"txt-{r:04d}.{fq}",
                            "Type": "TXT",
                            "TTL": 300,
                            "ResourceRecords": [{"Value": f'"v=generated {r}"'}],
                        }
                    )
            records_total += len(records)
            self.write(
                "route53",
                "list-resource-record-sets",
                {"ResourceRecordSets": records, "IsTruncated": False, "MaxItems": "300"},
                owner=zid,
            )
            zone = {
                "Id": f"/hostedzone/{zid}",
                "Name": fq,
                "CallerReference": f"gen-{z}",
                "Config": {"Comment": f"generated zone {z}", "PrivateZone": True},
                "ResourceRecordSetCount": len(records),
            }
            zones.append(zone)
            self.write(
                "route53",
                "get-hosted-zone",
                {"HostedZone": zone, "VPCs": [{"VPCRegion": REGION, "VPCId": p.id} for p in vpcs]},
                owner=zid,
            )
        self.write(
            "route53",
            "list-hosted-zones",
            {"HostedZones": zones, "IsTruncated": False, "MaxItems": "100"},
        )
        self.count("hosted zones", len(zones))
        self.count("records", records_total)

    def resolver(self) -> None:
        hub = self.vpcs[0]
        endpoints: list[dict[str, Any]] = []
        out_ep = self.rid("rslvr-out", 0)
        in_ep = self.rid("rslvr-in", 0)
        for ep, direction in ((out_ep, "OUTBOUND"), (in_ep, "INBOUND")):
            ips = []
            for j in (3, 4):
                ips.append(
                    {
                        "IpId": self.rid("rni", ep, j),
                        "SubnetId": hub.subnet_ids[j],
                        "Ip": self.next_ip(hub, j),
                        "Status": "ATTACHED",
                        "StatusMessage": "This IP address is operational.",
                        "CreationTime": TS,
                        "ModificationTime": TS,
                    }
                )
            self.write(
                "route53resolver",
                "list-resolver-endpoint-ip-addresses",
                {"IpAddresses": ips, "MaxResults": 10},
                owner=ep,
            )
            endpoints.append(
                {
                    "Id": ep,
                    "CreatorRequestId": f"gen-{ep}",
                    "Arn": f"arn:aws:route53resolver:{REGION}:{ACCOUNT}:resolver-endpoint/{ep}",
                    "Name": direction.lower(),
                    "SecurityGroupIds": [hub.sg_ids[91]],
                    "Direction": direction,
                    "IpAddressCount": 2,
                    "HostVPCId": hub.id,
                    "Status": "OPERATIONAL",
                    "StatusMessage": "This Resolver Endpoint is operational.",
                    "CreationTime": TS,
                    "ModificationTime": TS,
                    "ResolverEndpointType": "IPV4",
                    "Protocols": ["Do53"],
                }
            )
        self.write(
            "route53resolver",
            "list-resolver-endpoints",
            {"ResolverEndpoints": endpoints, "MaxResults": 10},
        )
        rules: list[dict[str, Any]] = [
            {
                "Id": "rslvr-autodefined-rr-internet-resolver",
                "CreatorRequestId": "",
                "Arn": f"arn:aws:route53resolver:{REGION}:{ACCOUNT}:autodefined-rule/"
                "rslvr-autodefined-rr-internet-resolver",
                "DomainName": ".",
                "Status": "COMPLETE",
                "RuleType": "RECURSIVE",
                "Name": "Internet Resolver",
                "OwnerId": "Route 53 Resolver",
                "ShareStatus": "NOT_SHARED",
            }
        ]
        associations: list[dict[str, Any]] = []
        for n in range(max(2, self._n(30))):
            rule = self.rid("rslvr-rr", n)
            system = n % 10 == 9
            domain = (
                f"aws{n}.corp.example.com."
                if system
                else f"{('corp', 'dc', 'branch', 'legacy')[n % 4]}{n}.example.com."
            )
            if n == 0:
                domain = "corp.example.com."
            r: dict[str, Any] = {
                "Id": rule,
                "CreatorRequestId": f"gen-{rule}",
                "Arn": f"arn:aws:route53resolver:{REGION}:{ACCOUNT}:resolver-rule/{rule}",
                "DomainName": domain,
                "Status": "COMPLETE",
                "StatusMessage": "[Trace id: generated] Successfully created Resolver Rule.",
                "RuleType": "SYSTEM" if system else "FORWARD",
                "Name": f"rule-{n}",
                "OwnerId": ACCOUNT,
                "ShareStatus": "NOT_SHARED",
                "CreationTime": TS,
                "ModificationTime": TS,
            }
            if not system:
                r["TargetIps"] = [
                    {"Ip": "192.168.10.2", "Port": 53, "Protocol": "Do53"},
                    {"Ip": "192.168.11.2", "Port": 53, "Protocol": "Do53"},
                ]
                r["ResolverEndpointId"] = out_ep
            rules.append(r)
            for i in range(n % 3 * 10, self.n_vpcs, 1 + n % 3):
                vpc = self.vpcs[i]
                associations.append(
                    {
                        "Id": self.rid("rslvr-rrassoc", n, i),
                        "ResolverRuleId": rule,
                        "Name": f"rule-{n}-{vpc.index:02d}",
                        "VPCId": vpc.id,
                        "Status": "COMPLETE",
                        "StatusMessage": "",
                    }
                )
        self.write(
            "route53resolver", "list-resolver-rules", {"ResolverRules": rules, "MaxResults": 100}
        )
        self.write(
            "route53resolver",
            "list-resolver-rule-associations",
            {"ResolverRuleAssociations": associations, "MaxResults": 100},
        )
        self.count("resolver rules", len(rules))
        self.count("resolver rule associations", len(associations))
