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
import gc
import hashlib
import hmac
import os
import secrets
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from vpcdoctor import __version__
from vpcdoctor.graph.model import Account
from vpcdoctor.graph.sources import files
from vpcdoctor.graph.sources.codec import (
    _ACCOUNT_FIELDS,  # noqa: F401  (tests read it here)
    CacheRejected,
    decode_account,
    encode_account,
    model_fingerprint,
)

_T = TypeVar("_T")

SCHEMA_VERSION = 2
"""Bump when the encoding changes; model field changes are caught by the fingerprint."""

MAGIC = b"VPCDOCTOR-CACHE\x01"
_KEY_FILE = "key"
_SECRET_BYTES = 32
_DIGEST = 32
_HEADER = len(MAGIC) + _DIGEST + _DIGEST


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


def snapshot_key(snapshot: Path) -> bytes:
    """Digest of everything that decides whether a cached account is still the right one."""
    root = snapshot.resolve()
    h = hashlib.sha256()
    h.update(repr((__version__, SCHEMA_VERSION, model_fingerprint(), str(root))).encode())
    for line in _file_identities(root):
        h.update(f"\n{line}".encode())
    return h.digest()


def cache_file(snapshot: Path, directory: Path | None = None) -> Path:
    """The cache file of a snapshot directory (one per resolved path)."""
    directory = directory or cache_dir()
    name = hashlib.sha256(str(snapshot.resolve()).encode()).hexdigest()[:32]
    return directory / f"{name}.account"


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
