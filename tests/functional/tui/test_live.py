"""Live mode: ``vpcdoctor`` with no snapshot collects from AWS in a worker, with progress.

Against moto in server mode on 127.0.0.1 (``tests/support/moto_server.py``): the app is started
exactly as ``vpcdoctor`` starts it (no snapshot, no demo), boto3 finds the endpoint through
``AWS_ENDPOINT_URL`` and fake credentials in the environment.
"""

from __future__ import annotations

import socket
from typing import Any

import pytest
from textual.widgets import Static, Tree

from tests.functional.tui.conftest import Recorder
from tests.support.moto_server import build_scenario
from vpcdoctor.tui.app import make_app
from vpcdoctor.tui.messages import (
    AccountFailed,
    AccountLoaded,
    CollectionProgress,
    FunctionsAudited,
)
from vpcdoctor.tui.screens.help import HelpScreen
from vpcdoctor.tui.screens.overview import OverviewScreen
from vpcdoctor.tui.screenshots import settle
from vpcdoctor.tui.widgets.error_panel import ErrorPanel
from vpcdoctor.tui.widgets.header import AppHeader

pytest_plugins = ("tests.support.moto_server",)
pytestmark = [pytest.mark.tui, pytest.mark.moto]

SIZE = (100, 30)


def _closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    sock.close()
    return port


def _function_names(tree: Tree[str | None]) -> list[str]:
    return [str(leaf.data) for node in tree.root.children for leaf in node.children]


async def test_live_mode_shows_progress_then_the_functions(aws: Any, recorder: Recorder) -> None:
    scenario = build_scenario(aws.url)
    app = make_app()  # what `vpcdoctor` with no --snapshot builds
    assert app.source.live
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        # The first progress line arrives while the collector is still running; the screen
        # answers keys meanwhile (help opens and closes).
        await settle(pilot, lambda: bool(recorder.of(CollectionProgress)), timeout=30)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)

        await settle(pilot, lambda: bool(recorder.of(AccountLoaded)), timeout=60)
        await settle(pilot, lambda: bool(recorder.of(FunctionsAudited)), timeout=30)

        progress = recorder.of(CollectionProgress)
        texts = [m.text for m in progress]
        assert any("Collecting from AWS" in t for t in texts), texts
        counted = [m for m in progress if m.total]
        assert counted and all(m.done is not None and m.done <= m.total for m in counted)
        assert any("sts:" in m.detail or "ec2:" in m.detail for m in progress)

        assert app.account is not None
        assert app.account.account_id == "123456789012"
        tree = app.screen.query_one("#functions", Tree)
        assert scenario.function in _function_names(tree)
        assert not app.screen.query_one(ErrorPanel).has_class("-shown")
        assert not app.screen.query_one("#loading").has_class("-busy")
        header = app.screen.query_one(AppHeader)
        assert "live AWS" in header.where
        # The header says it is read-only and when the account was collected.
        context = app.context_line()
        assert context.startswith("read-only · collected live ") and "123456789012" in context
        badges = app.screen.badges  # type: ignore[attr-defined]
        assert badges[scenario.function].badge.value != "pending"


async def test_closed_endpoint_is_an_error_panel_not_a_traceback(
    aws: Any, monkeypatch: pytest.MonkeyPatch, recorder: Recorder
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{_closed_port()}")
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await settle(pilot, lambda: bool(recorder.of(AccountFailed)), timeout=60)
        panel = app.screen.query_one(ErrorPanel)
        assert panel.has_class("-shown")
        assert "cannot reach" in panel.message
        (failed,) = recorder.of(AccountFailed)
        assert "AWS_ENDPOINT_URL" in failed.hint  # what to do
        shown = str(panel.render()) + str(app.screen.query_one("#function-detail", Static).render())
        assert "Traceback" not in shown and 'File "' not in shown
        assert app.account is None
        assert not app.screen.query_one("#loading").has_class("-busy")
    assert app.return_code in (None, 0)


async def test_no_credentials_is_an_error_panel_with_what_to_do(
    aws: Any, monkeypatch: pytest.MonkeyPatch, recorder: Recorder
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name)
    monkeypatch.delenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", raising=False)
    monkeypatch.delenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", raising=False)
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await settle(pilot, lambda: bool(recorder.of(AccountFailed)), timeout=60)
        panel = app.screen.query_one(ErrorPanel)
        assert panel.has_class("-shown")
        assert "credentials" in panel.message
        (failed,) = recorder.of(AccountFailed)
        assert "aws sts get-caller-identity" in failed.hint
        assert "Traceback" not in panel.message
