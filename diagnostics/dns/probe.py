"""Live probes: ask real name servers directly, with dnspython, and say exactly what came back.

Each name server gets its own questions (A, then AAAA), over UDP with a fallback to TCP when the
answer is truncated, retried ``tries`` times, and the CNAME chain in the answer is followed
(asking the same server again when it stops at a name it did not answer). Every probe of one
server runs under one overall deadline, so nothing here can hang: a server that never answers,
answers garbage, answers with another message ID or refuses the connection becomes a distinct,
explained result.

One question over the wire is :mod:`.transport`'s.
"""

from __future__ import annotations

import concurrent.futures
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rdtypes.ANY.SOA

from vpcdoctor.diagnostics.dns.model import DnsOutcome, ProbeResult
from vpcdoctor.diagnostics.dns.names import format_nameserver, parse_nameserver, validate_name
from vpcdoctor.diagnostics.dns.transport import ask

MAX_CHAIN = 8
"""CNAME links followed before the chain counts as too long."""

MAX_PARALLEL = 8

ADVICE: dict[str, str] = {
    "DNS_PROBE_ANSWER": "",
    "DNS_PROBE_NXDOMAIN": (
        "The server says the name does not exist. Check the spelling, then the zone this server "
        "answers from: a private hosted zone that covers the name but lacks the record answers "
        "NXDOMAIN, with no fallback to public DNS."
    ),
    "DNS_PROBE_NODATA": (
        "The name exists but has no record of the asked type: add an A/AAAA (or alias/CNAME) "
        "record, or check which type the client asks for."
    ),
    "DNS_PROBE_SERVFAIL": (
        "The server could not produce an answer: as a forwarder its upstream servers are "
        "unreachable or failing (for a Resolver rule, check the outbound endpoint's security "
        "group and routes, and the on-premises server), or DNSSEC validation failed."
    ),
    "DNS_PROBE_REFUSED": (
        "The server refuses this question: it is not authoritative for the name and will not "
        "recurse for this client (check its allow-query / recursion settings, or ask the server "
        "that should answer)."
    ),
    "DNS_PROBE_TIMEOUT": (
        "No answer before the deadline: the server is down or unreachable, or a security group, "
        "network ACL or firewall drops DNS (UDP and TCP 53). The VPC resolver (VPC base + 2, "
        "169.254.169.253) only answers from inside its VPC."
    ),
    "DNS_PROBE_UNREACHABLE": (
        "Nothing listens on that address and port (ICMP port unreachable / connection refused): "
        "wrong address or port, or the DNS service is stopped."
    ),
    "DNS_PROBE_MALFORMED": (
        "The reply was not a valid DNS message: something other than a DNS server listens on "
        "that port, or a middlebox mangles DNS. Clients discard such replies and time out."
    ),
    "DNS_PROBE_WRONG_ID": (
        "The reply did not match the question (another message ID or question): a broken NAT "
        "or middlebox, a misbehaving server, or spoofed answers. Clients discard such replies "
        "and time out."
    ),
    "DNS_PROBE_CNAME_LOOP": (
        "The CNAME chain loops back on itself: point one of the records at an address. "
        "Resolvers answer SERVFAIL."
    ),
    "DNS_PROBE_CHAIN_TOO_LONG": (
        f"More than {MAX_CHAIN} CNAME links: shorten the chain; resolvers give up on long ones."
    ),
    "DNS_PROBE_RCODE": "The server answered with an unusual response code; see the detail.",
}

_OUTCOME_OF = {
    "DNS_PROBE_ANSWER": DnsOutcome.ANSWER,
    "DNS_PROBE_NXDOMAIN": DnsOutcome.NXDOMAIN,
    "DNS_PROBE_NODATA": DnsOutcome.NODATA,
    "DNS_PROBE_SERVFAIL": DnsOutcome.SERVFAIL,
    "DNS_PROBE_REFUSED": DnsOutcome.REFUSED,
    "DNS_PROBE_TIMEOUT": DnsOutcome.TIMEOUT,
    # No valid reply arrived before the deadline: what a client experiences is a timeout.
    "DNS_PROBE_MALFORMED": DnsOutcome.TIMEOUT,
    "DNS_PROBE_WRONG_ID": DnsOutcome.TIMEOUT,
    # Nothing was asked successfully: the name's status is not known.
    "DNS_PROBE_UNREACHABLE": DnsOutcome.UNKNOWN,
    "DNS_PROBE_CNAME_LOOP": DnsOutcome.SERVFAIL,
    "DNS_PROBE_CHAIN_TOO_LONG": DnsOutcome.SERVFAIL,
    "DNS_PROBE_RCODE": DnsOutcome.UNKNOWN,
}

_TRANSPORT_FAILURES = frozenset(
    {"DNS_PROBE_TIMEOUT", "DNS_PROBE_MALFORMED", "DNS_PROBE_WRONG_ID", "DNS_PROBE_UNREACHABLE"}
)


