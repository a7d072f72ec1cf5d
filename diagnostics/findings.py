"""What a checklist step finds, before and after it is put into words.

A check (``diagnostics/checks/<step>.py``) knows nothing of languages: it returns an
:class:`Outcome` made of :class:`Say` records (a message key from ``knowledge/steps/<id>.toml``
plus the account's values). :mod:`vpcdoctor.diagnostics.checklist` renders each outcome in the
chosen language into a :class:`Finding`; a :class:`Walk` is the list of findings for one function
and serialises to DESIGN.md's ``walk --format json`` document.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import ClassVar

from vpcdoctor.graph.model.jsonshape import JsonRecord, JsonShape, opt, shape

_EMPTY: Mapping[str, object] = MappingProxyType({})


class StepStatus(StrEnum):
    """The status of one step, as DESIGN.md spells it."""

    OK = "ok"
    WARN = "warn"
    FAIL = "fail"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not-applicable"

    @property
    def severity(self) -> int:
        """Sort key: the worse, the higher (fail > unknown > warn > ok > not-applicable)."""
        return {
            StepStatus.NOT_APPLICABLE: 0,
            StepStatus.OK: 1,
            StepStatus.WARN: 2,
            StepStatus.UNKNOWN: 3,
            StepStatus.FAIL: 4,
        }[self]


@dataclass(frozen=True, slots=True, kw_only=True)
class Say:
    """One message to render: a template key of the step's knowledge plus its values."""

    key: str
    """Key in the step's ``[<lang>.evidence]`` (or ``[fix.<key>]``) table."""
    params: Mapping[str, object] = field(default_factory=lambda: _EMPTY)
    """Values for the template's ``{placeholders}``; sequences are joined with ", "."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """What a check found, language-neutral."""

    status: StepStatus
    evidence: tuple[Say, ...] = ()
    fixes: tuple[Say, ...] = ()
    """Fix templates to render, in order; their params are merged over the account's ids."""
    needs: tuple[str, ...] = ()
    """AWS CLI commands whose output would settle an ``unknown`` (or sharpen the finding)."""


def say(key: str, **params: object) -> Say:
    """Shorthand for :class:`Say`."""
    return Say(key=key, params=MappingProxyType(params))


@dataclass(frozen=True, slots=True, kw_only=True)
class Link(JsonRecord):
    title: str
    url: str

    JSON: ClassVar[JsonShape] = shape("title", "url")


@dataclass(frozen=True, slots=True, kw_only=True)
class FixBlock:
    """One rendered fix: prose, AWS CLI commands and a CloudFormation snippet (any may be "")."""

    text: str = ""
    cli: str = ""
    cloudformation: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding(JsonRecord):
    """One step of the walk, rendered in one language."""

    id: str
    title: str
    status: StepStatus
    evidence: tuple[str, ...] = ()
    fixes: tuple[FixBlock, ...] = ()
    why: str = ""
    checks: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    needs: tuple[str, ...] = ()
    cloudformation_heading: str = "CloudFormation"

    JSON: ClassVar[JsonShape] = shape(
        "id", "title", "status", "evidence", "fix", "why", "links", opt("needs")
    )

    @property
    def fix(self) -> str:
        """Every fix block as one text: prose, then CLI, then CloudFormation."""
        texts = [b.text.strip() for b in self.fixes if b.text.strip()]
        cli = [b.cli.strip() for b in self.fixes if b.cli.strip()]
        cfn = [b.cloudformation.rstrip() for b in self.fixes if b.cloudformation.strip()]
        parts: list[str] = []
        if texts:
            parts.append("\n".join(_dedupe(texts)))
        if cli:
            parts.append("\n\n".join(cli))
        if cfn:
            parts.append(f"# {self.cloudformation_heading}\n" + "\n".join(cfn))
        return "\n\n".join(parts)


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Walk(JsonRecord):
    """The checklist walked for one function: DESIGN.md's ``walk --format json``."""

    function: str
    lang: str
    steps: tuple[Finding, ...]

    JSON: ClassVar[JsonShape] = shape("function", "lang", "steps")

    def step(self, step_id: str) -> Finding:
        for finding in self.steps:
            if finding.id == step_id:
                return finding
        raise KeyError(step_id)

    @property
    def exit_code(self) -> int:
        """1 when any step fails; 3 when no step fails and every applicable step is unknown
        (the snapshot decides nothing); else 0 (warnings and some unknowns included)."""
        statuses = [f.status for f in self.steps if f.status is not StepStatus.NOT_APPLICABLE]
        if StepStatus.FAIL in statuses:
            return 1
        if statuses and all(s is StepStatus.UNKNOWN for s in statuses):
            return 3
        return 0
