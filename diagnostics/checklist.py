"""The documented checklist, walked for one function.

:func:`walk` runs every registered check (``diagnostics/checks/``) in the order of
``knowledge/steps/*.toml``, then one ``reach:<target>`` step per target asked about, and renders
each language-neutral :class:`~vpcdoctor.diagnostics.findings.Outcome` in the chosen language.
No I/O beyond reading the bundled knowledge; no Textual.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence

from vpcdoctor.diagnostics.checks import registered
from vpcdoctor.diagnostics.checks.context import StepContext
from vpcdoctor.diagnostics.checks.reach import reach_outcome
from vpcdoctor.diagnostics.findings import Finding, FixBlock, Link, Outcome, Say, Walk
from vpcdoctor.diagnostics.safe_text import clean
from vpcdoctor.errors import FunctionNotFound
from vpcdoctor.graph.model import Account
from vpcdoctor.graph.model.commands import PATTERNS, Suspicious, placeholder
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


# ---- values that go into the templated fix commands (issue 12 item 1) -------------------------
# A template's CLI and CloudFormation text is code someone pastes. Every value put into it is
# checked against the syntax AWS gives its kind (PATTERNS, as the engine's commands are); a
# value of a kind vpcdoctor cannot name must still be made of characters no shell treats
# specially (shlex's safe set). A value that fails is not put in: a <kind> placeholder stands
# there (a template may put it inside double quotes, where quoting would not help) and the
# finding says SUSPICIOUS_IDENTIFIER.
_PARAM_KINDS = {
    "function": "function-name",
    "region": "region",
    "account_id": "account",
    "vpc_id": "vpc",
    "vpc": "vpc",
    "az": "availability-zone",
    "nat_az": "availability-zone",
    "sg_id": "security-group",
    "sg": "security-group",
    "rtb": "route-table",
    "route_table": "route-table",
    "nat": "nat-gateway",
    "igw": "internet-gateway",
    "vpce": "vpc-endpoint",
    "subnet": "subnet",
    "public_subnet_id": "subnet",
}
_LIST_KINDS = {
    "subnet_ids": "subnet",
    "subnet_ids_csv": "subnet",
    "subnet_ids_yaml": "subnet",
    "nat_subnet_ids_csv": "subnet",
    "sg_ids": "security-group",
    "sg_ids_csv": "security-group",
    "sg_ids_yaml": "security-group",
    "route_table_ids": "route-table",
    "route_table_ids_yaml": "route-table",
}
_SHELL_SAFE = re.compile(r"[A-Za-z0-9_@%+=:,./-]+")
_OWN_PLACEHOLDER = re.compile(r"\{[a-z_]+\}|<[A-Za-z0-9_/ -]+>")
_LIST_SEPARATORS = re.compile(r"[\s,\[\]]+")


def _command_value(name: str, value: object) -> tuple[object, Suspicious | None]:
    """``value`` as it may appear in a fix command, or a placeholder and why not."""
    if not isinstance(value, str) or value == "" or _OWN_PLACEHOLDER.fullmatch(value):
        return value, None
    if name in _LIST_KINDS:
        each = _LIST_KINDS[name]
        tokens = [t for t in _LIST_SEPARATORS.split(value) if t]
        for token in tokens:
            if not PATTERNS[each].fullmatch(token):
                return placeholder(f"{each}s"), Suspicious(kind=each, value=token)
        return value, None
    kind = _PARAM_KINDS.get(name)
    if kind is not None:
        if PATTERNS[kind].fullmatch(value):
            return value, None
        return placeholder(kind), Suspicious(kind=kind, value=value)
    if all(_SHELL_SAFE.fullmatch(t) for t in _LIST_SEPARATORS.split(value) if t):
        return value, None
    return placeholder(name.replace("_", "-")), Suspicious(kind=name, value=value)


def command_params(
    params: Mapping[str, object], raw: Mapping[str, object]
) -> tuple[dict[str, object], list[Suspicious]]:
    """The params for a template's CLI and CloudFormation text, each value checked on its raw
    (uncleaned) form; the refused ones listed."""
    out: dict[str, object] = {}
    refused: list[Suspicious] = []
    for name, value in params.items():
        if name in MULTILINE_PARAMS:  # vpcdoctor's own commands, every word already checked
            out[name] = value
            continue
        checked, bad = _command_value(name, raw.get(name, value))
        out[name] = value if bad is None else checked
        if bad is not None:
            refused.append(bad)
    return out, refused


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
    raw_base = ctx.fix_params()
    base = _cleaned(raw_base)
    evidence = list(render_says(text, outcome.evidence))
    # A needs command quotes its owner (a name from the snapshot): one shell word, but a line
    # feed inside it would still print as a second line, so it is shown escaped.
    evidence += [render(ui["needs"], {"cli": clean(cli)}) for cli in outcome.needs]
    fixes: list[FixBlock] = []
    refused: dict[tuple[str, str], None] = {}
    for fix in outcome.fixes:
        spec = text.fix.get(fix.key)
        if spec is None:
            raise KnowledgeError(f"step {text.id!r} ({lang}) has no fix {fix.key!r}")
        params = {**base, **_cleaned(fix.params)}
        code_params, bad = command_params(params, {**raw_base, **fix.params})
        refused.update(((b.kind, b.value), None) for b in bad)
        fixes.append(
            FixBlock(
                text=render(spec.text, params).strip(),
                cli=render(spec.cli, code_params).strip(),
                cloudformation=render(spec.cloudformation, code_params).rstrip(),
            )
        )
    evidence += [
        render(ui["suspicious"], {"kind": kind, "value": clean(repr(value), limit=_MAX_VALUE)})
        for kind, value in refused
    ]
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