def probe(
    name: str,
    nameservers: Sequence[str],
    timeout: float = 2.0,
    tries: int = 2,
    rdtypes: Sequence[str] = ("A", "AAAA"),
) -> list[ProbeResult]:
    """Ask each name server for ``name`` directly and report what it answers.

    Args:
        name: the name to ask for (validated first).
        nameservers: ``ip``, ``ip:port`` or ``[ipv6]:port`` for each server, in output order.
        timeout: seconds per attempt.
        tries: attempts per question when no valid reply arrives.
        rdtypes: record types to ask for; the results are combined per server.

    Returns:
        One :class:`ProbeResult` per name server, in the order given. Each finishes within
        ``timeout * tries * len(rdtypes) + timeout`` seconds (the last term covers following a
        CNAME chain); servers are probed in parallel.

    Raises:
        DnsError: for an invalid name, name server, timeout or tries value.
    """
    from vpcdoctor.errors import DnsError

    host = validate_name(name)
    servers = [parse_nameserver(ns) for ns in nameservers]
    if not timeout > 0 or timeout > 60:
        raise DnsError(f"--timeout {timeout}: give a number of seconds above 0 and at most 60")
    if not 1 <= tries <= 10:
        raise DnsError(f"--tries {tries}: give a number of attempts from 1 to 10")
    types = [dns.rdatatype.from_text(t) for t in rdtypes]
    budget = timeout * tries * len(types) + timeout
    if not servers:
        return []
    results: list[ProbeResult | None] = [None] * len(servers)
    pool = concurrent.futures.ThreadPoolExecutor(
        max_workers=min(MAX_PARALLEL, len(servers)), thread_name_prefix="vpcdoctor-dns"
    )
    try:
        futures = {
            pool.submit(_probe_one, host, ip, port, timeout, tries, types, budget): i
            for i, (ip, port) in enumerate(servers)
        }
        done, _ = concurrent.futures.wait(futures, timeout=budget + 1.0)
        for future, i in futures.items():
            if future in done and future.exception() is None:
                results[i] = future.result()
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    out: list[ProbeResult] = []
    for i, (ip, port) in enumerate(servers):
        result = results[i]
        if result is None:  # the per-server deadline makes this a safety net only
            result = _result(
                format_nameserver(ip, port),
                "DNS_PROBE_TIMEOUT",
                ms=budget * 1000,
                detail=f"no result within the overall deadline of {budget:.1f} s",
            )
        out.append(result)
    return out


# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _TypeResult:
    """What one server said for one record type (after following the chain)."""

    rdtype: str
    code: str
    addresses: list[str] = field(default_factory=list)
    chain: list[str] = field(default_factory=list)
    ttl: int | None = None
    tcp: bool = False
    detail: str = ""


def _result(
    nameserver: str,
    code: str,
    *,
    ms: float,
    detail: str = "",
    addresses: Sequence[str] = (),
    chain: Sequence[str] = (),
    ttl: int | None = None,
    tcp: bool = False,
) -> ProbeResult:
    return ProbeResult(
        nameserver=nameserver,
        outcome=_OUTCOME_OF[code],
        addresses=tuple(addresses),
        cname_chain=tuple(chain),
        ttl=ttl,
        ms=ms,
        detail=detail,
        advice=ADVICE[code],
        code=code,
        tcp=tcp,
    )


def _probe_one(
    host: str,
    ip: str,
    port: int,
    timeout: float,
    tries: int,
    types: Sequence[dns.rdatatype.RdataType],
    budget: float,
) -> ProbeResult:
    start = time.monotonic()
    deadline = start + budget
    per_type: list[_TypeResult] = []
    for rdtype in types:
        result = _ask_chain(host, rdtype, ip, port, timeout, tries, deadline)
        per_type.append(result)
        if result.code in _TRANSPORT_FAILURES:
            break  # the next type would wait out the same silence
    ms = (time.monotonic() - start) * 1000
    return _combine(format_nameserver(ip, port), per_type, ms)


