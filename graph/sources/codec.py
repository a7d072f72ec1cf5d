"""The cache's encoding: an :class:`Account` as plain containers for :mod:`marshal`, and back.

Decoding accepts exactly the model's own dataclasses, enums and IP types (by index into a
registry made from :mod:`vpcdoctor.graph.model`) and type-checks every field, so nothing but
model records can come out of it (:mod:`vpcdoctor.graph.sources.cache` authenticates the
payload before it gets here).
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import ipaddress
import marshal
import re
from collections.abc import Callable
from types import MappingProxyType
from typing import Any

from vpcdoctor.graph import model
from vpcdoctor.graph.model import Account


class CacheRejected(Exception):
    """The cache file cannot be used (internal: callers fall back to JSON)."""


# --------------------------------------------------------------------------------------------
# How: encoding the model as plain containers, and back
# --------------------------------------------------------------------------------------------
#
# A model object is a list ``[tag, field values…]`` (lists appear nowhere else), with ``tag``
# an index into ``_REGISTRY``: the model's dataclasses and enums, sorted by name, then the four
# ipaddress types. Tuples stay tuples, mappings become dicts with str keys, frozensets of
# scalars stay frozensets.

_SCALARS = (str, int, float, bool, type(None))


def _model_classes() -> list[type]:
    classes = []
    # The records of an account: every class the model package exports from its own modules
    # (kinds, verdicts and target parsing live beside them but are never cached).
    for obj in vars(model).values():
        if not isinstance(obj, type) or not obj.__module__.startswith(model.__name__ + "."):
            continue
        if obj is Account:
            continue
        if dataclasses.is_dataclass(obj) or issubclass(obj, enum.Enum):
            classes.append(obj)
    return sorted(classes, key=lambda c: c.__name__)


_IP_TYPES: tuple[type, ...] = (
    ipaddress.IPv4Address,
    ipaddress.IPv6Address,
    ipaddress.IPv4Network,
    ipaddress.IPv6Network,
)
_CLASSES: list[type] = [*_model_classes(), *_IP_TYPES]
_TAG: dict[type, int] = {cls: i for i, cls in enumerate(_CLASSES)}
_FIELDS: dict[type, tuple[str, ...]] = {
    cls: tuple(f.name for f in dataclasses.fields(cls))
    for cls in _CLASSES
    if dataclasses.is_dataclass(cls)
}
_REGISTRY_SIGNATURE: tuple[Any, ...] = tuple(
    (
        cls.__name__,
        tuple((f.name, str(f.type)) for f in dataclasses.fields(cls))
        if dataclasses.is_dataclass(cls)
        else tuple(str(m.value) for m in cls)
        if issubclass(cls, enum.Enum)
        else (),
    )
    for cls in _CLASSES
)
_REGISTRY_SIGNATURE += (tuple(f.name for f in dataclasses.fields(Account)),)
_DATACLASS_NAMES = frozenset(c.__name__ for c in _FIELDS)
_ENUM_TAGS: dict[str, tuple[int, Any]] = {
    c.__name__: (i, c) for i, c in enumerate(_CLASSES) if issubclass(c, enum.Enum)
}
_ACCOUNT_FIELDS = tuple(f.name for f in dataclasses.fields(Account) if not f.name.startswith("_"))


def _encode(value: Any) -> Any:
    t = type(value)
    if t is str or t is int or t is bool or t is float or value is None:
        return value
    if t is tuple:
        return tuple(map(_encode, value))
    tag = _TAG.get(t)
    if tag is not None:
        names = _FIELDS.get(t)
        if names is not None:
            return [tag, *(_encode(getattr(value, n)) for n in names)]
        if isinstance(value, enum.Enum):
            return [tag, value.value]
        if isinstance(value, ipaddress.IPv4Address | ipaddress.IPv6Address):
            return [tag, int(value)]
        return [tag, int(value.network_address), value.prefixlen]
    if t is dict or t is MappingProxyType:
        out = {}
        for k, v in value.items():
            if type(k) is not str:
                raise TypeError(f"mapping key {k!r} is not a string")
            out[k] = _encode(v)
        return out
    if t is frozenset and all(type(x) in _SCALARS for x in value):
        return value
    raise TypeError(f"cannot cache a {t.__name__}")


_SCALAR_FIELDS: dict[str, frozenset[type]] = {
    "str": frozenset({str}),
    "str | None": frozenset({str, type(None)}),
    "int": frozenset({int}),
    "int | None": frozenset({int, type(None)}),
    "bool": frozenset({bool}),
    "bool | None": frozenset({bool, type(None)}),
}
_STRS = frozenset({str})


def _class_decoder(
    cls: type, tag: int, decode: Callable[[Any], Any], env: dict[str, Any]
) -> Callable[[Any], Any]:
    """Compile the decoder of one model class from its field annotations.

    Generated source, built only from the model's own classes and field names (never from a
    cache file): scalar and tuple-of-str fields are type-checked inline and stored as they came
    out of marshal, nested model objects and enums call their own decoder directly, and only
    IP values go through the generic ``decode``. ``env`` is shared by every class's decoder
    (``dec_<Class>`` names are bound in it once all are compiled).
    """
    names = _FIELDS[cls]
    cname = cls.__name__
    env.update(
        {
            "new": object.__new__,
            f"cls_{cname}": cls,
            "decode": decode,
            "Rejected": CacheRejected,
            "STRS": _STRS,
            "proxy": MappingProxyType,
            "tuple_": tuple,
            "dict_": dict,
            "list_": list,
            "str_": str,
        }
    )
    lines = [
        f"def dec_{cname}(v):",
        f"    if type(v) is not list_ or len(v) != {len(names) + 1} or v[0] != {tag}:",
        f"        raise Rejected('{cname}: not an object of this class')",
    ]
    scalar_only = all(
        str(cls.__dataclass_fields__[n].type) in _SCALAR_FIELDS  # type: ignore[attr-defined]
        for n in names
    )
    if scalar_only:
        # Small value objects (port ranges, zone VPCs…) repeat thousands of times: immutable,
        # compared by value, so equal ones are built once per load.
        env[f"memo_{cname}"] = {}
        lines += [
            "    key = tuple_(v)",
            f"    o = memo_{cname}.get(key)",
            "    if o is not None:",
            "        return o",
        ]
    lines.append(f"    o = new(cls_{cname})")
    for i, name in enumerate(names, start=1):
        setter = f"set_{cname}_{i}"
        env[setter] = getattr(cls, name).__set__
        annotation = str(cls.__dataclass_fields__[name].type)  # type: ignore[attr-defined]
        lines.append(f"    x = v[{i}]")
        fail = f"raise Rejected('{cname}.{name}: wrong type')"
        optional = annotation.endswith(" | None")
        inner = annotation.removesuffix(" | None")
        many = re.fullmatch(r"tuple\[(\w+), \.\.\.\]", inner)
        if annotation in _SCALAR_FIELDS:
            env[f"ok_{cname}_{i}"] = _SCALAR_FIELDS[annotation]
            lines.append(f"    if type(x) not in ok_{cname}_{i}: {fail}")
            lines.append(f"    {setter}(o, x)")
        elif inner == "tuple[str, ...]":
            none = " and x is not None" if optional else ""
            lines.append(
                f"    if (type(x) is not tuple_ or not STRS.issuperset(map(type, x))){none}: {fail}"
            )
            lines.append(f"    {setter}(o, x)")
        elif annotation == "Tags":
            lines.append(
                f"    if type(x) is not dict_ or not (STRS.issuperset(map(type, x))"
                f" and STRS.issuperset(map(type, x.values()))): {fail}"
            )
            lines.append(f"    {setter}(o, proxy(x))")
        elif many and many.group(1) in _DATACLASS_NAMES:
            none = f"    if x is None: {setter}(o, None)\n    el" if optional else "    "
            lines.append(
                f"{none}if type(x) is tuple_: {setter}(o, tuple_(map(dec_{many.group(1)}, x)))"
            )
            lines.append(f"    else: {fail}")
        elif inner in _DATACLASS_NAMES:
            none = "None if x is None else " if optional else ""
            lines.append(f"    {setter}(o, {none}dec_{inner}(x))")
        elif inner in _ENUM_TAGS:
            members = f"members_{inner}"
            env[members] = _ENUM_TAGS[inner][1]._value2member_map_
            check = (
                f"type(x) is not list_ or len(x) != 2 or x[0] != {_ENUM_TAGS[inner][0]} "
                f"or type(x[1]) is not str_ or x[1] not in {members}"
            )
            if optional:
                lines.append(f"    if x is not None and ({check}): {fail}")
                lines.append(f"    {setter}(o, None if x is None else {members}[x[1]])")
            else:
                lines.append(f"    if {check}: {fail}")
                lines.append(f"    {setter}(o, {members}[x[1]])")
        else:
            lines.append(f"    {setter}(o, x if x is None else decode(x))")
    if scalar_only:
        lines.append(f"    memo_{cname}[key] = o")
    lines.append("    return o")
    exec(compile("\n".join(lines), f"<vpcdoctor cache decoder {cname}>", "exec"), env)
    return env[f"dec_{cname}"]  # type: ignore[no-any-return]


def _decoder() -> Callable[[Any], Any]:
    """Build the decoder: a closure with every lookup bound locally, for speed."""
    specs: list[tuple[int, Any, Any]] = []
    n_specs = len(_CLASSES)
    networks: dict[tuple[int, int, int], Any] = {}
    proxy = MappingProxyType
    scalars = frozenset(_SCALARS)

    def decode(value: Any) -> Any:
        t = type(value)
        if t is str or t is int or t is bool or t is float or value is None:
            return value
        if t is tuple:
            return tuple(map(decode, value))
        if t is list:
            if not value:
                raise CacheRejected("empty object")
            tag = value[0]
            if type(tag) is not int or not 0 <= tag < n_specs:
                raise CacheRejected("unknown tag")
            kind, cls, extra = specs[tag]
            if kind == 0:
                return extra(value)
            if len(value) < 2:
                raise CacheRejected("short value")
            payload = value[1]
            if kind == 1:
                member = (
                    extra.get(payload) if type(payload) is str or type(payload) is int else None
                )
                if member is None:
                    raise CacheRejected(f"{cls.__name__}: unknown member")
                return member
            if type(payload) is not int:
                raise CacheRejected("address is not an int")
            if kind == 2:
                return cls(payload)
            prefix = value[2] if len(value) == 3 else None
            if type(prefix) is not int:
                raise CacheRejected("bad prefix")
            key = (tag, payload, prefix)
            net = networks.get(key)
            if net is None:
                net = networks[key] = cls((payload, prefix))
            return net
        if t is dict:
            out = {}
            for k, v in value.items():
                if type(k) is not str:
                    raise CacheRejected("non-string key")
                out[k] = decode(v)
            return proxy(out)
        if t is frozenset:
            for x in value:
                if type(x) not in scalars:
                    raise CacheRejected("frozenset of non-scalars")
            return value
        raise CacheRejected(f"{t.__name__} not allowed in a cache file")

    env: dict[str, Any] = {}
    for tag, cls in enumerate(_CLASSES):
        if cls in _FIELDS:
            specs.append((0, cls, _class_decoder(cls, tag, decode, env)))
        elif issubclass(cls, enum.Enum):
            specs.append((1, cls, cls._value2member_map_))
        elif cls in (ipaddress.IPv4Address, ipaddress.IPv6Address):
            specs.append((2, cls, None))
        else:
            specs.append((3, cls, None))
    return decode


def encode_account(account: Account) -> bytes:
    """The marshal payload of an account (plain containers only)."""
    fields = {name: _encode(getattr(account, name)) for name in _ACCOUNT_FIELDS}
    return marshal.dumps(fields)


def decode_account(payload: bytes) -> Account:
    """Rebuild an account from an (already authenticated) payload; CacheRejected if malformed."""
    try:
        data = marshal.loads(payload)
    except (EOFError, ValueError, TypeError) as exc:
        raise CacheRejected("unreadable payload") from exc
    if type(data) is not dict or set(data) != set(_ACCOUNT_FIELDS):
        raise CacheRejected("not an account")
    decode = _decoder()
    fields: dict[str, Any] = {}
    for name in _ACCOUNT_FIELDS:
        value = decode(data[name])
        if isinstance(value, MappingProxyType):
            value = dict(value)  # Account.build wraps plain dicts itself
        fields[name] = value
    return Account.build(**fields)


def model_fingerprint() -> str:
    """A digest of every model class and field: a changed model never reads an old cache."""
    return hashlib.sha256(repr(_REGISTRY_SIGNATURE).encode()).hexdigest()
