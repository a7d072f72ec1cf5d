"""The documented checklist as data: each step's text in English and Japanese, and prices.

``knowledge/steps/<id>.toml`` holds one step: ``id``, ``order``, language-neutral fix code
(``[fix.<key>]`` with ``cli`` and ``cloudformation`` templates, so both languages run the same
commands), and per language (``[en]``, ``[ja]``) the title, why, what is checked, the evidence
templates, the fix prose and links. ``knowledge/ui.toml`` holds the labels around them, and
``knowledge/prices.toml`` a small dated price table. Templates use ``{name}`` placeholders
(lower-case identifiers only, so CloudFormation's ``${AWS::Region}`` passes through untouched).

Nothing here imports the model: diagnostics read this package, never the other way round.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from vpcdoctor.errors import VpcDoctorError

LANGS: tuple[str, ...] = ("en", "ja")
"""Every language the checklist is written in."""

PRICES_ENV = "VPCDOCTOR_PRICES"
"""Environment variable naming a TOML file whose regions override or extend prices.toml."""

HOURS_PER_MONTH = 730
"""AWS's own convention for monthly estimates (365 × 24 / 12)."""

_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


class KnowledgeError(VpcDoctorError):
    """A knowledge file is malformed (a packaging bug, caught by
    tests/unit/checks/test_knowledge.py), or the price override file named by
    ``$VPCDOCTOR_PRICES`` cannot be read."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkText:
    title: str
    url: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FixText:
    """A fix template: prose in one language plus the shared CLI and CloudFormation code."""

    text: str
    cli: str = ""
    cloudformation: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class StepText:
    """One step of the checklist in one language."""

    id: str
    order: int
    lang: str
    title: str
    why: str
    checks: tuple[str, ...]
    evidence: Mapping[str, str]
    """Evidence templates by key."""
    fix: Mapping[str, FixText]
    """Fix templates by key."""
    links: tuple[LinkText, ...]
    extra: Mapping[str, Mapping[str, str]]
    """Other string tables of the language (e.g. ``codes`` of lambda-state)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RegionPrices:
    """On-demand list prices for one region, in USD."""

    region: str
    looked_up: str
    """The date the prices were read (ISO 8601)."""
    sources: tuple[str, ...]
    nat_gateway_hour: float
    nat_gateway_gb: float
    interface_endpoint_az_hour: float
    interface_endpoint_gb: float
    gateway_endpoint_hour: float = 0.0
    gateway_endpoint_gb: float = 0.0
    currency: str = "USD"
    origin: str = "knowledge/prices.toml"
    """Where the entry came from: the bundled table or the override file."""

    def monthly(self, hourly: float, count: int = 1) -> float:
        return hourly * HOURS_PER_MONTH * count


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------


def placeholders(template: str) -> set[str]:
    """The ``{names}`` a template expects."""
    return set(_PLACEHOLDER.findall(template))


