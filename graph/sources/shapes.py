"""Check raw AWS outputs against botocore's own output shapes, fast.

Each output shape is compiled once (and cached) into a checker: a closure per structure, list
and map, with scalar members checked inline by a set of accepted Python types. Checking a
20,000-ENI file costs a small fraction of ``json.load`` on it.

What is checked, and why:

* **Types.** A string where botocore says string, a ``bool`` where it says boolean (``True`` is
  not an integer here), an ``int`` for integer/long, ``int``/``float`` for double/float, an
  object for a structure or map, a list for a list. Timestamps are ISO strings in AWS CLI output
  and ``datetime`` in boto3 responses: both are accepted, and so are epoch numbers.
* **Key names.** A key that is a near miss of a member (equal ignoring case, or a
  ``difflib`` ratio of at least 0.8, e.g. ``SubnetID``, ``MapPublicIpOnLunch``) is an error that
  names the member meant. Any other unknown key is accepted and reported as a note: the export
  may come from a newer API than the installed botocore.
* **Not checked: "required".** The AWS CLI drops pagination members (``NextToken``, ``Marker``,
  ``IsTruncated``, ``MaxItems`` …) when it merges pages, and nested required members
  (``CallerReference`` of a hosted zone …) say nothing about reachability. The parser demands
  the few identifiers it needs (a subnet without ``SubnetId``), with a clear message.
* **Not checked: enums.** AWS adds enum values; the parser rejects the values the model cannot
  represent where it matters.

``null`` is accepted as a member's value and means "absent" (hand-written files use it); a
``null`` inside a list is an error (AWS never writes one).
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Callable
from functools import cache
from typing import Any

import botocore.session
from botocore.model import ListShape, MapShape, Shape, StructureShape

Unknown = set[tuple[str, str]]
"""Unknown keys seen: (structure shape name, key)."""

Checker = Callable[[Any, Unknown], None]

NEAR_MISS_RATIO = 0.8

_NONE = type(None)
_SCALAR_TYPES: dict[str, frozenset[type]] = {
    "string": frozenset({str, _NONE}),
    "boolean": frozenset({bool, _NONE}),
    "integer": frozenset({int, _NONE}),
    "long": frozenset({int, _NONE}),
    "double": frozenset({int, float, _NONE}),
    "float": frozenset({int, float, _NONE}),
    "timestamp": frozenset({str, int, float, datetime.datetime, _NONE}),
    "blob": frozenset({str, bytes, bytearray, _NONE}),
}
_EXPECTED_TEXT = {
    "string": "a string",
    "boolean": "true or false",
    "integer": "an integer",
    "long": "an integer",
    "double": "a number",
    "float": "a number",
    "timestamp": "a timestamp (ISO 8601 string)",
    "blob": "a string",
}
_IGNORED_TOP_LEVEL = frozenset({"ResponseMetadata"})
"""boto3 adds it to every response; the live collector may pass responses unchanged."""


class ShapeMismatch(Exception):
    """A value does not fit its botocore shape; ``json_path`` says where."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self._segments: list[str] = []

    def at(self, segment: str) -> ShapeMismatch:
        """Prepend one path segment (``.Key`` or ``[3]``) while the error unwinds."""
        self._segments.append(segment)
        return self

    @property
    def json_path(self) -> str:
        return "".join(reversed(self._segments)).lstrip(".") or "(top level)"


def describe_json_type(value: object) -> str:
    """Name a JSON value's type without quoting the value (it may be a secret)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def near_miss(key: str, members: frozenset[str] | set[str] | list[str]) -> str | None:
    """The member ``key`` was probably meant to be, or None."""
    lower = key.lower()
    for name in members:
        if name.lower() == lower:
            return name
    best: tuple[float, str] | None = None
    for name in members:
        ratio = difflib.SequenceMatcher(None, key, name).ratio()
        if ratio >= NEAR_MISS_RATIO and (best is None or ratio > best[0]):
            best = (ratio, name)
    return best[1] if best else None


@cache
def _service_model(service: str) -> Any:
    return botocore.session.get_session().get_service_model(service)


@cache
def output_members(service: str, operation: str) -> frozenset[str]:
    """Top-level member names of an operation's output."""
    shape = _service_model(service).operation_model(operation).output_shape
    return frozenset(shape.members) if shape is not None else frozenset()


