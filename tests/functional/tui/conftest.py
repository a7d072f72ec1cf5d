"""Deterministic fixtures for the TUI tests: the demo account loaded once, a message recorder."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from textual.message import Message

from vpcdoctor.graph.model import Account
from vpcdoctor.graph.sources.opener import open_account

SIZES: tuple[tuple[int, int], ...] = ((80, 24), (120, 40))
"""Every TUI claim is checked at the smallest supported terminal and at a common large one."""


@pytest.fixture(scope="session")
def demo_account() -> Account:
    """The bundled demo account (read once per session; the screens never mutate it)."""
    return open_account(demo=True)


class Recorder:
    """Collects every message the app's message pumps receive (``run_test(message_hook=…)``)."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    def __call__(self, message: Message) -> None:
        self.messages.append(message)

    def of(self, kind: type[Message]) -> list[Any]:
        """Messages of one kind, each once (a bubbling message reaches several pumps)."""
        unique = {id(m): m for m in self.messages if isinstance(m, kind)}
        return list(unique.values())


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    yield Recorder()


@pytest.fixture(autouse=True)
def _no_user_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Nothing the TUI tests do reads or writes the user's own account cache."""
    monkeypatch.setenv("VPCDOCTOR_NO_CACHE", "1")
