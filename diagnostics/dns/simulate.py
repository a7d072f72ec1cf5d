"""Simulated resolution: what the VPC's Route 53 Resolver would answer, from the snapshot alone.

The order follows the Resolver (knowledge-facts §7, decision rules R8 and R9):

1. Who answers at all: custom DHCP name servers take the question away from the Amazon
   resolver; ``enableDnsSupport`` off silences it.
2. Candidates: Resolver rules associated with the VPC, private hosted zones associated with the
   VPC (which need both DNS attributes), interface endpoints' private DNS names, and the
   autodefined EC2 names. The most specific domain wins; on an equal name a FORWARD rule beats a
   zone; a SYSTEM rule hands a subdomain of a forwarded domain back to the zones and public DNS.
3. The winner answers: a zone from its records (A/AAAA, CNAME and alias chains, wildcards; a
   missing name is NXDOMAIN with no fallback to public DNS), a FORWARD rule by sending the
   question through its outbound endpoint (checked: state, security group, routes), and
   otherwise public DNS — except the special-use names public DNS never answers.

Every step is a :class:`~vpcdoctor.graph.model.verdict.Hop`. Statuses are honest for the engine: the
step a negative outcome rests on is ``fail``; what the snapshot cannot settle is ``unknown``
with ``needs``; a candidate that did not apply, and why, is ``skip``.
"""

from __future__ import annotations

import networkx as nx

from vpcdoctor.diagnostics.dns.model import Resolution
from vpcdoctor.diagnostics.dns.names import validate_name
from vpcdoctor.diagnostics.dns.stages.answerer import AnswererStage
from vpcdoctor.diagnostics.dns.stages.common import (
    MAX_CHAIN,
    endpoint_private_names,
    endpoint_specific_names,
    service_host,
)
from vpcdoctor.diagnostics.dns.stages.named import NamedStage
from vpcdoctor.diagnostics.dns.stages.rules import RulesStage
from vpcdoctor.diagnostics.dns.stages.zones import ZonesStage
from vpcdoctor.graph.engine.graph import graph_for
from vpcdoctor.graph.model import Account

__all__ = [
    "MAX_CHAIN",
    "endpoint_private_names",
    "endpoint_specific_names",
    "service_host",
    "simulate",
]


def simulate(
    account: Account, vpc_id: str | None, name: str, *, graph: nx.MultiDiGraph | None = None
) -> Resolution:
    """Answer ``name`` as the Route 53 Resolver of ``vpc_id`` would (``None``: outside any VPC).

    Args:
        account: the account the snapshot describes.
        graph: the account's reachability graph (``build_graph``), whose zone → VPC and rule →
            VPC ``associated-with`` edges decide which zones and rules apply (``check`` passes
            the graph it walks, so an edited graph resolves as it is); default: the account's
            own graph.
        vpc_id: the VPC the question comes from (the function's), or None for a function that
            is not attached to a VPC.
        name: the name as typed; validated and normalised first.

    Raises:
        DnsError: when ``name`` is not a valid DNS name (the message says why).
    """
    host = validate_name(name)
    return _Simulation(
        account, vpc_id, graph=graph if graph is not None else graph_for(account)
    ).run(host)


class _Simulation(AnswererStage, ZonesStage, RulesStage, NamedStage):
    """One resolution: the stages combined (their order here is only Python's lookup order)."""

    __slots__ = ()
