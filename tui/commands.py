"""Command palette providers.

:class:`ScreenCommands` offers the bindings of the screen the palette was opened from (so every
key in the footer is also a searchable command, with its tooltip as help), and
:class:`FunctionCommands` jumps to any function of the account by name.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from vpcdoctor.tui.text import line as clean

if TYPE_CHECKING:
    from textual.binding import Binding
    from textual.dom import DOMNode


def highlight(matcher: Matcher, candidate: str) -> Content:
    """Like ``Matcher.highlight`` but never parses markup (function names are untrusted)."""
    content = Content(candidate)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    for offset in offsets:
        if not candidate[offset].isspace():
            content = content.stylize("bold underline", offset, offset + 1)
    return content


class ScreenCommands(Provider):
    """The actions of the current screen (its bindings and those of the focused widgets)."""

    def _commands(self) -> Iterator[tuple[str, str, DOMNode, Binding]]:
        seen: set[str] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            # Only vpcdoctor's own actions (they all carry an id); widgets' built-in keys
            # (cursor movement, scrolling) are noise in a palette.
            if binding.id is None or not binding.description or binding.action in seen:
                continue
            if binding.action in ("command_palette", "quit"):
                continue
            if not active.enabled:
                continue
            seen.add(binding.action)
            key = self.app.get_key_display(binding)
            title = f"{binding.description} ({key})"
            yield title, binding.tooltip or binding.description, active.node, binding

    async def _run(self, node: DOMNode, action: str) -> None:
        await self.app.run_action(action, node)

    async def discover(self) -> Hits:
        for title, help_text, node, binding in self._commands():
            yield DiscoveryHit(
                Content(title), partial(self._run, node, binding.action), help=help_text
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, node, binding in self._commands():
            score = max(matcher.match(title), matcher.match(help_text) * 0.8)
            if score > 0:
                yield Hit(
                    score,
                    highlight(matcher, title),
                    partial(self._run, node, binding.action),
                    text=title,
                    help=help_text,
                )


class FunctionCommands(Provider):
    """``Diagnose <function>`` for every function in the account."""

    def _names(self) -> list[str]:
        account = getattr(self.app, "account", None)
        if account is None:
            return []
        return sorted(account.functions)

    def _open(self, name: str) -> None:
        open_function = getattr(self.app, "open_function", None)
        if open_function is not None:
            open_function(name)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name in self._names():
            title = f"Diagnose {clean(name, limit=80)}"
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    highlight(matcher, title),
                    partial(self._open, name),
                    text=title,
                    help="Open this function's diagnosis",
                )

    async def discover(self) -> Hits:
        for name in self._names()[:30]:
            yield DiscoveryHit(
                Text(f"Diagnose {clean(name, limit=80)}"),
                partial(self._open, name),
                help="Open this function's diagnosis",
            )
