"""The AWS CLI's shorthand syntax (``Key=a,List=b,c,Struct={K=v},Items=[{K=v},{K=w}]``).

The grammar is the one the AWS CLI documents for its ``--option Key=value`` arguments
(https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-shorthand.html)::

    parameter     = keyval *("," keyval)
    keyval        = key "=" [values]
    key           = 1*([A-Za-z0-9] / "-" / "_" / "." / "#" / "/" / ":")
    values        = csv-value / explicit-list / hash-literal
    csv-value     = first-value *("," second-value)     ; a=b,c is a list, a=b,c=d two keys
    explicit-list = "[" [value *("," value)] "]"
    hash-literal  = "{" keyval *("," keyval) "}"
    value         = explicit-list / hash-literal / 'single-quoted' / "double-quoted" / unquoted

Values come out as strings (lists and dicts of them); :func:`coerce` then gives them the types of
the operation's input shape the way the CLI does (``FromPort=443`` an integer, ``Value=true`` a
boolean, a lone value where the shape wants a list a one-element list). The tests compare this
parser with the awscli package's own on the forms vpcdoctor prints.
"""

from __future__ import annotations

import string
from typing import Any

_KEY_CHARS = frozenset(string.ascii_letters + string.digits + "-_.#/:")


class ShorthandError(ValueError):
    """The value is not valid shorthand syntax."""


class _Parser:
    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0

    def _cur(self) -> str:
        return self.s[self.i] if self.i < len(self.s) else ""

    def _eof(self) -> bool:
        return self.i >= len(self.s)

    def _ws(self) -> None:
        while not self._eof() and self.s[self.i].isspace():
            self.i += 1

    def _expect(self, char: str) -> None:
        if self._cur() != char:
            got = repr(self._cur()) if self._cur() else "the end"
            raise ShorthandError(f"expected {char!r} at position {self.i} of {self.s!r}, got {got}")
        self.i += 1

    # ---- grammar --------------------------------------------------------------------------
    def parameter(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        while True:
            self._ws()
            key = self._key()
            self._ws()
            self._expect("=")
            self._ws()
            out[key] = self._values()
            self._ws()
            if self._eof():
                return out
            self._expect(",")

    def _key(self) -> str:
        start = self.i
        while not self._eof() and self.s[self.i] in _KEY_CHARS:
            self.i += 1
        if self.i == start:
            raise ShorthandError(f"expected a key at position {start} of {self.s!r}")
        return self.s[start : self.i]

    def _values(self) -> Any:
        if self._eof():
            return ""
        if self._cur() == "[":
            return self._list()
        if self._cur() == "{":
            return self._hash()
        return self._csv()

    def _csv(self) -> Any:
        first = self._first_value()
        self._ws()
        if self._eof() or self._cur() != ",":
            return first
        values = [first]
        while self._cur() == ",":
            comma = self.i
            self.i += 1
            self._ws()
            value = self._second_value()
            self._ws()
            if value is None or not (self._eof() or self._cur() == ","):
                self.i = comma  # the word after the comma is the next key
                break
            values.append(value)
        return first if len(values) == 1 else values

    def _list(self) -> list[Any]:
        self._expect("[")
        self._ws()
        out: list[Any] = []
        while self._cur() != "]":
            if self._eof():
                raise ShorthandError(f"a '[' is never closed in {self.s!r}")
            out.append(self._element())
            self._ws()
            if self._cur() != "]":
                self._expect(",")
                self._ws()
        self.i += 1
        return out

    def _hash(self) -> dict[str, Any]:
        self._expect("{")
        self._ws()
        out: dict[str, Any] = {}
        while self._cur() != "}":
            if self._eof():
                raise ShorthandError(f"a '{{' is never closed in {self.s!r}")
            key = self._key()
            self._ws()
            self._expect("=")
            self._ws()
            out[key] = self._element()
            self._ws()
            if self._cur() != "}":
                self._expect(",")
                self._ws()
        self.i += 1
        return out

    def _element(self) -> Any:
        if self._cur() == "[":
            return self._list()
        if self._cur() == "{":
            return self._hash()
        return self._first_value()

    def _quoted(self) -> str:
        quote = self._cur()
        self.i += 1
        out: list[str] = []
        while True:
            c = self._cur()
            if c == "":
                raise ShorthandError(f"a quote ({quote}) is never closed in {self.s!r}")
            if c == "\\" and self.s[self.i + 1 : self.i + 2] in (quote, "\\"):
                out.append(self.s[self.i + 1])
                self.i += 2
                continue
            self.i += 1
            if c == quote:
                return "".join(out)
            out.append(c)

    def _unquoted(self, stop: str) -> str:
        out: list[str] = []
        while not self._eof():
            c = self.s[self.i]
            if c == "\\" and self.s[self.i + 1 : self.i + 2] == ",":
                out.append(",")
                self.i += 2
                continue
            if c in stop:
                break
            out.append(c)
            self.i += 1
        return "".join(out).rstrip()

    def _first_value(self) -> str:
        if self._cur() in ("'", '"'):
            return self._quoted()
        if self._cur() in (",", "=", "[", "{"):
            return ""
        return self._unquoted(",]}\"'")

    def _second_value(self) -> str | None:
        """A further value of a comma-separated list, or None when what follows is a key."""
        if self._cur() in ("'", '"'):
            return self._quoted()
        if self._cur() in ("", ",", "="):
            return None
        return self._unquoted(",=\"'")


def parse(text: str) -> dict[str, Any]:
    """Parse one shorthand value into strings, lists and dicts.

    Raises:
        ShorthandError: the text is not shorthand syntax.
    """
    return _Parser(text).parameter()


def coerce(value: Any, shape: Any) -> Any:
    """Give parsed shorthand the types of a botocore input ``shape``, as the AWS CLI does."""
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            return value
        members = shape.members
        return {k: coerce(v, members[k]) if k in members else v for k, v in value.items()}
    if kind == "list":
        items = value if isinstance(value, list) else [value]
        return [coerce(v, shape.member) for v in items]
    if kind == "map":
        if not isinstance(value, dict):
            return value
        return {k: coerce(v, shape.value) for k, v in value.items()}
    return scalar(value, shape)


def scalar(value: Any, shape: Any) -> Any:
    """A string as the scalar type of ``shape`` (integers, floats, booleans)."""
    if not isinstance(value, str):
        return value
    kind = shape.type_name
    try:
        if kind in ("integer", "long"):
            return int(value)
        if kind in ("float", "double"):
            return float(value)
    except ValueError as error:
        raise ShorthandError(f"{value!r} is not a number") from error
    if kind == "boolean":
        if value.lower() == "true":
            return True
        if value.lower() == "false":
            return False
        raise ShorthandError(f"{value!r} is not true or false")
    return value
