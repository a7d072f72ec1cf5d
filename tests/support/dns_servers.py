"""Real DNS servers on 127.0.0.1 for the tests: small dnspython-based UDP+TCP servers in threads.

Each :class:`DnsServer` binds an ephemeral UDP port on 127.0.0.1 and the same TCP port, and
answers with a *handler*: a function from the query's wire bytes to the reply's (or None for no
reply). The handlers below stand in for the servers the issue names: an authoritative server for
``corp.internal``, an "on-premises" server for ``onprem.local``, a forwarder in front of it, and
servers that answer SERVFAIL, REFUSED, nothing, garbage, a wrong message ID, or a truncated UDP
reply. Nothing here talks to anything but 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import struct
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence

import dns.flags
import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset

Handler = Callable[[bytes, str], "bytes | None"]
"""(query wire, transport ``udp``/``tcp``) → reply wire, or None to stay silent."""

LOOPBACK = "127.0.0.1"


class DnsServer:
    """A DNS server on 127.0.0.1 (UDP and TCP on one ephemeral port), served by a thread."""

    def __init__(self, handler: Handler, *, name: str = "dns") -> None:
        self.handler = handler
        self.name = name
        self.port = 0
        self.queries: list[tuple[str, str]] = []
        """(qname, rdtype) of every query received, for assertions."""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._udp: socket.socket | None = None
        self._tcp: socket.socket | None = None

    @property
    def address(self) -> str:
        return f"{LOOPBACK}:{self.port}"

    def start(self) -> DnsServer:
        for _ in range(20):  # the TCP port of the same number may be taken: try another
            udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            udp.bind((LOOPBACK, 0))
            port = udp.getsockname()[1]
            tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                tcp.bind((LOOPBACK, port))
            except OSError:
                udp.close()
                tcp.close()
                continue
            tcp.listen(8)
            self._udp, self._tcp, self.port = udp, tcp, port
            break
        else:  # pragma: no cover
            raise RuntimeError("no free UDP+TCP port pair on 127.0.0.1")
        self._thread = threading.Thread(target=self._serve, name=f"dns-{self.name}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        for sock in (self._udp, self._tcp):
            if sock is not None:
                sock.close()

    def __enter__(self) -> DnsServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- serving ----------------------------------------------------------------------
    def _record(self, wire: bytes) -> None:
        with contextlib.suppress(Exception):
            q = dns.message.from_wire(wire)
            if q.question:
                rr = q.question[0]
                self.queries.append(
                    (rr.name.to_text(omit_final_dot=True), dns.rdatatype.to_text(rr.rdtype))
                )

    def _serve(self) -> None:
        assert self._udp is not None and self._tcp is not None
        sel = selectors.DefaultSelector()
        sel.register(self._udp, selectors.EVENT_READ, "udp")
        sel.register(self._tcp, selectors.EVENT_READ, "tcp")
        try:
            while not self._stop.is_set():
                for key, _ in sel.select(timeout=0.05):
                    if key.data == "udp":
                        self._serve_udp()
                    else:
                        self._serve_tcp()
        finally:
            sel.close()

    def _serve_udp(self) -> None:
        assert self._udp is not None
        try:
            wire, peer = self._udp.recvfrom(65535)
        except OSError:
            return
        self._record(wire)
        reply = _safe(self.handler, wire, "udp")
        if reply is not None:
            with contextlib.suppress(OSError):
                self._udp.sendto(reply, peer)

    def _serve_tcp(self) -> None:
        assert self._tcp is not None
        try:
            conn, _ = self._tcp.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(2)
            try:
                header = _recv_exact(conn, 2)
                (length,) = struct.unpack("!H", header)
                wire = _recv_exact(conn, length)
            except (OSError, ValueError):
                return
            self._record(wire)
            reply = _safe(self.handler, wire, "tcp")
            if reply is not None:
                with contextlib.suppress(OSError):
                    conn.sendall(struct.pack("!H", len(reply)) + reply)


def _recv_exact(conn: socket.socket, count: int) -> bytes:
    data = b""
    while len(data) < count:
        chunk = conn.recv(count - len(data))
        if not chunk:
            raise ValueError("connection closed")
        data += chunk
    return data


def _safe(handler: Handler, wire: bytes, transport: str) -> bytes | None:
    try:
        return handler(wire, transport)
    except Exception:  # a test server must never die on a bad query
        return None


# --------------------------------------------------------------------------------------------
# Handlers
# --------------------------------------------------------------------------------------------

Records = Mapping[str, Sequence[tuple[str, str]]]
"""name → [(type, value)], e.g. ``{"api.corp.internal": [("A", "10.20.11.50")]}``."""


def authoritative(origin: str, records: Records, *, ttl: int = 60) -> Handler:
    """An authoritative server for ``origin``: in-zone CNAME chains (loop-safe), NXDOMAIN and
    NODATA with the zone's SOA, REFUSED for names outside the zone."""
    zone = dns.name.from_text(origin)
    table = {dns.name.from_text(n): list(v) for n, v in records.items()}
    soa = dns.rrset.from_text(
        zone, ttl, "IN", "SOA", f"ns1.{origin}. hostmaster.{origin}. 1 7200 900 1209600 30"
    )

    def exists(name: dns.name.Name) -> bool:
        return name in table or any(n.is_subdomain(name) and n != name for n in table)

    def handle(wire: bytes, transport: str) -> bytes | None:
        query = dns.message.from_wire(wire)
        response = dns.message.make_response(query)
        qname = query.question[0].name
        rdtype = query.question[0].rdtype
        if not qname.is_subdomain(zone):
            response.set_rcode(dns.rcode.REFUSED)
            return response.to_wire()
        response.flags |= dns.flags.AA
        current, seen = qname, set()
        while True:
            if current in seen:  # a loop: stop adding, as BIND does
                break
            seen.add(current)
            entries = table.get(current)
            if entries is None:
                if current == qname and not exists(current):
                    response.set_rcode(dns.rcode.NXDOMAIN)
                    response.authority.append(soa)
                elif not current.is_subdomain(zone):
                    pass  # out of zone: the client must ask for the target itself
                elif not exists(current):
                    response.set_rcode(dns.rcode.NXDOMAIN)
                    response.authority.append(soa)
                break
            wanted = [v for t, v in entries if dns.rdatatype.from_text(t) == rdtype]
            if wanted:
                response.answer.append(dns.rrset.from_text_list(current, ttl, "IN", rdtype, wanted))
                break
            cname = [v for t, v in entries if t == "CNAME"]
            if cname:
                response.answer.append(
                    dns.rrset.from_text_list(current, ttl, "IN", "CNAME", cname[:1])
                )
                current = dns.name.from_text(cname[0])
                if not current.is_subdomain(zone):
                    break
                continue
            response.authority.append(soa)  # NODATA
            break
        return response.to_wire()

    return handle


