"""Simulation versus probe: flag the answers that disagree, and say what that usually means."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from vpcdoctor.diagnostics.dns.model import Disagreement, DnsOutcome, ProbeResult, Resolution

_NEGATIVE = (DnsOutcome.NXDOMAIN, DnsOutcome.NODATA)


def disagreements(resolution: Resolution, probes: Sequence[ProbeResult]) -> list[Disagreement]:
    """Where a live probe contradicts what the snapshot says the VPC's resolver answers.

    Only definite answers are compared (answer, NXDOMAIN, NODATA); a probe that timed out or a
    simulation that could only say "forwarded" or "public" has nothing to contradict, except a
    public name that a probed server answers with a private address (a zone or rule this VPC
    does not use).
    """
    out: list[Disagreement] = []
    sim = resolution.outcome
    step = resolution.deciding_step
    code = step.code if step is not None else ""
    where = resolution.decided_by.resource if resolution.decided_by else "the snapshot"
    for p in probes:
        ns = p.nameserver
        if sim is DnsOutcome.ANSWER and p.outcome is DnsOutcome.ANSWER:
            if resolution.addresses and set(resolution.addresses) != set(p.addresses):
                out.append(
                    Disagreement(
                        nameserver=ns,
                        code="DNS_DISAGREE_STALE_RECORD",
                        detail=(
                            f"The snapshot ({where}) answers {', '.join(resolution.addresses)} but "
                            f"{ns} answers {', '.join(p.addresses)}: the record changed since the "
                            "export (re-export), or this server answers from another zone or view."
                        ),
                    )
                )
        elif sim is DnsOutcome.ANSWER and p.outcome in _NEGATIVE:
            out.append(
                Disagreement(
                    nameserver=ns,
                    code="DNS_DISAGREE_MISSING_RECORD",
                    detail=(
                        f"The snapshot ({where}) answers "
                        f"{', '.join(resolution.addresses) or 'it'} but {ns} says "
                        f"{p.outcome.upper()}: the record was removed since the export, or this "
                        "server does not see that zone (an on-premises server needs a "
                        "forwarder to the Resolver inbound endpoint)."
                    ),
                )
            )
        elif sim in _NEGATIVE and p.outcome is DnsOutcome.ANSWER:
            if code == "DNS_NXDOMAIN_PHZ" or code == "DNS_NODATA_PHZ":
                out.append(
                    Disagreement(
                        nameserver=ns,
                        code="DNS_DISAGREE_SHADOWED",
                        detail=(
                            f"{ns} answers {', '.join(p.addresses)}, but in this VPC "
                            f"private hosted zone {where} covers the name without that record and "
                            "answers "
                            f"{sim.upper()}: the zone shadows the name (add the record to it, or "
                            "remove the overlapping zone)."
                        ),
                    )
                )
            elif code in ("DNS_PHZ_NOT_ASSOCIATED", "DNS_RULE_NOT_ASSOCIATED"):
                fix = f" Fix: {step.fix}" if step is not None and step.fix else ""
                out.append(
                    Disagreement(
                        nameserver=ns,
                        code="DNS_DISAGREE_NOT_ASSOCIATED",
                        detail=(
                            f"{ns} answers {', '.join(p.addresses)}, but {where} is not associated "
                            f"with {resolution.vpc_id}, so its resolver answers {sim.upper()}.{fix}"
                        ),
                    )
                )
            else:
                out.append(
                    Disagreement(
                        nameserver=ns,
                        code="DNS_DISAGREE_OUTCOME",
                        detail=(
                            f"{ns} answers {', '.join(p.addresses)} but the VPC's resolver would "
                            f"answer {sim.upper()} ({code or 'see the steps'}): that server sees a "
                            "zone this VPC does not."
                        ),
                    )
                )
        elif sim is DnsOutcome.PUBLIC and p.outcome is DnsOutcome.ANSWER:
            private = [a for a in p.addresses if _is_private(a)]
            if private:
                out.append(
                    Disagreement(
                        nameserver=ns,
                        code="DNS_DISAGREE_NOT_ASSOCIATED",
                        detail=(
                            f"{ns} answers the private address {', '.join(private)}, but "
                            "no private zone or Resolver rule associated with "
                            f"{resolution.vpc_id} covers the "
                            "name, so the VPC asks public DNS: a zone or rule is probably missing "
                            "its association with this VPC."
                        ),
                    )
                )
    return out


def _is_private(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return ip.is_private and not ip.is_loopback