def render(template: str, params: Mapping[str, object]) -> str:
    """Fill ``{name}`` placeholders; sequences join with ", "; unknown names stay as they are."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in params:
            return match.group(0)
        value = params[name]
        if isinstance(value, str):
            return value
        if isinstance(value, Sequence | set | frozenset):
            return ", ".join(str(v) for v in value)
        return str(value)

    return _PLACEHOLDER.sub(one, template)


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


def _root() -> Path:
    return Path(str(resources.files("vpcdoctor.knowledge")))


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as error:
        raise KnowledgeError(f"{path}: {error}") from error


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise KnowledgeError(f"{where}: expected a list of strings")
    return tuple(value)


def _table(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise KnowledgeError(f"{where}: expected a table")
    return value


def _step_text(data: dict[str, Any], lang: str, where: str) -> StepText:
    for key in ("id", "order"):
        if key not in data:
            raise KnowledgeError(f"{where}: missing {key!r}")
    table = _table(data.get(lang), f"{where} [{lang}]")
    code = _table(data.get("fix", {}), f"{where} [fix]")
    for key in ("title", "why", "checks", "evidence", "fix", "links"):
        if key not in table:
            raise KnowledgeError(f"{where} [{lang}]: missing {key!r}")
    evidence = {
        k: str(v) for k, v in _table(table["evidence"], f"{where} [{lang}.evidence]").items()
    }
    prose = _table(table["fix"], f"{where} [{lang}.fix]")
    fixes: dict[str, FixText] = {}
    for key in sorted(set(prose) | set(code)):
        if key not in prose:
            raise KnowledgeError(f"{where} [{lang}.fix]: no text for fix {key!r}")
        spec = _table(code.get(key, {}), f"{where} [fix.{key}]")
        fixes[key] = FixText(
            text=str(prose[key]),
            cli=str(spec.get("cli", "")),
            cloudformation=str(spec.get("cloudformation", "")),
        )
    links = []
    for i, link in enumerate(table["links"]):
        link = _table(link, f"{where} [{lang}.links][{i}]")
        if "title" not in link or "url" not in link:
            raise KnowledgeError(f"{where} [{lang}.links][{i}]: needs title and url")
        links.append(LinkText(title=str(link["title"]), url=str(link["url"])))
    extra = {
        k: MappingProxyType({kk: str(vv) for kk, vv in v.items()})
        for k, v in table.items()
        if isinstance(v, dict) and k not in ("evidence", "fix")
    }
    return StepText(
        id=str(data["id"]),
        order=int(data["order"]),
        lang=lang,
        title=str(table["title"]),
        why=unwrap(str(table["why"]), lang),
        checks=_strings(table["checks"], f"{where} [{lang}.checks]"),
        evidence=MappingProxyType(evidence),
        fix=MappingProxyType(fixes),
        links=tuple(links),
        extra=MappingProxyType(extra),
    )


def unwrap(text: str, lang: str) -> str:
    """Join the hard-wrapped lines of each paragraph (TOML keeps the source's line breaks):
    with a space in English, with nothing in Japanese."""
    joiner = "" if lang == "ja" else " "
    paragraphs = [p for p in text.strip().split("\n\n") if p.strip()]
    return "\n\n".join(joiner.join(line.strip() for line in p.splitlines()) for p in paragraphs)


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise KnowledgeError(f"language {lang!r} is not one of {', '.join(LANGS)}")


def step_files() -> tuple[Path, ...]:
    """Every step file (the checklist steps and the per-target ``reach`` template)."""
    return tuple(sorted((_root() / "steps").glob("*.toml")))


@cache
def _all_steps(lang: str) -> tuple[StepText, ...]:
    steps = []
    for path in step_files():
        data = _read(path)
        step = _step_text(data, lang, path.name)
        if f"{step.id}.toml" != path.name:
            raise KnowledgeError(f"{path.name}: id {step.id!r} does not match the file name")
        steps.append(step)
    return tuple(sorted(steps, key=lambda s: (s.order, s.id)))


REACH_ID = "reach"
"""The template step rendered once per ``--target`` as ``reach:<target>``."""


def load_steps(lang: str = "en") -> list[StepText]:
    """The checklist steps in order (without the per-target ``reach`` template)."""
    _check_lang(lang)
    return [s for s in _all_steps(lang) if s.id != REACH_ID]


def step_text(step_id: str, lang: str = "en") -> StepText:
    """One step's text (``reach`` included)."""
    _check_lang(lang)
    for step in _all_steps(lang):
        if step.id == step_id:
            return step
    raise KeyError(step_id)


@cache
def ui_text(lang: str = "en") -> Mapping[str, str]:
    """Labels around the steps (status badges, headings) in one language."""
    _check_lang(lang)
    data = _read(_root() / "ui.toml")
    table = _table(data.get(lang), f"ui.toml [{lang}]")
    return MappingProxyType({k: str(v) for k, v in table.items()})


# ---------------------------------------------------------------------------------------------
# Prices
# ---------------------------------------------------------------------------------------------

_PRICE_FIELDS = (
    "nat_gateway_hour",
    "nat_gateway_gb",
    "interface_endpoint_az_hour",
    "interface_endpoint_gb",
)


def _region_prices(region: str, entry: dict[str, Any], origin: str) -> RegionPrices:
    missing = [f for f in (*_PRICE_FIELDS, "looked_up") if f not in entry]
    if missing:
        raise KnowledgeError(f"{origin} [regions.{region}]: missing {', '.join(missing)}")
    sources = entry.get("sources", [])
    return RegionPrices(
        region=region,
        looked_up=str(entry["looked_up"]),
        sources=_strings(sources, f"{origin} [regions.{region}].sources"),
        nat_gateway_hour=float(entry["nat_gateway_hour"]),
        nat_gateway_gb=float(entry["nat_gateway_gb"]),
        interface_endpoint_az_hour=float(entry["interface_endpoint_az_hour"]),
        interface_endpoint_gb=float(entry["interface_endpoint_gb"]),
        gateway_endpoint_hour=float(entry.get("gateway_endpoint_hour", 0.0)),
        gateway_endpoint_gb=float(entry.get("gateway_endpoint_gb", 0.0)),
        currency=str(entry.get("currency", "USD")),
        origin=origin,
    )


def _price_table(path: Path, origin: str) -> dict[str, RegionPrices]:
    """The table of one prices file (read once per version of the file: an audit asks for
    the cost of thousands of fixes)."""
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = -1
    return dict(_price_table_at(path, origin, stamp))


@lru_cache(maxsize=8)
def _price_table_at(path: Path, origin: str, stamp: int) -> dict[str, RegionPrices]:
    del stamp  # part of the cache key only
    data = _read(path)
    regions = _table(data.get("regions", {}), f"{origin} [regions]")
    return {
        name: _region_prices(name, _table(entry, f"{origin} [regions.{name}]"), origin)
        for name, entry in regions.items()
    }


def price_table(override: str | Path | None = None) -> dict[str, RegionPrices]:
    """The bundled prices, with the regions of ``override`` (or ``$VPCDOCTOR_PRICES``) on top."""
    table = _price_table(_root() / "prices.toml", "knowledge/prices.toml")
    path = override if override is not None else os.environ.get(PRICES_ENV)
    if path:
        p = Path(path)
        if not p.is_file():
            raise KnowledgeError(f"{PRICES_ENV}={path}: no such file")
        table.update(_price_table(p, str(p)))
    return table


def prices(region: str | None, override: str | Path | None = None) -> RegionPrices | None:
    """Prices of one region, or None when the table has none for it."""
    if not region:
        return None
    return price_table(override).get(region)