def forwarder(domain: str, upstream: str) -> Handler:
    """A forwarder (a Resolver outbound endpoint stand-in): ``domain`` goes to ``upstream``
    (``127.0.0.1:port``), everything else is REFUSED; SERVFAIL when the upstream is silent."""
    zone = dns.name.from_text(domain)
    up_ip, up_port = upstream.rsplit(":", 1)

    def handle(wire: bytes, transport: str) -> bytes | None:
        query = dns.message.from_wire(wire)
        if not query.question[0].name.is_subdomain(zone):
            response = dns.message.make_response(query)
            response.set_rcode(dns.rcode.REFUSED)
            return response.to_wire()
        try:
            upstream_reply = dns.query.udp(query, up_ip, port=int(up_port), timeout=1.0)
        except Exception:
            response = dns.message.make_response(query)
            response.set_rcode(dns.rcode.SERVFAIL)
            return response.to_wire()
        upstream_reply.flags &= ~dns.flags.AA
        upstream_reply.flags |= dns.flags.RA
        return upstream_reply.to_wire()

    return handle


def rcode_only(rcode: dns.rcode.Rcode) -> Handler:
    """Answers every question with ``rcode`` and nothing else (SERVFAIL, REFUSED…)."""

    def handle(wire: bytes, transport: str) -> bytes | None:
        response = dns.message.make_response(dns.message.from_wire(wire))
        response.set_rcode(rcode)
        return response.to_wire()

    return handle


