"""The documented checklist, walked for one function.

:func:`walk` runs every registered check (``diagnostics/checks/``) in the order of
``knowledge/steps/*.toml``, then one ``reach:<target>`` step per target asked about, and renders
each language-neutral :class:`~vpcdoctor.diagnostics.findings.Outcome` in the chosen language.
No I/O beyond reading the bundled knowledge; no Textual.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from vpcdoctor.diagnostics.checks import registered
from vpcdoctor.diagnostics.checks.context import StepContext
from vpcdoctor.diagnostics.checks.reach import reach_outcome
from vpcdoctor.diagnostics.findings import Finding, FixBlock, Link, Outcome, Say, Walk
from vpcdoctor.diagnostics.safe_text import clean
from vpcdoctor.errors import FunctionNotFound
from vpcdoctor.graph.model import Account
from vpcdoctor.knowledge import (
    LANGS,
    REACH_ID,
    KnowledgeError,
    StepText,
    load_steps,
    render,
    step_text,
    ui_text,
)

LANG_ENV = "VPCDOCTOR_LANG"

_MAX_VALUE = 400
MULTILINE_PARAMS = frozenset({"engine_fix"})
"""Params whose value may keep its line breaks (the engine's own fix commands)."""


def _clean(value: object, *, multiline: bool = False) -> object:
    """Values from AWS (names, reasons, descriptions) are untrusted: no escape sequences, no
    bidirectional overrides, no line breaks inside an evidence line, no megabyte strings."""
    if isinstance(value, str):
        return clean(value, limit=_MAX_VALUE, multiline=multiline)
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def _cleaned(params: Mapping[str, object]) -> dict[str, object]:
    return {k: _clean(v, multiline=k in MULTILINE_PARAMS) for k, v in params.items()}


def resolve_lang(lang: str | None) -> str:
    """The explicit language, else ``$VPCDOCTOR_LANG``, else English."""
    chosen = lang or os.environ.get(LANG_ENV) or "en"
    if chosen not in LANGS:
        raise KnowledgeError(f"language {chosen!r} is not one of {', '.join(LANGS)}")
    return chosen


def step_ids() -> tuple[str, ...]:
    """The checklist's step ids in order (without the per-target ``reach:`` steps)."""
    return tuple(s.id for s in load_steps("en"))


def walk(
    account: Account,
    function: str,
    targets: Sequence[str] = (),
    lang: str | None = "en",
    *,
    prices_override: str | None = None,
) -> Walk:
    """Walk the checklist for ``function``.

    Args:
        account: the account (snapshot, demo or live).
        function: the Lambda function's name.
        targets: TARGETs asked about; each becomes a ``reach:<target>`` step.
        lang: ``en`` or ``ja`` (None: ``$VPCDOCTOR_LANG``, else ``en``).
        prices_override: a price TOML that replaces ``$VPCDOCTOR_PRICES``.

    Raises:
        FunctionNotFound: no function of that name in the account.
    """
    lang = resolve_lang(lang)
    fn = account.functions.get(function)
    if fn is None:
        known = ", ".join(sorted(account.functions)[:10]) or "none"
        raise FunctionNotFound(
            f"no Lambda function named {function!r} in this account (functions: {known}); "
            "check the name, or export it with `aws lambda get-function-configuration "
            f"--function-name {function}`"
        )
    ctx = StepContext(
        account=account, function=fn, targets=tuple(targets), prices_override=prices_override
    )
    checks = registered()
    findings: list[Finding] = []
    for text in load_steps(lang):
        check = checks.get(text.id)
        if check is None:
            raise KnowledgeError(f"step {text.id!r} has knowledge but no registered check")
        findings.append(render_finding(text, check(ctx), ctx, lang))
    reach = step_text(REACH_ID, lang)
    for target in dict.fromkeys(targets):
        findings.append(
            render_finding(
                reach,
                reach_outcome(ctx, target),
                ctx,
                lang,
                step_id=f"{REACH_ID}:{target}",
                title_params={"target": target},
            )
        )
    return Walk(function=fn.name, lang=lang, steps=tuple(findings))


def _template(text: StepText, key: str) -> str:
    if key in text.evidence:
        return text.evidence[key]
    table, _, entry = key.partition(".")
    if entry and table in text.extra and entry in text.extra[table]:
        return text.extra[table][entry]
    raise KnowledgeError(f"step {text.id!r} ({text.lang}) has no evidence text {key!r}")


def render_says(text: StepText, says: Sequence[Say]) -> tuple[str, ...]:
    return tuple(render(_template(text, s.key), _cleaned(s.params)) for s in says)


def render_finding(
    text: StepText,
    outcome: Outcome,
    ctx: StepContext,
    lang: str,
    *,
    step_id: str | None = None,
    title_params: Mapping[str, object] | None = None,
) -> Finding:
    """Put one outcome into words."""
    ui = ui_text(lang)
    base = _cleaned(ctx.fix_params())
    evidence = list(render_says(text, outcome.evidence))
    evidence += [render(ui["needs"], {"cli": cli}) for cli in outcome.needs]
    fixes: list[FixBlock] = []
    for fix in outcome.fixes:
        spec = text.fix.get(fix.key)
        if spec is None:
            raise KnowledgeError(f"step {text.id!r} ({lang}) has no fix {fix.key!r}")
        params = {**base, **_cleaned(fix.params)}
        fixes.append(
            FixBlock(
                text=render(spec.text, params).strip(),
                cli=render(spec.cli, params).strip(),
                cloudformation=render(spec.cloudformation, params).rstrip(),
            )
        )
    title_values = {**base, **_cleaned(title_params or {})}
    return Finding(
        id=step_id or text.id,
        title=render(text.title, title_values),
        status=outcome.status,
        evidence=tuple(evidence),
        fixes=tuple(fixes),
        why=render(text.why, title_values),
        checks=text.checks,
        links=tuple(Link(title=link.title, url=link.url) for link in text.links),
        needs=outcome.needs,
        cloudformation_heading=ui["cloudformation"],
    )
