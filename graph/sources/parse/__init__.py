"""Raw AWS outputs (already checked against botocore's shapes) → the typed model.

One small parser per kind reads the members the model needs and nothing else (so Lambda
environment variables are never kept). Values AWS cannot produce (a ``/33`` CIDR, an invalid
IP address, a NACL rule number outside 1..32766 and the
32767 / 32768 default rules, a port outside 0..65535) raise
:class:`Invalid` with the JSON path; missing pieces (a route to a NAT gateway the snapshot
lacks, a prefix list without its entries) are left ``None`` or absent for the engine to report
as unknown.

Resources that several outputs describe (a Lambda function from list-functions,
get-function-configuration and get-function; a hosted zone and its records; a prefix list and
its entries) are collected per output and combined in :meth:`AccountBuilder.build`.
"""

from __future__ import annotations

from vpcdoctor.graph.model.kinds import KINDS_BY_NAME
from vpcdoctor.graph.sources.parse import (  # noqa: F401  (each module registers its parsers)
    compute,
    dns,
    ec2_vpc,
    elb_rds,
    filters,
    gateways,
    services,
    vpn_tgw,
)
from vpcdoctor.graph.sources.parse.builder import _PARSERS, AccountBuilder

# The single-record parsers what-if (graph/whatif/workspace.py) applies a command's values
# with, so an added route, rule or entry is parsed exactly as a loaded one.
from vpcdoctor.graph.sources.parse.ec2_vpc import _route
from vpcdoctor.graph.sources.parse.filters import _nacl_entry, _permission_rules
from vpcdoctor.graph.sources.parse.merge import Collection, Conflict
from vpcdoctor.graph.sources.parse.values import Invalid, region_of_az

__all__ = [
    "AccountBuilder",
    "Collection",
    "Conflict",
    "Invalid",
    "_nacl_entry",
    "_permission_rules",
    "_route",
    "region_of_az",
]


def _check_registry() -> None:
    missing = set(KINDS_BY_NAME) - set(_PARSERS)
    if missing:  # a programming error: every registered kind needs a parser
        raise RuntimeError(f"no parser for kinds: {sorted(missing)}")


_check_registry()