@cache
def output_checker(service: str, operation: str) -> Checker:
    """A compiled checker for the output of ``service``'s ``operation`` (cached)."""
    shape = _service_model(service).operation_model(operation).output_shape
    if shape is None:
        return lambda value, unknown: None
    memo: dict[str, Checker] = {}
    return _compile_structure(shape, memo, top_level=True)


def check_output(service: str, operation: str, data: Any) -> Unknown:
    """Check one output; raise :class:`ShapeMismatch`, return the unknown keys seen."""
    unknown: Unknown = set()
    output_checker(service, operation)(data, unknown)
    return unknown


# --------------------------------------------------------------------------------------------
# Compilation
# --------------------------------------------------------------------------------------------


def _compile(shape: Shape, memo: dict[str, Checker]) -> Checker | frozenset[type]:
    """A checker for containers, or the accepted types for a scalar."""
    kind = shape.type_name
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        return _compile_structure(shape, memo)
    if kind == "list":
        assert isinstance(shape, ListShape)
        return _compile_list(shape, memo)
    if kind == "map":
        assert isinstance(shape, MapShape)
        return _compile_map(shape, memo)
    return _SCALAR_TYPES.get(kind, frozenset({str, _NONE}))


def _scalar_mismatch(shape_type: str, value: object) -> ShapeMismatch:
    expected = _EXPECTED_TEXT.get(shape_type, "a string")
    return ShapeMismatch(f"expected {expected}, found {describe_json_type(value)}")


def _compile_structure(
    shape: StructureShape, memo: dict[str, Checker], *, top_level: bool = False
) -> Checker:
    key = shape.name if not top_level else f"<output>{shape.name}"
    if key in memo:
        return memo[key]
    scalars: dict[str, frozenset[type]] = {}
    scalar_kind: dict[str, str] = {}
    nested: dict[str, Checker] = {}
    names = frozenset(shape.members)
    shape_name = shape.name
    ignored = _IGNORED_TOP_LEVEL if top_level else frozenset()

    def unknown_key(name: str, unknown: Unknown) -> None:
        if name in ignored:
            return
        meant = near_miss(name, names)
        if meant is not None:
            raise ShapeMismatch(
                f"unknown key {name!r}: did you mean {meant}? (botocore's {shape_name} has no "
                f"{name}; check the spelling, JSON keys are case-sensitive)"
            ).at("." + name)
        unknown.add((shape_name, name))

    def check(value: Any, unknown: Unknown) -> None:
        if type(value) is not dict:
            if value is None:
                return
            raise ShapeMismatch(
                f"expected an object ({shape_name}), found {describe_json_type(value)}"
            )
        for name, item in value.items():
            types = scalars.get(name)
            if types is not None:
                if type(item) not in types:
                    raise _scalar_mismatch(scalar_kind[name], item).at("." + name)
                continue
            sub = nested.get(name)
            if sub is None:
                unknown_key(name, unknown)
                continue
            try:
                sub(item, unknown)
            except ShapeMismatch as error:
                raise error.at("." + name) from None

    memo[key] = check
    for name, member in shape.members.items():
        compiled = _compile(member, memo)
        if isinstance(compiled, frozenset):
            scalars[name] = compiled
            scalar_kind[name] = member.type_name
        else:
            nested[name] = compiled
    return check


def _compile_list(shape: ListShape, memo: dict[str, Checker]) -> Checker:
    member = shape.member
    compiled = _compile(member, memo)
    if isinstance(compiled, frozenset):
        types = compiled
        member_type = member.type_name

        def check_scalars(value: Any, unknown: Unknown) -> None:
            if type(value) is not list:
                if value is None:
                    return
                raise ShapeMismatch(f"expected a list, found {describe_json_type(value)}")
            for index, item in enumerate(value):
                if type(item) not in types or item is None:
                    raise _scalar_mismatch(member_type, item).at(f"[{index}]")

        return check_scalars
    sub = compiled

    def check_items(value: Any, unknown: Unknown) -> None:
        if type(value) is not list:
            if value is None:
                return
            raise ShapeMismatch(f"expected a list, found {describe_json_type(value)}")
        index = 0
        try:
            for index, item in enumerate(value):  # noqa: B007 (index used on failure)
                if item is None:
                    raise ShapeMismatch("expected an object, found null (AWS never lists null)")
                sub(item, unknown)
        except ShapeMismatch as error:
            raise error.at(f"[{index}]") from None

    return check_items


