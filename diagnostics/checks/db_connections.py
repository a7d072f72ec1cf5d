"""Step 6, ``db-connections``: a database port in the function's egress rules or targets with no
RDS Proxy in between and no reserved concurrency is a connection storm waiting for a traffic
spike (each execution environment opens its own connection)."""

from __future__ import annotations

from vpcdoctor.diagnostics.checks import register
from vpcdoctor.diagnostics.checks.context import StepContext, target_host_port
from vpcdoctor.diagnostics.findings import Outcome, Say, StepStatus, say

DB_PORTS: dict[int, str] = {
    3306: "MySQL / Aurora MySQL / MariaDB",
    5432: "PostgreSQL / Aurora PostgreSQL",
    1433: "SQL Server",
    1521: "Oracle",
    6379: "Redis / ElastiCache / MemoryDB",
}
PROXY_ENGINE_FAMILY: dict[int, str] = {3306: "MYSQL", 5432: "POSTGRESQL", 1433: "SQLSERVER"}
"""Ports RDS Proxy can front (Oracle and Redis it cannot)."""
SPECIFIC_RANGE = 1024
"""A rule spanning fewer ports than this names its port on purpose (0-65535 does not)."""


@register("db-connections")
def check(ctx: StepContext) -> Outcome:
    account = ctx.account
    fn = ctx.function
    proxy_sgs = {sg: p.name for p in account.db_proxies.values() for sg in p.security_group_ids}
    proxy_hosts = {p.endpoint: p.name for p in account.db_proxies.values()}
    direct: list[Say] = []
    proxied: list[Say] = []
    ports: set[int] = set()
    direct_ports: set[int] = set()

    for sg in ctx.security_groups():
        for rule in sg.egress:
            if (
                rule.protocol not in ("6", "-1")
                or rule.ports.low is None
                or rule.ports.high is None
            ):
                continue
            if rule.ports.high - rule.ports.low >= SPECIFIC_RANGE:
                continue
            for port, engine in DB_PORTS.items():
                if not rule.ports.contains(port):
                    continue
                ports.add(port)
                if rule.referenced_group_id in proxy_sgs:
                    proxied.append(
                        say(
                            "via_proxy",
                            source=f"{sg.id} {rule}",
                            proxy=proxy_sgs[rule.referenced_group_id],
                        )
                    )
                else:
                    direct.append(
                        say("db_egress", sg=sg.id, rule=str(rule), port=port, engine=engine)
                    )
    for target in ctx.targets:
        host, target_port = target_host_port(target)
        if target_port is None or target_port not in DB_PORTS:
            continue
        ports.add(target_port)
        if host in proxy_hosts:
            proxied.append(say("via_proxy", source=target, proxy=proxy_hosts[host]))
        else:
            direct_ports.add(target_port)
            direct.append(
                say("db_target", target=target, port=target_port, engine=DB_PORTS[target_port])
            )

    concurrency: list[Say] = []
    if fn.concurrency_known:
        concurrency.append(
            say("reserved", value=fn.reserved_concurrency)
            if fn.reserved_concurrency is not None
            else say("reserved_none")
        )
    if fn.provisioned is not None:
        for pc in fn.provisioned:
            concurrency.append(
                say(
                    "provisioned",
                    qualifier=pc.qualifier,
                    requested=pc.requested if pc.requested is not None else "?",
                    status=pc.status or "?",
                )
            )
        if not fn.provisioned:
            concurrency.append(say("provisioned_none"))

    if not direct:
        key = "proxied_only" if proxied else "no_db"
        return Outcome(status=StepStatus.OK, evidence=(say(key), *proxied, *concurrency))
    evidence = (*direct, *proxied, *concurrency)
    proxies_known = ctx.known("describe-db-proxies", account.db_proxies)
    needs: list[str] = []
    if not fn.concurrency_known:
        needs.append(ctx.need("get-function-concurrency", fn.name))
    if fn.provisioned is None:
        needs.append(ctx.need("list-provisioned-concurrency-configs", fn.name))
    if fn.concurrency_known and fn.reserved_concurrency is not None:
        return Outcome(
            status=StepStatus.OK,
            evidence=(say("capped", value=fn.reserved_concurrency), *evidence),
            needs=tuple(needs),
        )
    # Without the proxy list, a group named in an egress rule might be a proxy's; that matters
    # only for engines RDS Proxy can front.
    proxy_question = not proxies_known and any(p in PROXY_ENGINE_FAMILY for p in direct_ports)
    if not fn.concurrency_known or proxy_question:
        if proxy_question:
            needs.append(ctx.need("describe-db-proxies"))
        return Outcome(
            status=StepStatus.UNKNOWN, evidence=(say("undecided"), *evidence), needs=tuple(needs)
        )
    fixes = [say("reserve_concurrency")]
    families = sorted({PROXY_ENGINE_FAMILY[p] for p in ports if p in PROXY_ENGINE_FAMILY})
    for family in families:
        fixes.append(
            say("rds_proxy", engine_family=family, proxy_name=f"{fn.name}-{family.lower()}-proxy")
        )
    if any(p not in PROXY_ENGINE_FAMILY for p in ports):
        fixes.append(say("no_proxy_engine"))
    return Outcome(
        status=StepStatus.WARN,
        evidence=(say("storm_risk"), *evidence),
        fixes=tuple(fixes),
        needs=tuple(needs),
    )
