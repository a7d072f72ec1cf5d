"""A what-if file as commands: shell words the way ``shlex.split`` reads them, and nothing more.

A what-if file holds AWS CLI commands as a person pastes them into a shell: one a line, ``\\``
continuations, ``#`` comments, single and double quotes, backslash escapes. The words come out as
:func:`shlex.split` (POSIX mode) gives them, with three additions that vpcdoctor's own multi-line
fixes use:

* ``NAME=$(aws … --query … --output text)`` stores what the command creates in ``NAME``;
* ``NAME=value`` on a line of its own sets ``NAME``;
* ``$NAME`` / ``${NAME}`` outside single quotes (``--nat-gateway-id "$NAT"``) use it.

``cmd1 && cmd2`` on one line is two commands, run in order (as the shell runs them when the first
succeeds); vpcdoctor joins the steps of one fix that way. Everything else a shell would do is an
error naming its line: pipes, ``;``, ``||``, ``&``, redirections, sub-shells, back-quotes and any
other ``$(…)``. Unlike :mod:`shlex`, a ``#`` only starts a comment at the start of a word (as in
a shell): ``a#b`` is one word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vpcdoctor.errors import WhatIfError

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PLACEHOLDER = re.compile(r"<[^<>\s|;&]+>")
_OPERATORS = ("||", "|", ";", "&", "<", ">", "(", ")")


@dataclass(frozen=True, slots=True)
class VarRef:
    """``$NAME`` inside a word."""

    name: str


@dataclass(frozen=True, slots=True)
class Word:
    """One shell word: literal text and variable references, in order."""

    parts: tuple[str | VarRef, ...]

    @property
    def refs(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parts if isinstance(p, VarRef))

    @property
    def literal(self) -> str | None:
        """The word's text when it holds no variable, else None."""
        if self.refs:
            return None
        return "".join(p for p in self.parts if isinstance(p, str))

    def expand(self, variables: dict[str, str], line: int) -> str:
        out: list[str] = []
        for part in self.parts:
            if isinstance(part, VarRef):
                if part.name not in variables:
                    raise WhatIfError(
                        f"${part.name} is not set by an earlier line "
                        f"(set it with {part.name}=$(aws … --query … --output text))",
                        line=line,
                    )
                out.append(variables[part.name])
            else:
                out.append(part)
        return "".join(out)


@dataclass(frozen=True, slots=True)
class ShellCommand:
    """One command of the file: its words, and what it assigns."""

    line: int
    """The line it starts on (1-based)."""
    words: tuple[Word, ...]
    capture: str | None = None
    """``NAME`` of ``NAME=$(…)``: the variable the command's output is stored in."""
    assign: tuple[str, Word] | None = None
    """``NAME=value`` alone: the variable and its value (``words`` is empty)."""


