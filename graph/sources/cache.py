"""A cache of loaded accounts, so that re-opening the same snapshot beats parsing its JSON.

During an incident the same snapshot is opened again and again (``check``, then ``walk``, then
the TUI). Parsing ~100 MB of JSON and building the model is the floor of a cold start; the cache
stores the built :class:`~vpcdoctor.graph.model.Account` once and reads it back in a fraction
of that time.

Safety, because the cache directory is a place another user or process could write to:

* **No code is ever loaded.** The payload is :mod:`marshal` data of plain containers only
  (``tuple``, ``list``, ``dict``, ``frozenset``, ``str``, ``int``, ``float``, ``bool``,
  ``None``). ``marshal`` can carry code objects, so the file is authenticated *before*
  ``marshal.loads`` and the decoded structure is walked by a decoder that accepts exactly those
  types and rebuilds only the model's own dataclasses, enums and IP address types, by index
  into a registry made from :mod:`vpcdoctor.graph.model`. Anything else rejects the file.
* **Authenticated.** Each file starts with an HMAC-SHA256 of its content keyed by a random
  per-user secret (``key``, 0600 in the cache directory). A truncated, corrupt, edited or
  foreign file fails the check and is ignored.
* **Owner-only.** The directory is 0700 and files 0600; a directory or file owned by someone
  else, or writable by group or others (or, for the secret, readable by them), is not used.
  Files are opened with ``O_NOFOLLOW`` and checked on the open descriptor.
* **Keyed by content identity.** The key covers the snapshot's resolved path, and for exactly
  the files the loader reads (one walk, :func:`vpcdoctor.graph.sources.files.walk`: ``.json``
  in any case, through in-snapshot links, each file once) its relative name, size, mtime and
  ctime (ns), device and inode; plus the vpcdoctor version, :data:`SCHEMA_VERSION` and a
  fingerprint of the model's classes and fields. So a changed snapshot or an upgraded
  vpcdoctor simply misses. An edit that keeps the size and restores the mtime (``touch -r``)
  still changes the ctime, which only the kernel sets (SECURITY.md, "The cache is never
  stale"); a content hash would cost about 0.3× a plain ``json.load`` of the files on every
  open (BENCHMARKS.md), so the key does not read the files.

Any problem means "no cache": the snapshot is loaded from JSON and the cache rewritten. Set
``VPCDOCTOR_NO_CACHE=1`` to disable it, ``VPCDOCTOR_CACHE_DIR`` to move it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import gc
import hashlib
import hmac
import ipaddress
import marshal
import os
import re
import secrets
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from vpcdoctor import __version__
from vpcdoctor.graph import model
from vpcdoctor.graph.model import Account
from vpcdoctor.graph.sources import files

_T = TypeVar("_T")

SCHEMA_VERSION = 2
"""Bump when the encoding changes; model field changes are caught by the fingerprint."""

MAGIC = b"VPCDOCTOR-CACHE\x01"
_KEY_FILE = "key"
_SECRET_BYTES = 32
_DIGEST = 32
_HEADER = len(MAGIC) + _DIGEST + _DIGEST


class CacheRejected(Exception):
    """The cache file cannot be used (internal: callers fall back to JSON)."""


# --------------------------------------------------------------------------------------------
# Where
# --------------------------------------------------------------------------------------------


def cache_enabled() -> bool:
    """False when ``VPCDOCTOR_NO_CACHE`` is set to anything but ``""``/``0``."""
    return os.environ.get("VPCDOCTOR_NO_CACHE", "") in ("", "0")


def cache_dir() -> Path:
    """``VPCDOCTOR_CACHE_DIR``, else the platform's user cache directory for vpcdoctor."""
    override = os.environ.get("VPCDOCTOR_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("vpcdoctor", appauthor=False))


def _safe_dir(path: Path, *, create: bool) -> bool:
    """True when ``path`` is a real directory of ours that nobody else can write to."""
    if create:
        try:
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError:
            return False
    try:
        st = os.lstat(path)
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():
        return False
    return not st.st_mode & 0o022


def _check_fd(fd: int, *, secret: bool = False) -> os.stat_result:
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode) or st.st_uid != os.getuid():
        raise CacheRejected("not a regular file of ours")
    if st.st_mode & (0o077 if secret else 0o022):
        raise CacheRejected("group/other permissions")
    return st


def _read_owned(path: Path, *, secret: bool = False) -> bytes:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        st = _check_fd(fd, secret=secret)
        chunks: list[bytes] = []
        remaining = st.st_size
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 26))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _secret(directory: Path) -> bytes:
    """The per-user MAC key, created owner-only on first use."""
    path = directory / _KEY_FILE
    try:
        fd = os.open(
            path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600
        )
    except FileExistsError:
        key = _read_owned(path, secret=True)
        if len(key) != _SECRET_BYTES:
            raise CacheRejected("bad key file") from None
        return key
    key = secrets.token_bytes(_SECRET_BYTES)
    try:
        os.write(fd, key)
    finally:
        os.close(fd)
    return key


