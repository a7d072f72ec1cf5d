"""SVG snapshots of each main screen on the demo account (pytest-textual-snapshot).

The scenes are the ones ``python -m vpcdoctor.tui.screenshots`` uses, so the README's pictures and
these snapshots show the same thing. Where a picture is the claim (the numbered path fits 80×24,
the mixed verdict's headline, the Japanese checklist), the scene is also taken at 80×24. Update
with ``pytest tests/functional/tui --snapshot-update`` after looking at the differences.
"""

from __future__ import annotations

from typing import Any

import pytest

from vpcdoctor.graph.model import Account
from vpcdoctor.tui.app import make_app
from vpcdoctor.tui.screenshots import NARROW_SCENES, SCENES

pytestmark = pytest.mark.tui


@pytest.mark.parametrize("scene", sorted(SCENES))
def test_screen(scene: str, snap_compare: Any, demo_account: Account) -> None:
    app = make_app(account=demo_account, demo=True)
    assert snap_compare(app, terminal_size=(120, 40), run_before=SCENES[scene])


@pytest.mark.parametrize("scene", NARROW_SCENES)
def test_screen_at_80x24(scene: str, snap_compare: Any, demo_account: Account) -> None:
    app = make_app(account=demo_account, demo=True)
    assert snap_compare(app, terminal_size=(80, 24), run_before=SCENES[scene])


def test_light_theme(snap_compare: Any, demo_account: Account) -> None:
    app = make_app(account=demo_account, demo=True)

    async def light(pilot: Any) -> None:
        pilot.app.theme = "textual-light"
        await SCENES["path"](pilot)

    assert snap_compare(app, terminal_size=(120, 40), run_before=light)
