"""A what-if never reaches AWS: no client, no session, no socket — and the read-only guard stays."""

from __future__ import annotations

import ast
import socket
from pathlib import Path
from typing import Any

import pytest

from tests.unit.whatif.test_vocabulary import CASES
from vpcdoctor.graph.live.readonly import ReadOnlyGuard, is_read_operation
from vpcdoctor.graph.sources.opener import open_account

WHATIF = Path(__file__).resolve().parents[3] / "graph" / "whatif"


def test_no_socket_and_no_client_is_ever_made(monkeypatch: pytest.MonkeyPatch) -> None:
    account = open_account(demo=True)  # loaded before the trap: the what-if alone is tested

    def refuse(*_: Any, **__: Any) -> Any:
        raise AssertionError("the what-if tried to reach the network or make an AWS client")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    import boto3
    import botocore.session

    monkeypatch.setattr(boto3, "client", refuse)
    monkeypatch.setattr(boto3, "Session", refuse)
    monkeypatch.setattr(botocore.session, "Session", refuse)
    monkeypatch.setattr(botocore.session, "get_session", refuse)

    from vpcdoctor.graph.whatif import options, what_if

    options.service_model.cache_clear()  # load the models again, under the trap
    for case in CASES:
        what_if(account, case.values[0])


def test_the_package_imports_no_aws_client_library() -> None:
    for path in WHATIF.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert not name.startswith(("boto3", "botocore.session", "botocore.client")), (
                    f"{path.name} imports {name}"
                )


def test_the_read_only_guard_still_refuses_every_write() -> None:
    from vpcdoctor.errors import ReadOnlyViolation
    from vpcdoctor.graph.whatif import vocabulary
    from vpcdoctor.graph.whatif.options import api_name

    guard = ReadOnlyGuard()
    for entry in vocabulary():
        service, operation = entry.split()
        name = api_name(service, operation)
        assert name is not None and not is_read_operation(name)

        class _Model:
            pass

        model = _Model()
        model.name = name  # type: ignore[attr-defined]
        model.service_model = type("S", (), {"service_name": service})()  # type: ignore[attr-defined]
        with pytest.raises(ReadOnlyViolation):
            guard(model=model)
