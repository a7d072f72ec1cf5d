"""The bundled demo account loads cleanly through the offline loader."""

from __future__ import annotations

import pytest

from vpcdoctor.graph.sources.opener import demo_snapshot_dir
from vpcdoctor.graph.sources.snapshot import load_snapshot


def test_demo_account_loads_without_notes() -> None:
    directory = demo_snapshot_dir()
    if not directory.is_dir():
        pytest.skip("the demo snapshot is not built yet")
    account = load_snapshot(directory)
    assert len(account.functions) >= 14
    assert account.account_id and account.region
    assert [s for s in account.sources if s.kind is None] == [], "files set aside"
    assert [s for s in account.sources if s.note] == [], "unknown keys or odd encodings"
    for fn in account.functions.values():
        if fn.vpc is not None:
            assert all(s in account.subnets for s in fn.vpc.subnet_ids), fn.name
