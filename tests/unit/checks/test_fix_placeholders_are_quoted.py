"""A checklist fix pasted as it is never redirects: every ``<PLACEHOLDER>`` the engineer must
replace is quoted, so a shell passes it to the AWS CLI (which refuses it) instead of reading a
file named after it or truncating one named after the next option (``<N> --x`` is ``< N`` and
``> --x``)."""

from __future__ import annotations

import shlex

import pytest

from vpcdoctor.diagnostics.checklist import walk
from vpcdoctor.graph.model import Account
from vpcdoctor.graph.sources.opener import open_account


@pytest.fixture(scope="module")
def demo() -> Account:
    return open_account(demo=True)


def _operators(line: str) -> list[str]:
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    return [t for t in lexer if t and set(t) <= set("<>|&;()")]


def test_no_checklist_fix_redirects(demo: Account) -> None:
    seen = 0
    for name in sorted(demo.functions):
        for lang in ("en", "ja"):
            for step in walk(demo, name, targets=(), lang=lang).steps:
                for block in step.fixes:
                    for line in block.cli.splitlines():
                        if not line.strip() or line.lstrip().startswith("#"):
                            continue
                        seen += 1
                        ops = [o for o in _operators(line) if o not in ("(", ")", "&&")]
                        assert not ops, f"{name} {step.id}: {line}"
    assert seen > 20


def test_the_operator_check_can_fail() -> None:
    assert _operators("aws x --qualifier <ALIAS> --n <N>") == ["<", ">", "<", ">"]
    assert _operators("aws x --qualifier '<ALIAS>'") == []