def _compile_map(shape: MapShape, memo: dict[str, Checker]) -> Checker:
    compiled = _compile(shape.value, memo)
    value_type = shape.value.type_name

    def check(value: Any, unknown: Unknown) -> None:
        if type(value) is not dict:
            if value is None:
                return
            raise ShapeMismatch(f"expected an object (a map), found {describe_json_type(value)}")
        for name, item in value.items():
            if isinstance(compiled, frozenset):
                if type(item) not in compiled:
                    raise _scalar_mismatch(value_type, item).at("." + name)
                continue
            try:
                compiled(item, unknown)
            except ShapeMismatch as error:
                raise error.at("." + name) from None

    return check


# --------------------------------------------------------------------------------------------
# Strict check: for the files vpcdoctor's own generators write (demo, benchmark, tests)
# --------------------------------------------------------------------------------------------
# The loader above is lenient on purpose (a user's export may come from a newer API). Files we
# generate must be exactly what the AWS CLI prints: no unknown member, every required member
# (but the pagination ones the CLI drops when it merges pages), enum values botocore lists (or
# that the real APIs are seen to return), parsable timestamps.

REAL_VALUES_OUTSIDE_ENUMS: dict[str, frozenset[str]] = {
    # AWS's own CLI examples and real exports show them: IGW attachments are "available", NAT
    # gateway ENIs are "nat_gateway", VPC endpoint states are lower case.
    "AttachmentStatus": frozenset({"available"}),
    "NetworkInterfaceType": frozenset({"nat_gateway"}),
    "State": frozenset(
        {"available", "pending", "deleting", "deleted", "rejected", "failed", "pendingAcceptance"}
    ),
}

PAGINATION = frozenset(
    {
        "NextToken",
        "Marker",
        "NextMarker",
        "IsTruncated",
        "MaxItems",
        "MaxResults",
        "NextRecordName",
        "NextRecordType",
        "NextRecordIdentifier",
    }
)


def check_strictly(shape: Any, value: Any, path: str, errors: list[str], top: bool = False) -> None:
    """Append to ``errors`` every way ``value`` differs from botocore's ``shape`` (strict)."""
    t = shape.type_name
    if t == "structure":
        if not isinstance(value, dict):
            errors.append(f"{path}: expected object for {shape.name}")
            return
        members = shape.members
        for k, v in value.items():
            if k not in members:
                errors.append(f"{path}.{k}: not a member of {shape.name}")
                continue
            check_strictly(members[k], v, f"{path}.{k}", errors)
        for req in shape.required_members:
            if req not in value and not (top and req in PAGINATION):
                errors.append(f"{path}: required member {req} of {shape.name} missing")
    elif t == "list":
        if not isinstance(value, list):
            errors.append(f"{path}: expected list")
            return
        for i, v in enumerate(value):
            check_strictly(shape.member, v, f"{path}[{i}]", errors)
    elif t == "map":
        if not isinstance(value, dict):
            errors.append(f"{path}: expected map")
            return
        for k, v in value.items():
            check_strictly(shape.value, v, f"{path}.{k}", errors)
    elif t == "string":
        if not isinstance(value, str):
            errors.append(f"{path}: expected string, got {type(value).__name__}")
        elif (
            shape.enum
            and value not in shape.enum
            and value not in REAL_VALUES_OUTSIDE_ENUMS.get(shape.name, ())
        ):
            errors.append(f"{path}: {value!r} not in enum {shape.name} {shape.enum}")
    elif t == "boolean":
        if not isinstance(value, bool):
            errors.append(f"{path}: expected boolean")
    elif t in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            errors.append(f"{path}: expected integer")
    elif t in ("double", "float"):
        if not isinstance(value, int | float) or isinstance(value, bool):
            errors.append(f"{path}: expected number")
    elif t == "timestamp":
        if not isinstance(value, str):
            errors.append(f"{path}: expected timestamp string")
        else:
            text = value.replace("Z", "+00:00")
            if text.endswith("+0000"):
                text = text[:-5] + "+00:00"
            try:
                datetime.datetime.fromisoformat(text)
            except ValueError:
                errors.append(f"{path}: unparsable timestamp {value!r}")
    else:
        errors.append(f"{path}: unhandled shape type {t}")


def strict_errors(service: str, operation: str, data: Any, path: str) -> list[str]:
    """Every way ``data`` is not exactly the output of ``service``'s ``operation``."""
    errors: list[str] = []
    shape = _service_model(service).operation_model(operation).output_shape
    if shape is not None:
        check_strictly(shape, data, path, errors, top=True)
    return errors
