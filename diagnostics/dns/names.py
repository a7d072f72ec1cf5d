"""Checking what a person typed as a DNS name or a name server, before anything is resolved.

Every problem becomes a :class:`~vpcdoctor.errors.DnsError` whose message says what is wrong and
what to type instead; nothing here raises anything else.
"""

from __future__ import annotations

import ipaddress
import re

import dns.exception
import dns.name

from vpcdoctor.errors import DnsError

MAX_NAME_LENGTH = 253
"""Longest name in presentation form without the final dot (255 octets on the wire)."""

MAX_LABEL_LENGTH = 63

# Letters, digits, hyphen; underscore for service labels (_sip._tcp); ``*`` alone is the literal
# wildcard label, which can be queried (it is how people check a wildcard record).
_LABEL = re.compile(r"^(\*|[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)$")

SPECIAL_USE_SUFFIXES: tuple[str, ...] = (
    "test",
    "example",
    "invalid",
    "localhost",
    "local",
    "home.arpa",
    "internal",
)
"""Names public DNS never answers (RFC 2606, RFC 6762, RFC 8375, ICANN's ``.internal``, 2024)."""

_SPECIAL_USE_SOURCE = {
    "test": "RFC 2606",
    "example": "RFC 2606",
    "invalid": "RFC 2606",
    "localhost": "RFC 2606",
    "local": "RFC 6762 (multicast DNS)",
    "home.arpa": "RFC 8375",
    "internal": "ICANN (2024, for private use)",
}


def in_domain(name: str, domain: str) -> bool:
    """True when ``name`` is ``domain`` or below it (``""`` is the root and holds every name)."""
    return domain == "" or name == domain or name.endswith("." + domain)


def label_count(domain: str) -> int:
    """Number of labels: how specific a domain is (the root has none)."""
    return 0 if domain == "" else domain.count(".") + 1


def special_use_suffix(name: str) -> tuple[str, str] | None:
    """The special-use suffix ``name`` falls under and its source, or None."""
    for suffix in SPECIAL_USE_SUFFIXES:
        if in_domain(name, suffix):
            return suffix, _SPECIAL_USE_SOURCE[suffix]
    return None


def validate_name(text: str) -> str:
    """Return ``text`` as a normalised DNS name (ASCII, lower case, no final dot).

    Unicode labels are converted with IDNA 2008 (UTS #46 mapping), as browsers and
    ``getaddrinfo`` do; ``xn--`` labels must decode.

    Raises:
        DnsError: for an empty name or label, a name over 253 characters, a label over 63,
            characters a host name cannot hold, a URL or an address instead of a name, or
            invalid IDNA.
    """
    shown = repr(text) if len(text) <= 80 else repr(text[:60]) + "…"
    name = text.strip()
    if not name or name == ".":
        raise DnsError("the DNS name is empty: give a name such as api.corp.internal")
    if "://" in name or "/" in name:
        raise DnsError(
            f"{shown} looks like a URL: give only the host name (for example "
            "vpcdoctor dns api.example.com)"
        )
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        pass
    else:
        raise DnsError(
            f"{shown} is an IP address, not a name: there is nothing to resolve "
            "(use vpcdoctor check --target for an address)"
        )
    if name.endswith("."):
        name = name[:-1]
    labels = name.split(".")
    if any(label == "" for label in labels):
        raise DnsError(
            f"{shown} has an empty label (two dots in a row, or a leading dot): "
            "every part between dots needs at least one character"
        )
    ascii_labels: list[str] = []
    for label in labels:
        ascii_labels.append(_ascii_label(label, shown))
    normalised = ".".join(ascii_labels)
    if len(normalised) > MAX_NAME_LENGTH:
        raise DnsError(
            f"{shown} is {len(normalised)} characters long: a DNS name holds at most "
            f"{MAX_NAME_LENGTH}"
        )
    try:
        dns.name.from_text(normalised)
    except dns.exception.DNSException as error:  # belt and braces: dnspython's own limits
        raise DnsError(f"{shown} is not a valid DNS name: {error}") from None
    return normalised


def _ascii_label(label: str, shown: str) -> str:
    if label.isascii():
        lower = label.lower()
        if len(lower) > MAX_LABEL_LENGTH:
            raise DnsError(
                f"{shown}: the label {lower[:20]!r}… is {len(lower)} characters long; "
                f"a label holds at most {MAX_LABEL_LENGTH}"
            )
        if not _LABEL.match(lower):
            raise DnsError(
                f"{shown}: the label {lower!r} holds characters a host name cannot have "
                "(letters, digits, hyphens and underscores only; a hyphen cannot start or end it)"
            )
        if lower.startswith("xn--"):
            try:
                dns.name.IDNA_2008_Practical.decode(lower.encode("ascii"))
                # Punycode that decodes is still wrong if IDNA 2008 forbids the result.
                import idna

                idna.decode(lower)
            except Exception as error:  # idna and dnspython raise several unrelated types
                raise DnsError(
                    f"{shown}: the label {lower!r} is not valid IDNA (punycode): {error}"
                ) from None
        return lower
    try:
        encoded = dns.name.IDNA_2008_Practical.encode(label)
    except dns.name.LabelTooLong:
        raise DnsError(
            f"{shown}: the label {label!r} is longer than {MAX_LABEL_LENGTH} characters once "
            "encoded (IDNA)"
        ) from None
    except dns.exception.DNSException as error:
        raise DnsError(
            f"{shown}: the label {label!r} is not a valid internationalised name (IDNA 2008): "
            f"{error}"
        ) from None
    return encoded.decode("ascii").lower()


def parse_nameserver(text: str) -> tuple[str, int]:
    """``ip``, ``ip:port``, ``[ipv6]:port`` or a bare IPv6 address → ``(ip, port)``.

    Raises:
        DnsError: for anything that is not an IP address with an optional port 1–65535.
    """
    spec = text.strip()
    host, port_text = spec, ""
    if spec.startswith("["):
        end = spec.find("]")
        if end < 0:
            raise DnsError(f"name server {text!r}: missing ']' (write [IPv6]:PORT)")
        host, rest = spec[1:end], spec[end + 1 :]
        if rest:
            if not rest.startswith(":"):
                raise DnsError(f"name server {text!r}: expected :PORT after ']'")
            port_text = rest[1:]
    elif spec.count(":") == 1:
        host, port_text = spec.split(":")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise DnsError(
            f"name server {text!r} is not an IP address: give IP[:PORT], for example "
            "10.0.0.2 or 127.0.0.1:5353 (names of name servers are not resolved)"
        ) from None
    port = 53
    if port_text:
        if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
            raise DnsError(f"name server {text!r}: the port must be a number from 1 to 65535")
        port = int(port_text)
    return str(address), port


def format_nameserver(ip: str, port: int) -> str:
    """``ip:port`` (``[ipv6]:port``), the form used in output and JSON."""
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"
