"""Resources of one kind keyed by id: the "same resource twice" rule."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Generic

from vpcdoctor.graph.sources.parse.values import (
    T,
)


class Conflict(Exception):
    """The same resource twice with different content."""

    def __init__(self, message: str, *, source: str, json_path: str) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.json_path = json_path


# --------------------------------------------------------------------------------------------
# Collections with the "same resource twice" rule
# --------------------------------------------------------------------------------------------


class Collection(Generic[T]):
    """Resources of one kind keyed by id; identical repeats are fine, different ones conflict."""

    __slots__ = ("items", "what", "where")

    def __init__(self, what: str) -> None:
        self.what = what
        self.items: dict[str, T] = {}
        self.where: dict[str, tuple[str, str]] = {}

    def add(self, key: str, value: T, source: str, json_path: str) -> None:
        old = self.items.get(key)
        if old is None:
            self.items[key] = value
            self.where[key] = (source, json_path)
            return
        if old != value:
            other, other_path = self.where[key]
            raise Conflict(
                f"{self.what} {key} appears twice with different content (also in {other} at "
                f"{other_path}); keep one of the two exports, or export both again at the "
                "same time",
                source=source,
                json_path=json_path,
            )

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