def silent(wire: bytes, transport: str) -> bytes | None:
    """Never answers: the timeout case."""
    return None


def garbage(wire: bytes, transport: str) -> bytes | None:
    """Answers bytes that are not a DNS message (a header cut short, then junk)."""
    return b"\x13\x37 this is not DNS \xff\xfe"


def wrong_id(inner: Handler) -> Handler:
    """Answers what ``inner`` would, with another message ID."""

    def handle(wire: bytes, transport: str) -> bytes | None:
        reply = inner(wire, transport)
        if reply is None:
            return None
        (qid,) = struct.unpack("!H", wire[:2])
        return struct.pack("!H", qid ^ 0x5A5A) + reply[2:]

    return handle


def truncating(inner: Handler) -> Handler:
    """Over UDP, an empty reply with TC set; over TCP, what ``inner`` answers."""

    def handle(wire: bytes, transport: str) -> bytes | None:
        if transport == "tcp":
            return inner(wire, transport)
        response = dns.message.make_response(dns.message.from_wire(wire))
        response.flags |= dns.flags.TC
        return response.to_wire()

    return handle


# --------------------------------------------------------------------------------------------
# The fleet the tests use
# --------------------------------------------------------------------------------------------

CORP_RECORDS: Records = {
    "corp.internal": [("NS", "ns1.corp.internal.")],
    "api.corp.internal": [("A", "10.20.11.50")],
    "db.corp.internal": [("A", "10.20.12.10"), ("A", "10.20.12.11")],
    "www.corp.internal": [("CNAME", "web.corp.internal.")],
    "web.corp.internal": [("CNAME", "api.corp.internal.")],
    "loop-a.corp.internal": [("CNAME", "loop-b.corp.internal.")],
    "loop-b.corp.internal": [("CNAME", "loop-a.corp.internal.")],
    "v6only.corp.internal": [("AAAA", "fd00::10")],
    "txt.corp.internal": [("TXT", '"hello"')],
    "legacy.corp.internal": [("CNAME", "app.onprem.local.")],
}

ONPREM_RECORDS: Records = {
    "onprem.local": [("NS", "ns1.onprem.local.")],
    "app.onprem.local": [("A", "192.168.10.20")],
    "ad.onprem.local": [("A", "192.168.10.5")],
}


@contextlib.contextmanager
def fleet() -> Iterator[dict[str, DnsServer]]:
    """Start every test server; yield them by role; stop them all."""
    servers: dict[str, DnsServer] = {}
    try:
        servers["corp"] = DnsServer(
            authoritative("corp.internal", CORP_RECORDS), name="corp"
        ).start()
        servers["onprem"] = DnsServer(
            authoritative("onprem.local", ONPREM_RECORDS), name="onprem"
        ).start()
        servers["forwarder"] = DnsServer(
            forwarder("onprem.local", servers["onprem"].address), name="forwarder"
        ).start()
        servers["servfail"] = DnsServer(rcode_only(dns.rcode.SERVFAIL), name="servfail").start()
        servers["refused"] = DnsServer(rcode_only(dns.rcode.REFUSED), name="refused").start()
        servers["silent"] = DnsServer(silent, name="silent").start()
        servers["garbage"] = DnsServer(garbage, name="garbage").start()
        servers["wrong_id"] = DnsServer(
            wrong_id(authoritative("corp.internal", CORP_RECORDS)), name="wrong-id"
        ).start()
        servers["truncating"] = DnsServer(
            truncating(authoritative("corp.internal", CORP_RECORDS)), name="truncating"
        ).start()
        yield servers
    finally:
        for server in servers.values():
            server.stop()


def closed_port() -> str:
    """``127.0.0.1:port`` where nothing listens (UDP gets ICMP port unreachable)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((LOOPBACK, 0))
        port = sock.getsockname()[1]
    return f"{LOOPBACK}:{port}"
