"""One DNS question to one server: UDP, TCP when the answer is truncated, retries, a deadline.

The UDP socket is *connected* to the server: that is what lets the kernel report an ICMP "port
unreachable" (as ``ConnectionRefusedError``) instead of waiting out the timeout, and it makes the
kernel drop datagrams from any other source. Every failure becomes a distinct ``DNS_PROBE_…``
code with an explanation (split from :mod:`.probe`, which follows chains and combines types).
"""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rdtypes.ANY.SOA


@dataclass(slots=True)
class Reply:
    message: dns.message.Message | None = None
    code: str = ""
    """A ``DNS_PROBE_…`` transport failure when ``message`` is None."""
    detail: str = ""
    tcp: bool = False


def ask(
    qname: dns.name.Name,
    rdtype: dns.rdatatype.RdataType,
    ip: str,
    port: int,
    timeout: float,
    tries: int,
    deadline: float,
) -> Reply:
    """One question, ``tries`` attempts, UDP then TCP on truncation, never past ``deadline``."""
    last = Reply(code="DNS_PROBE_TIMEOUT", detail="no attempt fitted before the deadline")
    for attempt in range(tries):
        remaining = deadline - time.monotonic()
        if remaining <= 0.001:
            break
        query = dns.message.make_query(qname, rdtype)
        reply = _ask_udp(query, ip, port, min(timeout, remaining))
        if reply.code == "TRUNCATED":
            remaining = deadline - time.monotonic()
            reply = _ask_tcp(query, ip, port, min(timeout, max(remaining, 0.001)))
        if reply.message is not None:
            return reply
        if attempt:
            reply.detail = f"{reply.detail} (after {attempt + 1} attempts)"
        last = reply
    return last


def _ask_udp(query: dns.message.Message, ip: str, port: int, timeout: float) -> Reply:
    family = socket.AF_INET6 if ":" in ip else socket.AF_INET
    expiration = time.time() + timeout
    bad: Reply | None = None
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as sock:
            sock.setblocking(False)
            sock.connect((ip, port))
            dns.query.send_udp(sock, query, None, expiration)
            while True:
                try:
                    message, _, _ = dns.query.receive_udp(
                        sock, None, expiration, raise_on_truncation=True
                    )
                except dns.message.Truncated as truncated:
                    partial: dns.message.Message = truncated.message()  # type: ignore[no-untyped-call]
                    if query.is_response(partial):
                        return Reply(code="TRUNCATED")
                    bad = _wrong(query, partial)
                    continue
                except dns.exception.Timeout:
                    raise
                except (dns.exception.DNSException, ValueError, EOFError) as error:
                    # Garbage: keep listening, as a resolver would, and report it if nothing
                    # valid follows.
                    bad = Reply(
                        code="DNS_PROBE_MALFORMED",
                        detail=f"unparseable reply over UDP: {_describe(error)}",
                    )
                    continue
                if not query.is_response(message):
                    bad = _wrong(query, message)
                    continue
                return Reply(message=message)
    except dns.exception.Timeout:
        if bad is not None:
            return bad
        return Reply(code="DNS_PROBE_TIMEOUT", detail=f"no reply over UDP within {timeout:.1f} s")
    except ConnectionRefusedError:
        return Reply(
            code="DNS_PROBE_UNREACHABLE",
            detail="ICMP port unreachable: nothing listens on that UDP port",
        )
    except OSError as error:
        return Reply(code="DNS_PROBE_UNREACHABLE", detail=f"cannot send over UDP: {error}")


def _ask_tcp(query: dns.message.Message, ip: str, port: int, timeout: float) -> Reply:
    try:
        message = dns.query.tcp(query, ip, timeout=timeout, port=port)
    except dns.query.BadResponse:
        return Reply(
            code="DNS_PROBE_WRONG_ID", tcp=True, detail="the TCP reply does not match the question"
        )
    except dns.exception.Timeout:
        return Reply(
            code="DNS_PROBE_TIMEOUT",
            tcp=True,
            detail=f"the UDP reply was truncated and TCP gave no reply within {timeout:.1f} s",
        )
    except ConnectionRefusedError:
        return Reply(
            code="DNS_PROBE_UNREACHABLE",
            tcp=True,
            detail="the UDP reply was truncated and TCP 53 refuses connections",
        )
    except (dns.exception.DNSException, ValueError, EOFError) as error:
        return Reply(
            code="DNS_PROBE_MALFORMED",
            tcp=True,
            detail=f"unparseable reply over TCP: {_describe(error)}",
        )
    except OSError as error:
        return Reply(code="DNS_PROBE_UNREACHABLE", tcp=True, detail=f"TCP failed: {error}")
    return Reply(message=message, tcp=True)


def _wrong(query: dns.message.Message, message: dns.message.Message) -> Reply:
    if message.id != query.id:
        detail = f"reply ID {message.id} does not match query ID {query.id}"
    else:
        detail = "the reply's question or flags do not match the query"
    return Reply(code="DNS_PROBE_WRONG_ID", detail=detail)


def _describe(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return text if len(text) <= 120 else text[:117] + "…"
