"""Parsers of load balancers, RDS databases and proxies, and STS caller identity."""

from __future__ import annotations

import os

from vpcdoctor.graph.model import (
    DbCluster,
    DbEndpoint,
    DbInstance,
    DbProxy,
    LoadBalancer,
    normalize_dns_name,
)
from vpcdoctor.graph.sources.parse.builder import AccountBuilder, _arn_hint, _parser
from vpcdoctor.graph.sources.parse.values import (
    Invalid,
    Item,
    _ids,
    _items,
    _port,
    _req,
    _shown,
    _str,
    _strs,
)

# ---- ELB, RDS, STS ---------------------------------------------------------------------------


@_parser("describe-load-balancers")
def _load_balancers(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, lb in _items(data, "LoadBalancers"):
        arn = _req(lb, "LoadBalancerArn", base)
        state = lb.get("State") or {}
        balancer = LoadBalancer(
            arn=arn,
            name=_str(lb, "LoadBalancerName") or arn.rsplit("/", 2)[-2],
            dns_name=normalize_dns_name(_req(lb, "DNSName", base)),
            scheme=_req(lb, "Scheme", base),
            type=_str(lb, "Type") or "application",
            vpc_id=_str(lb, "VpcId"),
            subnet_ids=_ids(lb.get("AvailabilityZones"), "SubnetId"),
            security_group_ids=_strs(lb.get("SecurityGroups")),
            canonical_hosted_zone_id=_str(lb, "CanonicalHostedZoneId"),
            state=_str(state, "Code"),
        )
        b.load_balancers.add(arn, balancer, src, base)
        _arn_hint(b, arn)


def _db_endpoint(address: object, port: object, base: str) -> DbEndpoint | None:
    if not isinstance(address, str) or not address:
        return None
    return DbEndpoint(address=normalize_dns_name(address), port=_port(port, f"{base}.Port"))


@_parser("describe-db-instances")
def _db_instances(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, d in _items(data, "DBInstances"):
        db_id = _req(d, "DBInstanceIdentifier", base)
        endpoint = d.get("Endpoint") or {}
        group = d.get("DBSubnetGroup") or {}
        instance = DbInstance(
            id=db_id,
            engine=_str(d, "Engine") or "",
            status=_str(d, "DBInstanceStatus"),
            endpoint=_db_endpoint(
                endpoint.get("Address"), endpoint.get("Port"), f"{base}.Endpoint"
            ),
            security_group_ids=_ids(d.get("VpcSecurityGroups"), "VpcSecurityGroupId"),
            subnet_ids=_ids(group.get("Subnets"), "SubnetIdentifier"),
            vpc_id=_str(group, "VpcId"),
            cluster_id=_str(d, "DBClusterIdentifier"),
            publicly_accessible=bool(d.get("PubliclyAccessible")),
            availability_zone=_str(d, "AvailabilityZone"),
        )
        b.db_instances.add(db_id, instance, src, base)
        _arn_hint(b, _str(d, "DBInstanceArn"))


@_parser("describe-db-clusters")
def _db_clusters(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, d in _items(data, "DBClusters"):
        cluster_id = _req(d, "DBClusterIdentifier", base)
        port = _port(d.get("Port"), f"{base}.Port")
        cluster = DbCluster(
            id=cluster_id,
            engine=_str(d, "Engine") or "",
            status=_str(d, "Status"),
            endpoint=_db_endpoint(d.get("Endpoint"), port, base),
            reader_endpoint=_db_endpoint(d.get("ReaderEndpoint"), port, base),
            port=port,
            security_group_ids=_ids(d.get("VpcSecurityGroups"), "VpcSecurityGroupId"),
            member_ids=_ids(d.get("DBClusterMembers"), "DBInstanceIdentifier"),
            writer_ids=_ids(
                [
                    m
                    for m in d.get("DBClusterMembers") or ()
                    if isinstance(m, dict) and m.get("IsClusterWriter")
                ],
                "DBInstanceIdentifier",
            ),
            subnet_group_name=_str(d, "DBSubnetGroup"),
        )
        b.db_clusters.add(cluster_id, cluster, src, base)
        _arn_hint(b, _str(d, "DBClusterArn"))


@_parser("describe-db-proxies")
def _db_proxies(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, p in _items(data, "DBProxies"):
        name = _req(p, "DBProxyName", base)
        proxy = DbProxy(
            name=name,
            arn=_str(p, "DBProxyArn") or "",
            engine_family=_str(p, "EngineFamily") or "",
            endpoint=normalize_dns_name(_str(p, "Endpoint") or ""),
            status=_str(p, "Status"),
            vpc_id=_str(p, "VpcId"),
            subnet_ids=_strs(p.get("VpcSubnetIds")),
            security_group_ids=_strs(p.get("VpcSecurityGroupIds")),
        )
        b.db_proxies.add(name, proxy, src, base)
        _arn_hint(b, _str(p, "DBProxyArn"))


@_parser("get-caller-identity")
def _caller_identity(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    account = _req(data, "Account", "")
    if not (account.isdigit() and len(account) == 12):
        raise Invalid("Account", f"{_shown(account)} is not an AWS account id (12 digits)")
    # One identity per folder: the account whose export that folder holds.
    b.sts_accounts.add(os.path.dirname(src), account, src, "Account")
    b.sts_seen.append(account)
