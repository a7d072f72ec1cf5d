"""Every fix vpcdoctor prints on the demo parses with the AWS CLI's own argument parser.

The fixes of ``check`` (every function against the audit's default targets and the targets of
the demo's stories: every hop's ``fixes`` commands, else its ``fix`` text) and of ``walk``
(every function, every step's CLI block) go through the awscli package's driver offline
(:mod:`tests.support.awscli_parse`): the service and operation exist, every option is known,
shorthand and JSON values parse against the input shape, required options are present, and
botocore's validator accepts the parameters. Nothing is sent.

A fix that is prose rather than commands fails here; those cases (the current engine's fixes)
are marked ``xfail(strict=True)`` in :data:`PROSE`, for engine v2 to turn into commands.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from tests.support.awscli_parse import parse_with_awscli
from vpcdoctor.diagnostics.audit import default_targets
from vpcdoctor.diagnostics.checklist import walk
from vpcdoctor.diagnostics.diagnose import check
from vpcdoctor.errors import WhatIfError
from vpcdoctor.graph.model.verdict import Hop
from vpcdoctor.graph.sources.opener import open_account
from vpcdoctor.graph.whatif.lexer import split_commands

_EXPECTED = Path(__file__).resolve().parents[3] / "graph" / "demo" / "expected.json"


def _argvs(text: str) -> list[list[str]] | str:
    """The commands of a fix text, or why it is not commands."""
    try:
        commands = split_commands(text, placeholders=True)
    except WhatIfError as error:
        return f"not shell commands: {error.reason}"
    out: list[list[str]] = []
    for c in commands:
        if c.assign is not None:
            continue
        words = [
            "".join(p if isinstance(p, str) else f"${p.name}" for p in w.parts) for w in c.words
        ]
        if not words or words[0] != "aws":
            return f"prose, not an AWS CLI command: {' '.join(words)[:80]!r}"
        out.append(words)
    return out or "no command in the fix"


def _hop_fix(hop: Hop) -> list[list[str]] | str:
    if hop.fixes:
        argvs = [list(c.argv) for option in hop.fixes for c in option.commands]
        return argvs or "fixes without commands"
    return _argvs(hop.fix or "")


@cache
def cases() -> dict[str, list[list[str]] | str]:
    account = open_account(demo=True)
    story_targets: dict[str, list[str]] = {}
    for case in json.loads(_EXPECTED.read_text(encoding="utf-8"))["cases"]:
        story_targets.setdefault(case["function"], []).append(case["target"])
    found: dict[str, list[list[str]] | str] = {}
    for name, fn in sorted(account.functions.items()):
        targets = dict.fromkeys([*default_targets(account, fn), *story_targets.get(name, [])])
        for target in targets:
            result = check(account, name, target)
            for hop in [*result.dns, *(h for p in result.paths for h in p.hops)]:
                if hop.fix or hop.fixes:
                    found.setdefault(
                        f"check:{name}:{target}:{hop.resource}:{hop.code}", _hop_fix(hop)
                    )
        for step in walk(account, name, targets=()).steps:
            for i, block in enumerate(step.fixes):
                if block.cli:
                    found[f"walk:{name}:{step.id}:{i}"] = _argvs(block.cli)
    return found


@cache
def results() -> dict[str, list[dict[str, object]] | str]:
    flat: list[tuple[str, list[str]]] = []
    out: dict[str, list[dict[str, object]] | str] = {}
    for key, argvs in cases().items():
        if isinstance(argvs, str):
            out[key] = argvs
            continue
        flat.extend((key, a) for a in argvs)
        out[key] = []
    for (key, argv), result in zip(flat, parse_with_awscli([a for _, a in flat]), strict=True):
        bucket = out[key]
        assert isinstance(bucket, list)
        bucket.append({"argv": " ".join(argv), **result})
    return out


#: Fixes that are not (only) commands the AWS CLI accepts, today: each is listed with the
#: reason, for the engine (check) or the checklist (walk) to turn into runnable commands. Engine
#: v2 builds every fix from commands: none is left.
PROSE: dict[str, str] = {}

#: Checklist (knowledge/steps) fixes whose placeholders the AWS CLI refuses where it wants a
#: number or a long ARN: the value is the user's choice, but the command does not parse as is.
KNOWLEDGE_PLACEHOLDERS: dict[str, str] = {
    # How many environments to keep warm, and how much of the database Lambda may take, are the
    # engineer's choice: the fix says so with a quoted placeholder (never a shell redirection,
    # tests/unit/checks/test_fix_placeholders_are_quoted.py), which an integer option refuses.
    "walk:billing-reconciler:cold-start:0": "--provisioned-concurrent-executions '<N>'",
    "walk:catalog-client:cold-start:0": "--provisioned-concurrent-executions '<N>'",
    "walk:tax-calculator:cold-start:0": "--provisioned-concurrent-executions '<N>'",
    "walk:billing-reconciler:db-connections:0": "--reserved-concurrent-executions "
    "'<DB_MAX_CONNECTIONS_FOR_LAMBDA / CONNECTIONS_PER_ENVIRONMENT>'",
}


def _params() -> list[object]:
    out = []
    for key in sorted(cases()):
        marks = []
        if key in PROSE:
            marks.append(pytest.mark.xfail(strict=True, reason=f"old engine fix: {PROSE[key]}"))
        elif key in KNOWLEDGE_PLACEHOLDERS:
            marks.append(
                pytest.mark.xfail(
                    strict=True, reason=f"checklist placeholder: {KNOWLEDGE_PLACEHOLDERS[key]}"
                )
            )
        out.append(pytest.param(key, id=key, marks=marks))
    return out


@pytest.mark.parametrize("key", _params())
def test_fix_parses_with_the_aws_cli(key: str) -> None:
    outcome = results()[key]
    assert not isinstance(outcome, str), outcome
    bad = [r for r in outcome if not r["ok"]]
    assert not bad, "; ".join(f"{r['argv']}: {r['error']}" for r in bad)


def test_the_demo_produces_fixes_to_check() -> None:
    kinds = {key.split(":", 1)[0] for key in cases()}
    assert kinds == {"check", "walk"}
    assert len(cases()) > 40