# --------------------------------------------------------------------------------------------
# What: the key of a snapshot
# --------------------------------------------------------------------------------------------


def _file_identities(root: Path) -> Iterator[str]:
    """One line per file the loader reads (the same walk: :func:`files.walk`): its relative
    name, size, modification and inode-change times (ns), device and inode."""
    found, _ = files.walk(root)
    for f in found:
        st = f.stat
        identity = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_dev, st.st_ino)
        yield f.relative + "".join(f"\0{n}" for n in identity)


def _model_fingerprint() -> str:
    return hashlib.sha256(repr(_REGISTRY_SIGNATURE).encode()).hexdigest()


def snapshot_key(snapshot: Path) -> bytes:
    """Digest of everything that decides whether a cached account is still the right one."""
    root = snapshot.resolve()
    h = hashlib.sha256()
    h.update(repr((__version__, SCHEMA_VERSION, _model_fingerprint(), str(root))).encode())
    for line in _file_identities(root):
        h.update(f"\n{line}".encode())
    return h.digest()


def cache_file(snapshot: Path, directory: Path | None = None) -> Path:
    """The cache file of a snapshot directory (one per resolved path)."""
    directory = directory or cache_dir()
    name = hashlib.sha256(str(snapshot.resolve()).encode()).hexdigest()[:32]
    return directory / f"{name}.account"


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


# --------------------------------------------------------------------------------------------
# The cache itself
# --------------------------------------------------------------------------------------------


def read_cached(
    snapshot: Path, *, directory: Path | None = None, key: bytes | None = None
) -> Account | None:
    """The cached account of ``snapshot`` if a valid one exists, else None (never raises)."""
    directory = directory or cache_dir()
    try:
        if not _safe_dir(directory, create=False):
            return None
        key = key or snapshot_key(snapshot)
        blob = _read_owned(cache_file(snapshot, directory))
        if len(blob) < _HEADER or not blob.startswith(MAGIC):
            return None
        stored_key = blob[len(MAGIC) : len(MAGIC) + _DIGEST]
        mac = blob[len(MAGIC) + _DIGEST : _HEADER]
        if not hmac.compare_digest(stored_key, key):
            return None
        view = memoryview(blob)
        expected = _mac(_secret(directory), view[: len(MAGIC) + _DIGEST], view[_HEADER:])
        if not hmac.compare_digest(mac, expected):
            return None
        return _without_gc(decode_account, view[_HEADER:])
    except (
        OSError,
        CacheRejected,
        RecursionError,
        MemoryError,
        TypeError,
        ValueError,
        IndexError,
        KeyError,
        EOFError,
    ):
        return None


def write_cached(
    snapshot: Path, account: Account, *, directory: Path | None = None, key: bytes | None = None
) -> bool:
    """Store ``account`` for ``snapshot``; False (and nothing written) on any problem."""
    directory = directory or cache_dir()
    try:
        if not _safe_dir(directory, create=True):
            return False
        key = key or snapshot_key(snapshot)
        payload = _without_gc(encode_account, account)
        head = MAGIC + key
        mac = _mac(_secret(directory), head, payload)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".account")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(head)
                fh.write(mac)
                fh.write(payload)
            os.replace(tmp, cache_file(snapshot, directory))
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        return True
    except (OSError, CacheRejected, TypeError, ValueError, RecursionError):
        return False


def load_snapshot_cached(
    snapshot: Path,
    *,
    loader: Callable[[Path], Account] | None = None,
    directory: Path | None = None,
) -> Account:
    """Load ``snapshot`` from the cache when it is valid, else from JSON (and cache it).

    Args:
        snapshot: the snapshot directory.
        loader: the JSON loader (default :func:`vpcdoctor.graph.sources.snapshot.load_snapshot`).
        directory: the cache directory (default :func:`cache_dir`).
    """
    if loader is None:
        loader = _json_loader
    if not cache_enabled():
        return loader(snapshot)
    try:
        key: bytes | None = snapshot_key(snapshot)
    except OSError:
        key = None
    if key is not None:
        cached = read_cached(snapshot, directory=directory, key=key)
        if cached is not None:
            return cached
    account = loader(snapshot)
    if key is not None:
        write_cached(snapshot, account, directory=directory, key=key)
    return account


def _json_loader(snapshot: Path) -> Account:
    # Imported on a miss only: the loader pulls in botocore (for its shape check), which a
    # warm start never needs and which costs a good part of a second to import.
    from vpcdoctor.graph.sources.snapshot import load_snapshot

    return load_snapshot(snapshot)


def _mac(secret: bytes, head: bytes | memoryview, payload: bytes | memoryview) -> bytes:
    h = hmac.new(secret, head, "sha256")
    h.update(payload)
    return h.digest()


def _without_gc(fn: Callable[[Any], _T], arg: Any) -> _T:
    """Run ``fn`` with the cyclic GC paused: it allocates (or walks) a large acyclic structure
    that the collector would otherwise traverse over and over."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return fn(arg)
    finally:
        if enabled:
            gc.enable()