class _Lexer:
    def __init__(self, text: str, *, placeholders: bool = False) -> None:
        self.placeholders = placeholders
        self.s = text
        self.i = 0
        self.line = 1
        self.commands: list[ShellCommand] = []

    # ---- helpers ------------------------------------------------------------------------
    def _peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.s[j] if j < len(self.s) else ""

    def _fail(self, message: str, line: int | None = None) -> WhatIfError:
        return WhatIfError(message, line=line if line is not None else self.line)

    # ---- the file -----------------------------------------------------------------------
    def run(self) -> list[ShellCommand]:
        while self.i < len(self.s):
            self._command(top=True)
        return self.commands

    def _command(self, *, top: bool) -> tuple[list[Word], str]:
        """Read one command's words up to a newline, ``&&`` (top level) or ``)`` (capture).

        Returns the words and what ended them (``"\\n"``, ``"&&"``, ``")"`` or ``""``).
        """
        start = self.line
        words: list[Word] = []
        capture: str | None = None
        while True:
            self._blanks()
            c = self._peek()
            if c == "":
                end = ""
                break
            if c == "\n":
                self.i += 1
                self.line += 1
                end = "\n"
                break
            if c == "#":
                while self._peek() not in ("", "\n"):
                    self.i += 1
                continue
            if self.s.startswith("&&", self.i):
                if not top:
                    raise self._fail("'&&' inside $(…) is not understood: one command per $(…)")
                self.i += 2
                end = "&&"
                break
            if c == ")" and not top:
                self.i += 1
                end = ")"
                break
            placeholder = _PLACEHOLDER.match(self.s, self.i)
            if placeholder is not None and not self.placeholders:
                raise self._fail(
                    f"{placeholder.group(0)} is a placeholder: put the real value in its place"
                )
            for op in _OPERATORS if placeholder is None else ():
                if self.s.startswith(op, self.i):
                    raise self._fail(
                        f"{op!r} is shell syntax a what-if file does not run: one AWS CLI "
                        "command a line (cmd1 && cmd2 also works)"
                    )
            word, capture_name = self._word(first=not words and top)
            if capture_name is not None:
                capture = capture_name
                inner, ended = self._command(top=False)
                if ended != ")":
                    raise self._fail("$( without its closing )", start)
                self._blanks()
                if self._peek() not in ("", "\n", "#") and not self.s.startswith("&&", self.i):
                    raise self._fail(f"{capture}=$(…) must stand alone on its line", start)
                words = inner
                continue
            words.append(word)
        if not top:
            return words, end
        if capture is not None:
            if not words:
                raise self._fail(f"{capture}=$() holds no command", start)
            self.commands.append(ShellCommand(line=start, words=tuple(words), capture=capture))
        elif words:
            self.commands.append(self._assignment(start, words))
        if end == "&&" and not (capture is not None or words):
            raise self._fail("'&&' with no command before it", start)
        return words, end

    def _assignment(self, line: int, words: list[Word]) -> ShellCommand:
        first = words[0].parts[0] if words[0].parts else ""
        if isinstance(first, str) and "=" in first:
            name = first.split("=", 1)[0]
            if _NAME.fullmatch(name):
                if len(words) > 1:
                    raise WhatIfError(
                        f"{name}=… before a command (an environment setting) is not understood; "
                        "put the assignment on its own line",
                        line=line,
                    )
                rest = (first.split("=", 1)[1], *words[0].parts[1:])
                return ShellCommand(line=line, words=(), assign=(name, Word(_merge(rest))))
        return ShellCommand(line=line, words=tuple(words))

    def _blanks(self) -> None:
        while True:
            c = self._peek()
            if c in (" ", "\t", "\r"):
                self.i += 1
            elif c == "\\" and self._peek(1) == "\n":
                self.i += 2
                self.line += 1
            else:
                return

    # ---- one word -----------------------------------------------------------------------
    def _word(self, *, first: bool) -> tuple[Word, str | None]:
        """Read one word. When it is ``NAME=$(`` at the start of a command, returns the name
        (the capture's command follows) instead of finishing the word."""
        parts: list[str | VarRef] = []
        text: list[str] = []

        def flush() -> None:
            if text:
                parts.append("".join(text))
                text.clear()

        while True:
            c = self._peek()
            if c == "" or c in " \t\r\n" or self.s.startswith("&&", self.i):
                break
            if c == "<" and self.placeholders:
                m = _PLACEHOLDER.match(self.s, self.i)
                if m is not None:
                    text.append(m.group(0))
                    self.i = m.end()
                    continue
            if c in "|;&<>()":
                break
            if c == "\\":
                nxt = self._peek(1)
                if nxt == "\n":
                    self.i += 2
                    self.line += 1
                    continue
                if nxt == "":
                    self.i += 1
                    continue
                text.append(nxt)
                self.i += 2
                continue
            if c == "'":
                self.i += 1
                end = self.s.find("'", self.i)
                if end < 0:
                    raise self._fail("a quote (') is never closed")
                chunk = self.s[self.i : end]
                self.line += chunk.count("\n")
                text.append(chunk)
                self.i = end + 1
                continue
            if c == '"':
                self.i += 1
                self._double_quoted(text, parts)
                continue
            if c == "`":
                raise self._fail("back-quotes (`…`) are not run: write the value itself")
            if c == "$":
                if self._peek(1) == "(":
                    so_far = "".join(text)
                    name = so_far[:-1] if so_far.endswith("=") else ""
                    if first and not parts and _NAME.fullmatch(name):
                        self.i += 2
                        return Word(()), name
                    raise self._fail(
                        "$(…) is only understood as NAME=$(aws … --query … --output text) "
                        "on a line of its own"
                    )
                ref = self._variable()
                if ref is not None:
                    flush()
                    parts.append(ref)
                    continue
                text.append("$")
                self.i += 1
                continue
            text.append(c)
            self.i += 1
        flush()
        return Word(_merge(parts) or ("",)), None

    def _double_quoted(self, text: list[str], parts: list[str | VarRef]) -> None:
        while True:
            c = self._peek()
            if c == "":
                raise self._fail('a quote (") is never closed')
            if c == '"':
                self.i += 1
                return
            if c == "\\":
                nxt = self._peek(1)
                if nxt == "\n":
                    self.i += 2
                    self.line += 1
                    continue
                if nxt in ('"', "\\", "$", "`"):
                    text.append(nxt)
                    self.i += 2
                    continue
                text.append("\\")
                self.i += 1
                continue
            if c == "`":
                raise self._fail("back-quotes (`…`) are not run: write the value itself")
            if c == "$":
                if self._peek(1) == "(":
                    raise self._fail(
                        "$(…) is only understood as NAME=$(aws … --query … --output text) "
                        "on a line of its own"
                    )
                ref = self._variable()
                if ref is not None:
                    if text:
                        parts.append("".join(text))
                        text.clear()
                    parts.append(ref)
                    continue
            if c == "\n":
                self.line += 1
            text.append(c)
            self.i += 1

    def _variable(self) -> VarRef | None:
        """``$NAME`` or ``${NAME}`` at the cursor (consumed), else None (a literal ``$``)."""
        if self._peek(1) == "{":
            end = self.s.find("}", self.i + 2)
            name = self.s[self.i + 2 : end] if end > 0 else ""
            if not _NAME.fullmatch(name):
                raise self._fail("${…} holds more than a variable name: not understood")
            self.i = end + 1
            return VarRef(name)
        m = _NAME.match(self.s, self.i + 1)
        if m is None:
            return None
        self.i = m.end()
        return VarRef(m.group(0))


def _merge(parts: tuple[str | VarRef, ...] | list[str | VarRef]) -> tuple[str | VarRef, ...]:
    out: list[str | VarRef] = []
    for p in parts:
        if isinstance(p, str) and out and isinstance(out[-1], str):
            out[-1] = out[-1] + p
        elif not (isinstance(p, str) and p == "" and out):
            out.append(p)
    return tuple(out)


def split_commands(text: str, *, placeholders: bool = False) -> list[ShellCommand]:
    """The commands of a what-if file, in order, each with the line it starts on.

    ``placeholders=True`` reads a ``<VALUE>`` placeholder as a word (to check the syntax of a
    fix that still has one) instead of refusing it.

    Raises:
        WhatIfError: shell syntax that is not a plain command (naming the line).
    """
    return _Lexer(text, placeholders=placeholders).run()