def _combine(nameserver: str, per_type: list[_TypeResult], ms: float) -> ProbeResult:
    summary = "; ".join(
        f"{r.rdtype}: {_OUTCOME_OF[r.code]}"
        + (f" {', '.join(r.addresses)}" if r.addresses else "")
        + (f" ({r.detail})" if r.detail else "")
        for r in per_type
    )
    answers = [r for r in per_type if r.code == "DNS_PROBE_ANSWER"]
    if answers:
        chain = next((r.chain for r in answers if r.chain), [])
        ttls = [r.ttl for r in answers if r.ttl is not None]
        return _result(
            nameserver,
            "DNS_PROBE_ANSWER",
            ms=ms,
            detail=summary,
            addresses=[a for r in answers for a in r.addresses],
            chain=chain,
            ttl=min(ttls) if ttls else None,
            tcp=any(r.tcp for r in answers),
        )
    for wanted in ("DNS_PROBE_NXDOMAIN", "DNS_PROBE_CNAME_LOOP", "DNS_PROBE_CHAIN_TOO_LONG"):
        for r in per_type:
            if r.code == wanted:
                return _result(
                    nameserver, r.code, ms=ms, detail=summary, chain=r.chain, ttl=r.ttl, tcp=r.tcp
                )
    if all(r.code == "DNS_PROBE_NODATA" for r in per_type):
        r = per_type[0]
        return _result(nameserver, r.code, ms=ms, detail=summary, chain=r.chain, ttl=r.ttl)
    worst = next(r for r in per_type if r.code != "DNS_PROBE_NODATA")
    return _result(
        nameserver,
        worst.code,
        ms=ms,
        detail=summary,
        chain=worst.chain,
        ttl=worst.ttl,
        tcp=worst.tcp,
    )


def _ask_chain(
    host: str,
    rdtype: dns.rdatatype.RdataType,
    ip: str,
    port: int,
    timeout: float,
    tries: int,
    deadline: float,
) -> _TypeResult:
    """Ask for ``host``/``rdtype``, following CNAMEs (asking again where the answer stops)."""
    type_text = dns.rdatatype.to_text(rdtype)
    qname = dns.name.from_text(host)
    chain: list[dns.name.Name] = [qname]
    ttl: int | None = None
    tcp = False
    while True:
        reply = ask(qname, rdtype, ip, port, timeout, tries, deadline)
        tcp = tcp or reply.tcp
        shown_chain = [n.to_text(omit_final_dot=True) for n in chain] if len(chain) > 1 else []
        message = reply.message
        if message is None:
            return _TypeResult(
                type_text, reply.code, chain=shown_chain, tcp=tcp, detail=reply.detail
            )
        rcode = message.rcode()
        # Walk the CNAME chain inside this answer.
        current = qname
        addresses: list[str] = []
        while True:
            data = message.get_rrset(message.answer, current, dns.rdataclass.IN, rdtype)
            if data is not None:
                addresses = [rd.to_text() for rd in data]
                ttl = data.ttl if ttl is None else min(ttl, data.ttl)
                break
            alias = message.get_rrset(
                message.answer, current, dns.rdataclass.IN, dns.rdatatype.CNAME
            )
            if alias is None:
                break
            target = alias[0].target
            ttl = alias.ttl if ttl is None else min(ttl, alias.ttl)
            if target in chain:
                loop = " → ".join(n.to_text(omit_final_dot=True) for n in [*chain, target])
                return _TypeResult(
                    type_text,
                    "DNS_PROBE_CNAME_LOOP",
                    chain=[n.to_text(omit_final_dot=True) for n in chain],
                    tcp=tcp,
                    detail=loop,
                )
            chain.append(target)
            if len(chain) > MAX_CHAIN + 1:
                return _TypeResult(
                    type_text,
                    "DNS_PROBE_CHAIN_TOO_LONG",
                    chain=[n.to_text(omit_final_dot=True) for n in chain],
                    tcp=tcp,
                )
            current = target
        shown_chain = [n.to_text(omit_final_dot=True) for n in chain] if len(chain) > 1 else []
        if rcode == dns.rcode.NXDOMAIN:
            return _TypeResult(
                type_text,
                "DNS_PROBE_NXDOMAIN",
                chain=shown_chain,
                ttl=_negative_ttl(message),
                tcp=tcp,
            )
        if rcode == dns.rcode.SERVFAIL:
            return _TypeResult(type_text, "DNS_PROBE_SERVFAIL", chain=shown_chain, tcp=tcp)
        if rcode == dns.rcode.REFUSED:
            return _TypeResult(type_text, "DNS_PROBE_REFUSED", chain=shown_chain, tcp=tcp)
        if rcode != dns.rcode.NOERROR:
            return _TypeResult(
                type_text,
                "DNS_PROBE_RCODE",
                chain=shown_chain,
                tcp=tcp,
                detail=f"rcode {dns.rcode.to_text(rcode)}",
            )
        if addresses:
            return _TypeResult(
                type_text,
                "DNS_PROBE_ANSWER",
                addresses=addresses,
                chain=shown_chain,
                ttl=ttl,
                tcp=tcp,
            )
        if current == qname:
            return _TypeResult(
                type_text,
                "DNS_PROBE_NODATA",
                chain=shown_chain,
                ttl=_negative_ttl(message),
                tcp=tcp,
            )
        # The answer stops at a CNAME target this server did not resolve: ask for it.
        qname = current


def _negative_ttl(message: dns.message.Message) -> int | None:
    for rrset in message.authority:
        if rrset.rdtype == dns.rdatatype.SOA and len(rrset):
            soa = rrset[0]
            assert isinstance(soa, dns.rdtypes.ANY.SOA.SOA)
            return min(rrset.ttl, soa.minimum)
    return None
