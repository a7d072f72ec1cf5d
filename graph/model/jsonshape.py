"""How records become JSON: each record names its document's keys once, one serialiser walks them.

The JSON documents vpcdoctor prints (``check``, ``walk``, ``diff``, ``--plan``, ``--assume``) are
contracts (DESIGN.md): their keys, the order of the keys and when a key is left out are fixed.
A record states them next to its fields, as a :class:`JsonShape`::

    JSON: ClassVar[JsonShape] = shape("code", "detail", opt("resource"))

and :meth:`JsonRecord.to_json` is the one serialiser. The shape lists keys rather than walking
every dataclass field on purpose: a new field stays out of a document until its shape names it,
so an internal field (a hop's ``direction``) never leaks into a contract by accident, and a key
can be a computed property (``Plan.verified``) or a renamed one (``Diff.only_in_old`` is
``functions_only_in_old``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, ClassVar


def is_empty(value: object) -> bool:
    """Left out when falsy (None, ``""``, an empty tuple)."""
    return not value


def is_none(value: object) -> bool:
    """Left out only when None."""
    return value is None


def equals(default: object) -> Callable[[object], bool]:
    """Left out when the value is ``default`` (``protocol`` when it is ``tcp``)."""
    return lambda value: value == default


def texts(items: Iterable[Any]) -> list[str]:
    """Each item's ``text`` (commands and applied what-if commands are shown as their text)."""
    return [item.text for item in items]


@dataclass(frozen=True, slots=True)
class Key:
    """One key of a document: where its value comes from and when it is left out."""

    name: str
    """The JSON key."""
    attr: str
    """The attribute it is read from; dotted for a nested one (``before.verdict``)."""
    omit: Callable[[Any], bool] | None = None
    """Left out of the document when this says so (see :func:`is_empty`, :func:`is_none`)."""
    encode: Callable[[Any], Any] | None = None
    """Turns the attribute's value into the JSON value (else :func:`plain`)."""

    def read(self, obj: object) -> Any:
        value: Any = obj
        for part in self.attr.split("."):
            value = getattr(value, part)
        return value


def key(
    name: str,
    *,
    attr: str | None = None,
    omit: Callable[[Any], bool] | None = None,
    encode: Callable[[Any], Any] | None = None,
) -> Key:
    """A key read from ``attr`` (default: the attribute of the same name)."""
    return Key(name=name, attr=attr or name, omit=omit, encode=encode)


def opt(name: str, **kwargs: Any) -> Key:
    """A key left out when its value is empty (the common optional key)."""
    return key(name, omit=is_empty, **kwargs)


@dataclass(frozen=True, slots=True)
class JsonShape:
    """The keys of one document, in order."""

    keys: tuple[Key, ...]

    def render(self, obj: object) -> dict[str, Any]:
        """``obj`` as this document."""
        out: dict[str, Any] = {}
        for k in self.keys:
            value = k.read(obj)
            if k.omit is not None and k.omit(value):
                continue
            out[k.name] = plain(k.encode(value) if k.encode is not None else value)
        return out

    def __call__(self, obj: object | None) -> dict[str, Any] | None:
        """As an ``encode``: ``obj`` rendered with this shape, None stays None."""
        return None if obj is None else self.render(obj)


def shape(*keys: str | Key) -> JsonShape:
    """A shape from key names (read from the attribute of that name) and :func:`key` s."""
    return JsonShape(keys=tuple(k if isinstance(k, Key) else key(k) for k in keys))


class JsonRecord:
    """A record with a JSON document: subclasses set ``JSON`` to their :class:`JsonShape`."""

    __slots__ = ()
    JSON: ClassVar[JsonShape]

    def to_json(self) -> dict[str, Any]:
        return type(self).JSON.render(self)


def plain(value: Any) -> Any:
    """A value as JSON: records by their shape, enums by value, tuples as lists."""
    if isinstance(value, Enum):
        return value.value
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, JsonRecord):
        return value.to_json()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    to_json = getattr(value, "to_json", None)
    if callable(to_json):
        return to_json()
    raise TypeError(f"no JSON form for {type(value).__name__}: give its key an encode")


__all__ = [
    "JsonRecord",
    "JsonShape",
    "Key",
    "equals",
    "is_empty",
    "is_none",
    "key",
    "opt",
    "plain",
    "shape",
    "texts",
]
