"""Accounts built in code for the checklist tests (on top of tests/support/builders.py).

Each helper returns an :class:`AccountBuilder` already holding the textbook layout
(``private_vpc_with_nat``: vpc-1, subnet-pub-a, subnet-priv-a/c on rtb-priv → nat-1, sg-fn,
function ``fn``) so a test changes only what its story is about, then calls :func:`build`.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from tests.support.builders import AccountBuilder, private_vpc_with_nat
from vpcdoctor.graph.model import (
    Account,
    DbCluster,
    DbEndpoint,
    DbProxy,
    LambdaFunction,
    ProvisionedConcurrency,
)


def base(**kw: Any) -> AccountBuilder:
    """The textbook layout, with the function's concurrency settings exported."""
    b = private_vpc_with_nat(**kw)
    set_fn(b, memory_mb=1024, concurrency_known=True, provisioned=())
    return b


def set_fn(b: AccountBuilder, name: str = "fn", **changes: Any) -> LambdaFunction:
    """Change fields of a function already in the builder."""
    fn = dataclasses.replace(b.resources["functions"][name], **changes)
    b.resources["functions"][name] = fn
    return fn


def provisioned(
    qualifier: str = "live", n: int = 5, status: str = "READY"
) -> ProvisionedConcurrency:
    return ProvisionedConcurrency(qualifier=qualifier, requested=n, allocated=n, status=status)


def build(b: AccountBuilder, *, drop: tuple[str, ...] = (), **extra: Any) -> Account:
    """Build, optionally pretending some kinds were not exported (``drop``), with extra
    mappings (db_clusters, db_proxies…) the builder does not know."""
    account = b.build()
    if not drop and not extra:
        return account
    fields = {
        f.name: getattr(account, f.name)
        for f in dataclasses.fields(account)
        if not f.name.startswith("_")
    }
    present = set(account.present) - set(drop)
    for name, kind in (
        ("db_proxies", "describe-db-proxies"),
        ("db_clusters", "describe-db-clusters"),
    ):
        if name in extra:
            present.add(kind)
    fields["present"] = frozenset(present)
    for name, value in extra.items():
        fields[name] = dict(value)
    for name, value in list(fields.items()):
        if hasattr(value, "items") and not isinstance(value, dict):
            fields[name] = dict(value)
    return Account.build(**fields)


def with_database(
    b: AccountBuilder, *, via_proxy: bool = False, port: int = 5432
) -> dict[str, Any]:
    """An Aurora cluster (sg-db) the function reaches on ``port``, directly or via RDS Proxy."""
    b.subnet("subnet-db-a", "vpc-1", "10.0.10.0/24", az="ap-northeast-1a")
    b.security_group("sg-db", "vpc-1").ingress("sg-proxy" if via_proxy else "sg-fn", port=port)
    extra: dict[str, Any] = {
        "db_clusters": {
            "orders-db": DbCluster(
                id="orders-db",
                engine="aurora-postgresql",
                endpoint=DbEndpoint(
                    address="orders-db.cluster-x.ap-northeast-1.rds.amazonaws.com", port=port
                ),
                port=port,
                security_group_ids=("sg-db",),
            )
        }
    }
    fn_sg = b.sgs["sg-fn"]
    if via_proxy:
        b.security_group("sg-proxy", "vpc-1").ingress("sg-fn", port=port)
        fn_sg.egress("sg-proxy", port=port)
        extra["db_proxies"] = {
            "orders-proxy": DbProxy(
                name="orders-proxy",
                arn="arn:aws:rds:ap-northeast-1:111122223333:db-proxy:prx-1",
                engine_family="POSTGRESQL",
                endpoint="orders-proxy.proxy-x.ap-northeast-1.rds.amazonaws.com",
                vpc_id="vpc-1",
                security_group_ids=("sg-proxy",),
            )
        }
    else:
        fn_sg.egress("sg-db", port=port)
        extra["db_proxies"] = {}
    fn_sg.egress("0.0.0.0/0", port=443)
    return extra
