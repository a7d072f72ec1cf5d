"""Managed services reached by name inside a VPC: ELB target groups and their health,
ElastiCache clusters and replication groups, OpenSearch domains, and the subnet groups that
place RDS and ElastiCache in subnets."""

from __future__ import annotations

from dataclasses import dataclass

from vpcdoctor.graph.model.compute import DbEndpoint

# --------------------------------------------------------------------------------------------
# Elastic Load Balancing
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class TargetHealth:
    """One registered target and its health (elbv2 describe-target-health)."""

    target_id: str
    """An instance id, an IP address, a Lambda ARN or an ALB ARN (``target_type`` says)."""
    port: int | None
    state: str
    """``healthy``, ``unhealthy``, ``initial``, ``unused``, ``draining``, ``unavailable``…"""
    reason: str | None = None
    """``Target.FailedHealthChecks``, ``Target.NotInUse``… (None when healthy)."""
    availability_zone: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TargetGroup:
    """A target group (elbv2 describe-target-groups), with its targets' health if exported."""

    arn: str
    name: str
    protocol: str | None
    port: int | None
    target_type: str | None
    """``instance``, ``ip``, ``lambda``, ``alb``."""
    vpc_id: str | None
    load_balancer_arns: tuple[str, ...] = ()
    health: tuple[TargetHealth, ...] | None = None
    """None: describe-target-health was not exported for this group."""


# --------------------------------------------------------------------------------------------
# RDS and ElastiCache subnet groups
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class DbSubnetGroup:
    """rds describe-db-subnet-groups: the subnets an RDS cluster or instance lives in."""

    name: str
    vpc_id: str | None
    subnet_ids: tuple[str, ...] = ()
    status: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CacheSubnetGroup:
    """elasticache describe-cache-subnet-groups."""

    name: str
    vpc_id: str | None
    subnet_ids: tuple[str, ...] = ()
    arn: str | None = None


# --------------------------------------------------------------------------------------------
# ElastiCache
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class CacheNode:
    id: str
    status: str | None = None
    endpoint: DbEndpoint | None = None
    availability_zone: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CacheCluster:
    """elasticache describe-cache-clusters --show-cache-node-info."""

    id: str
    engine: str
    """``redis``, ``valkey``, ``memcached``."""
    status: str | None = None
    """``available`` when usable; ``creating``, ``modifying``, ``deleting``…"""
    arn: str | None = None
    subnet_group_name: str | None = None
    vpc_id: str | None = None
    """From the subnet group (None when describe-cache-subnet-groups was not exported)."""
    subnet_ids: tuple[str, ...] | None = None
    """From the subnet group (None when describe-cache-subnet-groups was not exported)."""
    security_group_ids: tuple[str, ...] = ()
    nodes: tuple[CacheNode, ...] = ()
    """Empty unless exported with ``--show-cache-node-info``."""
    configuration_endpoint: DbEndpoint | None = None
    """Memcached (and cluster-mode Redis) clusters' configuration endpoint."""
    replication_group_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CacheReplicationGroup:
    """elasticache describe-replication-groups (Redis / Valkey)."""

    id: str
    status: str | None = None
    arn: str | None = None
    primary_endpoints: tuple[DbEndpoint, ...] = ()
    """One per node group (shard)."""
    reader_endpoints: tuple[DbEndpoint, ...] = ()
    node_endpoints: tuple[DbEndpoint, ...] = ()
    """The read endpoint of every member node."""
    configuration_endpoint: DbEndpoint | None = None
    member_cluster_ids: tuple[str, ...] = ()


# --------------------------------------------------------------------------------------------
# OpenSearch
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenSearchDomain:
    """opensearch describe-domains (one entry of ``DomainStatusList``)."""

    name: str
    id: str | None = None
    arn: str | None = None
    endpoints: tuple[str, ...] = ()
    """Normalised host names: the VPC endpoint(s) (``Endpoints``), else the public ``Endpoint``."""
    vpc_id: str | None = None
    """None: a public domain (no ``VPCOptions``)."""
    subnet_ids: tuple[str, ...] = ()
    security_group_ids: tuple[str, ...] = ()
    status: str = "active"
    """``active``, ``processing`` (a change in progress: still serving), ``deleted``."""
    engine_version: str | None = None
