"""Apply AWS CLI commands to a copy of an account, line by line, never to AWS."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from vpcdoctor.errors import WhatIfError
from vpcdoctor.graph.model import Account
from vpcdoctor.graph.model.commands import Command
from vpcdoctor.graph.model.jsonshape import JsonRecord, JsonShape, is_none, key, shape, texts
from vpcdoctor.graph.whatif import handlers as _handlers  # noqa: F401  (registers the vocabulary)
from vpcdoctor.graph.whatif.lexer import ShellCommand, VarRef, Word, split_commands
from vpcdoctor.graph.whatif.options import Call, parse_call
from vpcdoctor.graph.whatif.registry import HANDLERS, Params, vocabulary
from vpcdoctor.graph.whatif.workspace import Workspace

_PLACEHOLDER = re.compile(r"<[^<>]*>|…")


@dataclass(frozen=True, slots=True, kw_only=True)
class Applied:
    """One command that was applied to the copy."""

    line: int
    text: str
    """The command as written (variables not expanded)."""
    service: str
    operation: str
    captured: tuple[str, str] | None = None
    """``(NAME, value)`` when the command's output was stored in a variable."""


@dataclass(frozen=True, slots=True, kw_only=True)
class WhatIf(JsonRecord):
    """The changed copy and what was done to it."""

    account: Account
    applied: tuple[Applied, ...]
    created: tuple[str, ...]
    """Ids of resources the commands created (placeholders such as ``nat-whatif1``)."""
    changed: tuple[str, ...]
    """Ids of resources the commands changed or created, in order."""
    source: str | None = None

    JSON: ClassVar[JsonShape] = shape(
        key("file", attr="source", omit=is_none),
        key("commands", attr="applied", encode=texts),
        "changed",
    )


def _words_of(command: Command) -> tuple[Word, ...]:
    if not command.refs:
        return tuple(Word((w,)) for w in command.argv)
    names = "|".join(re.escape(r) for r in sorted(command.refs, key=len, reverse=True))
    pattern = re.compile(rf"\$({names})(?![A-Za-z0-9_])")
    words = []
    for w in command.argv:
        parts: list[str | VarRef] = []
        pos = 0
        for m in pattern.finditer(w):
            if m.start() > pos:
                parts.append(w[pos : m.start()])
            parts.append(VarRef(m.group(1)))
            pos = m.end()
        if pos < len(w) or not parts:
            parts.append(w[pos:])
        words.append(Word(tuple(parts)))
    return tuple(words)


def _text(command: ShellCommand) -> str:
    """The command as one line (variables shown, not expanded)."""

    def word(w: Word) -> str:
        out = []
        for part in w.parts:
            out.append(f'"${part.name}"' if isinstance(part, VarRef) else shlex.quote(part))
        return "".join(out) or "''"

    if command.assign is not None:
        return f"{command.assign[0]}={word(command.assign[1])}"
    line = " ".join(word(w) for w in command.words)
    return f"{command.capture}=$({line})" if command.capture else line


def _shell_commands(commands: str | Iterable[Command]) -> list[tuple[ShellCommand, str]]:
    if isinstance(commands, str):
        return [(c, _text(c)) for c in split_commands(commands)]
    result = []
    for i, command in enumerate(commands, 1):
        result.append(
            (ShellCommand(line=i, words=_words_of(command), capture=command.capture), command.text)
        )
    return result


def _capture(call: Call, response: dict[str, Any], name: str) -> str:
    query = call.globals.get("query")
    if not query:
        raise WhatIfError(
            f"{name}=$(…) needs --query (e.g. --query NatGateway.NatGatewayId) "
            "--output text to capture an id"
        )
    if call.globals.get("output", "json") != "text":
        raise WhatIfError(f"{name}=$(…) needs --output text to capture a plain id")
    import jmespath

    try:
        value = jmespath.search(query, response)
    except jmespath.exceptions.JMESPathError as error:
        raise WhatIfError(f"--query {query}: {error}") from None
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if not isinstance(value, str) or not value:
        raise WhatIfError(
            f"--query {query} selects no id from what aws {call.service} {call.operation} "
            f"returns ({', '.join(sorted(response)) or 'nothing'})"
        )
    return value


def what_if(
    account: Account, commands: str | Iterable[Command], *, source: str | None = None
) -> WhatIf:
    """Apply ``commands`` (a what-if file's text, or vpcdoctor's own :class:`Command` s) in order
    to a copy of ``account``; the account itself is never changed, and nothing is sent to AWS.

    Raises:
        WhatIfError: a line that is not a command of the vocabulary, names a resource the
            snapshot does not hold, or would fail in AWS (naming the line and ``source``).
    """
    ws = Workspace(account)
    variables: dict[str, str] = {}
    applied: list[Applied] = []
    try:
        shell = _shell_commands(commands)
    except WhatIfError as error:
        raise WhatIfError(error.reason, line=error.line, source=source) from None
    for command, text in shell:
        try:
            applied.extend(_apply_one(ws, command, text, variables))
        except WhatIfError as error:
            raise WhatIfError(error.reason, line=command.line, source=source) from None
    return WhatIf(
        account=ws.account(),
        applied=tuple(applied),
        created=tuple(ws.created),
        changed=tuple(ws.changed),
        source=source,
    )


def _apply_one(
    ws: Workspace, command: ShellCommand, text: str, variables: dict[str, str]
) -> list[Applied]:
    if command.assign is not None:
        name, assigned = command.assign
        variables[name] = assigned.expand(variables, command.line)
        return []
    words = [w.expand(variables, command.line) for w in command.words]
    for word in words:
        if _PLACEHOLDER.search(word):
            raise WhatIfError(f"{word!r} is a placeholder: put the real value in its place")
    call = parse_call(words)
    if call.operation == "wait":
        return [Applied(line=command.line, text=text, service=call.service, operation="wait")]
    handler = HANDLERS.get((call.service, call.operation))
    if handler is None:
        known = ", ".join(vocabulary())
        raise WhatIfError(
            f"'aws {call.service} {call.operation}' is not a command a what-if can apply "
            f"(it applies: {known})"
        )
    if call.params.get("DryRun"):
        response: dict[str, Any] = {}
    else:
        response = handler(ws, Params(call.params))
    captured = None
    if command.capture is not None:
        value = _capture(call, response, command.capture)
        variables[command.capture] = value
        captured = (command.capture, value)
    return [
        Applied(
            line=command.line,
            text=text,
            service=call.service,
            operation=call.operation,
            captured=captured,
        )
    ]


def apply_commands(account: Account, commands: str | Iterable[Command]) -> Account:
    """The account after ``commands`` (see :func:`what_if`)."""
    return what_if(account, commands).account


def assume_file(account: Account, path: str | Path) -> WhatIf:
    """``--assume FILE``: the commands of ``path`` applied to a copy of ``account``.

    Raises:
        WhatIfError: the file cannot be read, or one of its lines cannot be applied.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as error:
        raise WhatIfError(f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise WhatIfError(f"{path} is not UTF-8 text") from None
    return what_if(account, text, source=str(path))
