"""The raw JSON record a hop was decided from, as the snapshot file holds it (e1s-style ``j``).

The engine decides from the typed model; a person who doubts it wants the AWS output itself.
Each output file the loader read is listed in ``Account.sources``; the record is the object in
it whose id field holds the hop's resource (``RouteTableId``, ``GroupId``, ``NetworkAclId``,
``FunctionName``…). Live accounts have no files: the model record is shown instead, and the
screen says so. Pure (no Textual); called from a thread worker, as it reads files.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vpcdoctor.graph.model import Account

MAX_BYTES = 64 * 1024 * 1024
"""Files larger than this are not searched (a record is never worth a long stall)."""

_ID_KEYS = frozenset(
    {
        "VpcId",
        "SubnetId",
        "RouteTableId",
        "NetworkAclId",
        "GroupId",
        "NatGatewayId",
        "InternetGatewayId",
        "EgressOnlyInternetGatewayId",
        "VpcEndpointId",
        "VpcPeeringConnectionId",
        "TransitGatewayId",
        "TransitGatewayAttachmentId",
        "TransitGatewayRouteTableId",
        "NetworkInterfaceId",
        "InstanceId",
        "AllocationId",
        "PrefixListId",
        "FunctionName",
        "Id",
        "DhcpOptionsId",
    }
)


@dataclass(frozen=True, slots=True)
class RawRecord:
    """What the ``j`` key shows."""

    resource: str
    source: str
    """The file it came from, or ``"the collected account (live: no file)"``."""
    text: str
    """Pretty-printed JSON."""


def _owns(record: dict[str, Any], resource: str) -> bool:
    """The record *is* the resource (its own id field), not one that merely refers to it."""
    for key in _ID_KEYS:
        value = record.get(key)
        if isinstance(value, str) and (value == resource or value.endswith("/" + resource)):
            # A record that refers to the resource (a route table's VpcId) is not it: the id
            # field must be the record's own, i.e. the first *Id key of the object.
            own = next((k for k in record if k in _ID_KEYS), None)
            return own == key or key == "FunctionName"
    return False


def _records(data: Any) -> Iterator[dict[str, Any]]:
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(v for v in item.values() if isinstance(v, (dict, list)))
        elif isinstance(item, list):
            stack.extend(v for v in item if isinstance(v, (dict, list)))


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _model_record(account: Account, resource: str) -> Any:
    for field in dataclasses.fields(account):
        mapping = getattr(account, field.name)
        if field.name.startswith("_") or not hasattr(mapping, "get"):
            continue
        record = mapping.get(resource)
        if record is not None:
            return record
    return None


def find_record(account: Account, resource: str) -> RawRecord | None:
    """The record of ``resource`` from the snapshot files (else the model), or None.

    References look like records too (a security-group rule's ``{"GroupId": …}`` pair), so
    the fullest object whose own id is ``resource`` wins.
    """
    best: tuple[int, str, dict[str, Any]] | None = None
    for note in account.sources:
        if note.kind is None or note.note:
            continue
        path = Path(note.path)
        try:
            if path.stat().st_size > MAX_BYTES:
                continue
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for record in _records(data):
            if _owns(record, resource) and (best is None or len(record) > best[0]):
                best = (len(record), note.path, record)
    if best is not None:
        record = dict(best[2])
        if "Environment" in record:  # Lambda environment variables are secrets in practice
            record["Environment"] = "(not shown: environment variables are secrets)"
        return RawRecord(resource, best[1], json.dumps(record, indent=2))
    record = _model_record(account, resource)
    if record is None:
        return None
    plain = _plain(record)
    if isinstance(plain, dict):
        plain.pop("environment", None)
    text = json.dumps(plain, indent=2)
    return RawRecord(resource, "the collected account (no file: vpcdoctor's model record)", text)
