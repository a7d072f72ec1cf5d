"""Issue 16 item 11: Japanese text wraps by character rules, on the longest demo step.

The longest step of every demo function's Japanese walk is opened in the checklist at 80×24
and 120×40; the lines the screen draws must never start with a closing bracket or ``」``, never
leave ``✘`` alone, never break at the space between Japanese and Latin text, and never split
an id or a URL. The footer keys and the titles are Japanese too.
"""

from __future__ import annotations

import re
from itertools import pairwise

import pytest
from rich.text import Text
from textual.widgets import Footer, OptionList

from tests.functional.tui.conftest import SIZES
from vpcdoctor.diagnostics.checklist import walk
from vpcdoctor.graph.model import Account
from vpcdoctor.tui.app import make_app
from vpcdoctor.tui.screens.checklist import ChecklistScreen, labels, step_background, step_text
from vpcdoctor.tui.screenshots import settle
from vpcdoctor.tui.widgets.wrapped import WrappedText
from vpcdoctor.tui.wrap import (
    NO_LINE_START,
    STATUS_MARKS,
    break_allowed,
    break_points,
    is_wide,
    wrap_text,
)

pytestmark = pytest.mark.tui

_TOKEN = re.compile(r"https?://\S+|\b[a-z]+(?:-[a-z]+)*-[0-9a-f]{8,}\b")


def _longest_step(account: Account) -> tuple[str, str, int]:
    """(function, step id, length) of the longest Japanese step text in the demo."""
    words = labels("ja")
    best = ("", "", -1)
    for name in sorted(account.functions):
        steps = walk(account, name, lang="ja").steps
        for i, finding in enumerate(steps):
            size = len(step_text(finding, i, len(steps), words).plain)
            size += len(step_background(finding, words).plain)
            if size > best[2]:
                best = (name, finding.id, size)
    return best


def _check_lines(source: str, lines: list[str], width: int) -> None:
    for line in lines:
        assert not line or line[0] not in NO_LINE_START, f"line starts with {line[0]!r}: {line}"
        assert line.strip() not in STATUS_MARKS or not line.strip(), f"a lone mark: {line!r}"
    joined = "\n".join(lines)
    for token in _TOKEN.findall(source):
        token = token.rstrip("。、）)」.,")
        assert any(token in line for line in lines), f"{token} was split:\n{joined}"
    for paragraph in source.split("\n"):
        points = break_points(paragraph, width)
        for (line_start, end), (start, _) in pairwise(points):
            if start == end + 1 and paragraph[end] == " ":
                before, after = paragraph[end - 1], paragraph[start]
                # Only a line with no other place to break may break there.
                other = any(break_allowed(paragraph, i) for i in range(line_start + 1, end))
                assert not other or not (is_wide(before) or is_wide(after)), (
                    f"broke at a space next to Japanese: {paragraph[max(0, end - 8) : start + 8]!r}"
                )


def test_the_rules_on_the_cases_the_issue_saw() -> None:
    text = Text("✘ 「Lambda をパブリックサブネットに置けばよい」という誤解 IP / 不足")
    for width in range(8, 40):
        lines = [t.plain for t in wrap_text(text, width)]
        _check_lines(text.plain, lines, width)
        assert lines[0].strip() != "✘"
    url = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html"
    lines = [t.plain for t in wrap_text(Text(f"参照: {url} と acl-021479dba6aa5d802"), 20)]
    assert url in lines and "acl-021479dba6aa5d802" in lines


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_longest_demo_step_in_japanese(
    size: tuple[int, int], demo_account: Account
) -> None:
    function, step_id, _ = _longest_step(demo_account)
    app = make_app(account=demo_account, demo=True, lang="ja")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        app.push_screen(ChecklistScreen(function, []))
        await settle(pilot, lambda: getattr(app.screen, "walk", None) is not None)
        screen = app.screen
        assert isinstance(screen, ChecklistScreen) and screen.walk is not None
        ids = [f.id for f in screen.walk.steps]
        screen.show_step(ids.index(step_id))
        await settle(pilot)
        for widget_id in ("#step", "#step-more"):
            widget = screen.query_one(widget_id, WrappedText)
            width = widget._wrap_width
            assert 20 <= width < size[0]
            lines = [line.plain for line in widget.lines(width)]
            assert len(lines) > 3
            _check_lines(widget.text.plain, lines, width)
        # One line per step in the list: a wrapped title would leave its mark alone.
        steps = screen.query_one("#steps", OptionList)
        assert steps.virtual_size.height == steps.option_count
        assert steps.border_title == "ステップ"
        footer = screen.query_one(Footer)
        shown = " ".join(str(child.render()) for child in footer.query("*"))
        assert "概要" in shown and "次へ" in shown and "言語" in shown and "ヘルプ" in shown


def _footer(screen: object) -> str:
    footer = screen.query_one(Footer)  # type: ignore[attr-defined]
    return " ".join(str(child.render()) for child in footer.query("*"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_overview_and_diagnosis_keys_and_titles_in_japanese(
    size: tuple[int, int], demo_account: Account
) -> None:
    """The footer keys and the titles were English on the overview and the diagnosis."""
    from vpcdoctor.tui.screens.diagnosis import DiagnosisScreen
    from vpcdoctor.tui.screens.dns import DnsScreen
    from vpcdoctor.tui.screens.overview import OverviewScreen
    from vpcdoctor.tui.screenshots import ask, open_function, overview
    from vpcdoctor.tui.widgets.evidence import EvidencePanel

    app = make_app(account=demo_account, demo=True, lang="ja")
    async with app.run_test(size=size) as pilot:
        await overview(pilot)
        assert isinstance(app.screen, OverviewScreen)
        shown = _footer(app.screen)
        assert "診断" in shown and "Diagnose" not in shown and "ヘルプ" in shown, shown
        await open_function(pilot, "public-subnet")
        screen = app.screen
        assert isinstance(screen, DiagnosisScreen)
        shown = _footer(screen)
        assert "概要" in shown and "チェックリスト" in shown and "Overview" not in shown, shown
        evidence = screen.query_one("#evidence", EvidencePanel)
        assert str(evidence.border_title).startswith("根拠")
        # The checklist's l switches to English; back on the diagnosis, the keys follow.
        await pilot.press("c")
        await settle(pilot, lambda: getattr(app.screen, "walk", None) is not None)
        await pilot.press("l")
        await settle(pilot, lambda: getattr(app.screen.walk, "lang", "") == "en")  # type: ignore[attr-defined]
        await pilot.press("backspace")
        await settle(pilot)
        assert app.screen is screen and "Overview" in _footer(screen)
        assert str(evidence.border_title).startswith("Evidence")
        # Back in Japanese, the DNS pane's steps title too.
        app.lang = "ja"
        await ask(pilot, "api.stripe.com")
        await pilot.press("d")
        await settle(pilot, lambda: getattr(app.screen, "resolution", None) is not None)
        assert isinstance(app.screen, DnsScreen)
        simulated = str(app.screen.query_one("#simulated").render())
        assert "ステップ" in simulated and "Steps" not in simulated
        assert "問い合わせ" in _footer(app.screen)
