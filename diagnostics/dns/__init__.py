"""DNS: simulate the VPC's Route 53 Resolver from a snapshot, and probe real name servers."""

from __future__ import annotations

from vpcdoctor.diagnostics.dns.model import DecidedBy, DnsOutcome, ProbeResult, Resolution
from vpcdoctor.diagnostics.dns.simulate import simulate

__all__ = ["DecidedBy", "DnsOutcome", "ProbeResult", "Resolution", "simulate"]
