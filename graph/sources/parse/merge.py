"""Resources of one kind keyed by id: the "same resource twice" rule, and views merged.

The same resource can come from several outputs. **Within one view** (one exporting account and
Region: the outputs' folder or manifest says which, see :mod:`vpcdoctor.graph.sources.snapshot`)
an identical repeat is fine (pages saved twice, an export copied) and two different contents
are a :class:`Conflict` naming both files.

**Across views** (a TGW attachment, a peering connection, a shared subnet or TGW, each seen from
its own account) the contents differ legitimately (own owner ids, association, tags) and are
merged into one resource, field by field:

* a field one view lacks (None, empty string, empty tuple or mapping) comes from the other;
* tags are merged (each account tags a shared resource on its own); on a key both set, the
  owner's view wins;
* any other field that differs comes from the **owner's view**: the view exported from the
  account the resource is attributed to (its ``OwnerId`` / ARN; a TGW attachment's is the TGW
  owner, so its association comes from the TGW owner's view); if neither view is the owner's,
  the first one read wins;
* nested records (a peering connection's requester and accepter) are merged the same way.

Every top-level resource is also attributed to an account and a Region as it is added
(:class:`~vpcdoctor.graph.model.Origin`): the account its own fields name (``OwnerId``, an ARN),
else the view's; the Region its ARN or Availability Zone names, else the view's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, Generic

from vpcdoctor.graph.model import Origin
from vpcdoctor.graph.sources.parse.values import T, region_of_az


def _is_account(text: object) -> bool:
    return isinstance(text, str) and len(text) == 12 and text.isdigit()


class Conflict(Exception):
    """The same resource twice with different content."""

    def __init__(self, message: str, *, source: str, json_path: str) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.json_path = json_path


# --------------------------------------------------------------------------------------------
# The view outputs are read in, and attribution
# --------------------------------------------------------------------------------------------


class View:
    """The exporting account and Region of the output being parsed (set by the builder per
    output), and the origins of the resources added so far (shared by the collections)."""

    __slots__ = ("_interned", "account", "key", "origins", "region")

    def __init__(self) -> None:
        self.account: str | None = None
        self.region: str | None = None
        self.key: tuple[str | None, str | None] = (None, None)
        self.origins: dict[str, Origin] = {}
        self._interned: dict[tuple[str | None, str | None], Origin] = {}

    def set(self, account: str | None, region: str | None) -> None:
        self.account, self.region = account, region
        self.key = (account, region)

    def origin(self, account: str | None, region: str | None) -> Origin:
        key = (account, region)
        found = self._interned.get(key)
        if found is None:
            found = self._interned[key] = Origin(account, region)
        return found


def arn_parts(arn: object) -> tuple[str | None, str | None]:
    """(account, region) named by an ARN (``arn:partition:service:region:account:…``)."""
    if not isinstance(arn, str) or not arn.startswith("arn:"):
        return None, None
    parts = arn.split(":", 5)
    if len(parts) < 5:
        return None, None
    account = parts[4] if _is_account(parts[4]) else None
    return account, parts[3] or None


Extractor = Callable[[Any], tuple[str | None, str | None]]
_EXTRACTORS: dict[type, Extractor] = {}
_OWNER_FIELDS = ("owner_id", "transit_gateway_owner_id")


def _extractor(cls: type) -> Extractor:
    """How to read (account, region) from a record of ``cls``: its owner field, its ARN, its
    Availability Zone, or its requester side (a peering connection)."""
    names = {f.name for f in dataclasses.fields(cls)} if dataclasses.is_dataclass(cls) else set()
    owner = next((n for n in ("transit_gateway_owner_id", "owner_id") if n in names), None)
    has_arn = "arn" in names
    az = "az" if "az" in names else None
    side = "requester" if "requester" in names else None

    def extract(value: Any) -> tuple[str | None, str | None]:
        account = region = None
        if has_arn:
            account, region = arn_parts(getattr(value, "arn", None))
        if owner is not None:
            own = getattr(value, owner, None)
            if _is_account(own):
                account = own
        if az is not None and region is None:
            zone = getattr(value, az, None)
            if isinstance(zone, str):
                region = region_of_az(zone)
        if side is not None:
            info = getattr(value, side, None)
            own = getattr(info, "owner_id", None)
            if account is None and _is_account(own):
                account = own
            if region is None:
                region = getattr(info, "region", None)
        return account, region

    return extract


def attribute(view: View, key: str, value: Any) -> Origin:
    """Record (and return) the origin of the resource ``key`` described by ``value``."""
    extract = _EXTRACTORS.get(type(value))
    if extract is None:
        extract = _EXTRACTORS[type(value)] = _extractor(type(value))
    account, region = extract(value)
    origin = view.origin(account or view.account, region or view.region)
    old = view.origins.get(key)
    if (
        old is None
        or (old.account is None and origin.account)
        or (old.region is None and origin.region)
    ):
        view.origins[key] = origin
    return view.origins[key]


# --------------------------------------------------------------------------------------------
# Merging two views of one resource
# --------------------------------------------------------------------------------------------


def _empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str | tuple | Mapping):
        return len(value) == 0
    return False


def merge_views(first: T, second: T, *, prefer_second: bool) -> T:
    """One resource from two views (the module docstring gives the rule)."""
    if not dataclasses.is_dataclass(first) or type(first) is not type(second):
        return second if prefer_second else first
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(first):
        a, b = getattr(first, f.name), getattr(second, f.name)
        if a == b or _empty(b):
            continue
        if _empty(a):
            changes[f.name] = b
        elif f.name == "tags" and isinstance(a, Mapping) and isinstance(b, Mapping):
            tags = {**b, **a} if not prefer_second else {**a, **b}
            changes[f.name] = MappingProxyType(tags)
        elif dataclasses.is_dataclass(a) and type(a) is type(b):
            changes[f.name] = merge_views(a, b, prefer_second=prefer_second)
        elif prefer_second:
            changes[f.name] = b
    return dataclasses.replace(first, **changes) if changes else first  # type: ignore[type-var]


# --------------------------------------------------------------------------------------------
# Collections
# --------------------------------------------------------------------------------------------


class Collection(Generic[T]):
    """Resources of one kind keyed by id: identical repeats are fine, different contents
    conflict within one view and are merged across views (module docstring).

    Without a ``view`` (nested parts: rules, entries, records) every difference conflicts.
    With ``attribute`` each added resource is attributed to an account and Region.
    """

    __slots__ = ("attribute", "items", "view", "views", "what", "where")

    def __init__(self, what: str, view: View | None = None, *, attribute: bool = False) -> None:
        self.what = what
        self.items: dict[str, T] = {}
        self.where: dict[str, tuple[str, str]] = {}
        self.view = view
        self.views: dict[str, tuple[str | None, str | None]] = {}
        self.attribute = attribute and view is not None

    def add(self, key: str, value: T, source: str, json_path: str) -> None:
        old = self.items.get(key)
        view = self.view
        if old is None:
            self.items[key] = value
            self.where[key] = (source, json_path)
            if view is not None:
                self.views[key] = view.key
                if self.attribute:
                    attribute(view, key, value)
            return
        if old == value:
            return
        if view is None or self.views.get(key) == view.key:
            other, other_path = self.where[key]
            raise Conflict(
                f"{self.what} {key} appears twice with different content (also in {other} at "
                f"{other_path}); keep one of the two exports, or export both again at the "
                "same time",
                source=source,
                json_path=json_path,
            )
        owner = attribute(view, key, value).account if self.attribute else None
        prefer_new = owner is not None and view.account == owner
        self.items[key] = merge_views(old, value, prefer_second=prefer_new)
        if prefer_new:
            self.views[key] = view.key

    def __contains__(self, key: object) -> bool:
        return key in self.items

    def get(self, key: str) -> T | None:
        return self.items.get(key)


def _one_owner(
    what: str,
    pairs: Iterable[tuple[str, str]],
    where: Mapping[str, tuple[str, str]],
    owner_kind: str,
) -> None:
    """Each owner (VPC or subnet) may be claimed by one resource only."""
    seen: dict[str, str] = {}
    for owner, resource in pairs:
        first = seen.setdefault(owner, resource)
        if first != resource:
            src, path = where[resource]
            other_src, other_path = where[first]
            raise Conflict(
                f"{resource} and {first} (in {other_src} at {other_path}) are both the {what} "
                f"of {owner_kind} {owner}; AWS allows only one. Were they exported at different "
                "times?",
                source=src,
                json_path=path,
            )
