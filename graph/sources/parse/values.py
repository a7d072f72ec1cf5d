"""Value helpers of the parsers: types were checked against botocore's shapes before; values
are checked here (a ``/33`` CIDR, an invalid address, a port outside 0..65535 raise
:class:`Invalid` with the JSON path). Package-private: only the parsers use them.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable, Mapping
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType
from typing import Any, TypeVar

from vpcdoctor.graph.model import (
    ALL_PORTS,
    IPAddress,
    IPNetwork,
    PortRange,
    protocol_number,
)

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)
Item = Mapping[str, Any]

_NO_TAGS: Mapping[str, str] = MappingProxyType({})
_MAX_SHOWN = 80


class Invalid(Exception):
    """A value AWS cannot produce, or a missing identifier; ``json_path`` says where."""

    def __init__(self, json_path: str, message: str) -> None:
        super().__init__(message)
        self.json_path = json_path
        self.message = message


# --------------------------------------------------------------------------------------------
# Value helpers (types were checked against botocore before; values are checked here)
# --------------------------------------------------------------------------------------------


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…'"


def _at(base: str, key: str) -> str:
    return f"{base}.{key}" if base else key


def _req(item: Item, key: str, base: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value:
        raise Invalid(_at(base, key), f"{key} is missing; every AWS output of this kind has it")
    return value


def _str(item: Item, key: str) -> str | None:
    value = item.get(key)
    return value if isinstance(value, str) and value else None


def _strs(values: object) -> tuple[str, ...]:
    if not isinstance(values, list):
        return ()
    return tuple(v for v in values if isinstance(v, str))


def _ids(items: object, key: str) -> tuple[str, ...]:
    """``[{key: id}, …]`` → ``(id, …)``."""
    if not isinstance(items, list):
        return ()
    return tuple(i[key] for i in items if isinstance(i, dict) and isinstance(i.get(key), str))


def _tags(items: object) -> Mapping[str, str]:
    if not items:
        return _NO_TAGS
    if isinstance(items, dict):  # Lambda and a few others return a map
        return MappingProxyType({str(k): str(v) for k, v in items.items()})
    if not isinstance(items, list):
        return _NO_TAGS
    tags = {
        t["Key"]: str(t.get("Value") or "")
        for t in items
        if isinstance(t, dict) and isinstance(t.get("Key"), str)
    }
    return MappingProxyType(tags) if tags else _NO_TAGS


@lru_cache(maxsize=65536)
def _network(text: str) -> IPNetwork:
    if "/" not in text:
        raise ValueError(text)
    return ipaddress.ip_network(text, strict=False)


def _cidr(value: object, path: str, version: int | None = None) -> IPNetwork:
    try:
        net = _network(str(value))
    except ValueError:
        raise Invalid(path, f"{_shown(value)} is not a CIDR block AWS can produce") from None
    if version is not None and net.version != version:
        raise Invalid(path, f"{_shown(value)} is not an IPv{version} CIDR block")
    return net


def _cidr4(value: object, path: str) -> ipaddress.IPv4Network:
    net = _cidr(value, path, 4)
    assert isinstance(net, ipaddress.IPv4Network)
    return net


def _cidr6(value: object, path: str) -> ipaddress.IPv6Network:
    net = _cidr(value, path, 6)
    assert isinstance(net, ipaddress.IPv6Network)
    return net


def _address(text: str) -> IPAddress:
    """``ipaddress.ip_address`` with a fast path for IPv4: inet_pton accepts exactly the
    dotted quads ipaddress accepts (no leading zeros, no short forms) at a tenth of the cost;
    anything else, including every error, goes through ipaddress itself."""
    try:
        return ipaddress.IPv4Address(int.from_bytes(socket.inet_pton(socket.AF_INET, text)))
    except (OSError, ValueError):
        return ipaddress.ip_address(text)


def _ip(value: object, path: str, version: int | None = None) -> IPAddress:
    try:
        ip = _address(str(value))
    except ValueError:
        raise Invalid(path, f"{_shown(value)} is not an IP address") from None
    if version is not None and ip.version != version:
        raise Invalid(path, f"{_shown(value)} is not an IPv{version} address")
    return ip


def _ip4(value: object, path: str) -> ipaddress.IPv4Address:
    ip = _ip(value, path, 4)
    assert isinstance(ip, ipaddress.IPv4Address)
    return ip


def _ip6(value: object, path: str) -> ipaddress.IPv6Address:
    ip = _ip(value, path, 6)
    assert isinstance(ip, ipaddress.IPv6Address)
    return ip


def _opt_ip4(item: Item, key: str, base: str) -> ipaddress.IPv4Address | None:
    value = item.get(key)
    return _ip4(value, f"{base}.{key}") if value else None


def _port(value: object, path: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 65535:
        raise Invalid(path, f"{_shown(value)} is not a port (0-65535)")
    return value


def _enum(cls: type[E], value: object, path: str) -> E:
    try:
        return cls(str(value))
    except ValueError:
        allowed = ", ".join(m.value for m in cls)
        raise Invalid(path, f"{_shown(value)} is not one of {allowed}") from None


def _protocol(value: object, path: str) -> str:
    number: str = protocol_number(value if isinstance(value, str | int) else str(value))
    if number == "-1" or (number.isdigit() and 0 <= int(number) <= 255):
        return number
    raise Invalid(path, f"{_shown(value)} is not an IP protocol (a name like tcp, a number, or -1)")


def _ports(protocol: str, low: object, high: object, base: str, keys: tuple[str, str]) -> PortRange:
    """Port range of a security-group or NACL rule (ICMP's type/code are not ports)."""
    if protocol == "-1" or protocol in ("1", "58"):
        return ALL_PORTS
    if low is None and high is None:
        return ALL_PORTS
    if protocol not in ("6", "17") and low == -1 and high == -1:
        return ALL_PORTS
    lo = _port(low, f"{base}.{keys[0]}")
    hi = _port(high, f"{base}.{keys[1]}")
    if lo is None or hi is None:
        lo = hi = lo if lo is not None else hi
    assert lo is not None and hi is not None
    if lo > hi:
        raise Invalid(f"{base}.{keys[0]}", f"port range {lo}-{hi} ends before it starts")
    if lo == 0 and hi == 65535:
        return ALL_PORTS
    return PortRange(low=lo, high=hi)


def _lower_first(state: str) -> str:
    """``Available`` (botocore's enum spelling) → ``available`` (what EC2 returns)."""
    return state[:1].lower() + state[1:]


def _zone_id(value: str) -> str:
    return value.rsplit("/", 1)[-1]


def _function_name(value: str) -> str:
    """A function name from a name or an ARN (``arn:aws:lambda:r:acct:function:name[:q]``)."""
    if value.startswith("arn:"):
        parts = value.split(":")
        if len(parts) >= 7:
            return parts[6]
    return value


_REGION_IN_AZ = re.compile(r"^([a-z]{2}(?:-[a-z]+)+-\d+)")


def region_of_az(az: str) -> str | None:
    """``ap-northeast-1a`` → ``ap-northeast-1``."""
    match = _REGION_IN_AZ.match(az)
    return match.group(1) if match else None


def _items(data: Mapping[str, Any], key: str) -> Iterable[tuple[str, Item]]:
    values = data.get(key)
    if not isinstance(values, list):
        return ()
    return ((f"{key}[{i}]", item) for i, item in enumerate(values) if isinstance(item, dict))


def _associated(item: Item, state_key: str) -> bool:
    state = item.get(state_key)
    if isinstance(state, dict):
        code = state.get("State")
        return code in (None, "associated", "associating")
    return True
