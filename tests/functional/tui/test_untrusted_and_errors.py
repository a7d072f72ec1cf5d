"""Untrusted strings are shown literally; errors become panels and notifications, not crashes."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Tree

from tests.functional.tui.accounts import tiny_account
from tests.functional.tui.conftest import Recorder
from vpcdoctor.graph.model import Account
from vpcdoctor.tui.app import make_app
from vpcdoctor.tui.labels import short_id
from vpcdoctor.tui.messages import AccountFailed, CheckFailed
from vpcdoctor.tui.screens.diagnosis import DiagnosisScreen
from vpcdoctor.tui.screenshots import settle
from vpcdoctor.tui.text import line as clean
from vpcdoctor.tui.text import literal, one_line, paragraphs
from vpcdoctor.tui.widgets.error_panel import ErrorPanel

pytestmark = pytest.mark.tui


def test_clean_shows_escapes_controls_and_invisibles() -> None:
    # One policy (issue 12 item 6): escape sequences and controls are shown as visible
    # escapes, never run and never silently dropped (a dropped one makes a look-alike).
    assert clean("\x1b[31mred\x1b[0m") == "\\x1b[31mred\\x1b[0m"
    assert clean("a\x1b]8;;https://evil\x07link") == "a\\x1b]8;;https://evil\\x07link"
    # Bidirectional overrides and invisible characters are shown, not kept, not hidden:
    # ``orders-api`` and a look-alike never read the same (issue 12 item 6).
    assert clean("abc\u202edef\u2066") == "abc\\u202edef\\u2066"
    assert clean("orders\u2063-api") == "orders\\u2063-api" != clean("orders-api")
    assert clean("bell\x07 nul\x00") == "bell\\x07 nul\\x00"
    assert clean("lone \ud800") == "lone \\ud800"
    assert clean("two\nlines\ttab") == "two\\nlines\\ttab"
    assert clean("[bold]x[/bold]") == "[bold]x[/bold]"
    assert clean("x" * 500, limit=10) == "x" * 9 + "…"
    assert clean(None) == ""


def test_literal_never_parses_markup() -> None:
    text = literal("[link=https://evil.example]click[/link]", "bold")
    assert text.plain == "[link=https://evil.example]click[/link]"
    assert all(span.style == "bold" for span in text.spans)


def test_one_line_has_no_control_character() -> None:
    hostile = "x;\x1b]52;c;ZXZpbA==\x07\r\nrm -rf ~\x9b31m\x85\u2028"
    copied = one_line(hostile)
    assert all(ord(ch) >= 0x20 and not 0x7F <= ord(ch) <= 0x9F for ch in copied)
    assert "\n" not in copied and "\r" not in copied and "\x1b" not in copied


def test_paragraphs_and_short_ids() -> None:
    assert paragraphs("one\ntwo\n\n- a\n- b") == "one two\n\n- a\n- b"
    assert paragraphs("日本語の\n文章") == "日本語の文章"  # no space to break at
    assert short_id("acl-021479dba6aa5d802") == "acl-0214…d802"
    assert short_id("public-subnet") == "public-subnet"


async def test_hostile_names_are_shown_literally() -> None:
    app = make_app(account=tiny_account())
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one("#functions", Tree)
        labels = [node.label for node in tree.root.children]
        labels += [leaf.label for node in tree.root.children for leaf in node.children]
        plain = "\n".join(label.plain for label in labels)
        assert "[link=https://evil.example]click[/link]" in plain
        assert "[bold red]prod[/]" in plain
        assert "\x1b" not in plain and "\u202e" not in plain
        for label in labels:
            for span in label.spans:
                assert "link" not in str(span.style)


async def test_unreadable_snapshot_becomes_an_error_panel(
    tmp_path: Path, recorder: Recorder
) -> None:
    missing = tmp_path / "no-such-snapshot"
    app = make_app(snapshot=str(missing))
    async with app.run_test(size=(100, 30), message_hook=recorder) as pilot:
        await settle(pilot, lambda: bool(recorder.of(AccountFailed)))
        panel = app.screen.query_one(ErrorPanel)
        assert panel.has_class("-shown")
        assert panel.message
        assert "Traceback" not in panel.message
        assert app.account is None
    assert app.return_code in (None, 0)


async def test_a_bad_target_is_explained_not_raised(
    demo_account: Account, recorder: Recorder
) -> None:
    app = make_app(account=demo_account, demo=True, function="public-subnet")
    async with app.run_test(size=(100, 30), message_hook=recorder) as pilot:
        await settle(pilot, lambda: getattr(app.screen, "result", None) is not None)
        screen = app.screen
        assert isinstance(screen, DiagnosisScreen)
        await pilot.press("t")
        screen.query_one("#target", Input).value = "http://"
        await pilot.press("enter")
        await settle(pilot, lambda: bool(recorder.of(CheckFailed)))
        panel = screen.query_one(ErrorPanel)
        assert panel.has_class("-shown")
        assert "Unexpected" not in panel.message
        # Asking again with a good target hides the panel.
        await pilot.press("t")
        screen.query_one("#target", Input).value = "s3"
        await pilot.press("enter")
        await settle(
            pilot,
            lambda: (
                screen.asked == "s3"
                and screen.result is not None
                and screen.result.target.input == "s3"
            ),
        )
        assert not panel.has_class("-shown")
