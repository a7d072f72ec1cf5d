"""One handler per node kind of the graph, each in its own module, registered on import.

Adding a hop kind is: a model record, a parser, an edge in the graph, a handler here (a module
with an ``@handles(HopKind.X)`` function), and a label
(:class:`~vpcdoctor.graph.model.verdict.HopKind`).
"""

from __future__ import annotations

from vpcdoctor.graph.engine.hops import (  # noqa: F401  (each module registers its handler)
    egress_only,
    eni,
    instance,
    internet,
    internet_gateway,
    lambda_fn,
    named_resource,
    nat_gateway,
    network_acl,
    peering,
    route_table,
    security_group,
    subnet,
    target,
    tgw_attachment,
    tgw_route_table,
    transit_gateway,
    vpc,
    vpc_endpoint,
    vpn,
)
