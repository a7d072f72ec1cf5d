"""The checklist's knowledge files: every step has every field in every language."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from vpcdoctor.diagnostics.checklist import step_ids
from vpcdoctor.diagnostics.checks import registered
from vpcdoctor.knowledge import (
    LANGS,
    KnowledgeError,
    load_steps,
    placeholders,
    price_table,
    prices,
    render,
    step_files,
    step_text,
    ui_text,
)

STEP_IDS = (
    "vpc-needed",
    "public-subnet",
    "multi-az",
    "ip-headroom",
    "nat-endpoints",
    "db-connections",
    "lambda-state",
    "cold-start",
)
FIELDS = ("title", "why", "checks", "evidence", "fix", "links")


def test_the_eight_steps_in_order() -> None:
    assert step_ids() == STEP_IDS


def test_every_step_has_a_registered_check_and_every_check_has_knowledge() -> None:
    assert set(registered()) == set(STEP_IDS)


@pytest.mark.parametrize("path", step_files(), ids=lambda p: p.name)
@pytest.mark.parametrize("lang", LANGS)
def test_every_field_in_every_language(path: Path, lang: str) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["id"] == path.stem
    assert isinstance(data["order"], int)
    table = data[lang]
    for field in FIELDS:
        assert field in table, f"{path.name} [{lang}] lacks {field}"
        assert table[field], f"{path.name} [{lang}].{field} is empty"
    assert all(link["url"].startswith("https://") for link in table["links"])
    # Fix code is shared; every fix has prose in this language.
    assert set(data.get("fix", {})) <= set(table["fix"])


@pytest.mark.parametrize("path", step_files(), ids=lambda p: p.name)
def test_languages_have_the_same_keys_and_placeholders(path: Path) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    en, ja = data["en"], data["ja"]
    for table in (
        "evidence",
        "fix",
        *(k for k, v in en.items() if isinstance(v, dict) and k not in ("evidence", "fix")),
    ):
        assert set(en[table]) == set(ja[table]), f"{path.name} [{table}] keys differ"
        for key in en[table]:
            assert placeholders(en[table][key]) == placeholders(ja[table][key]), (
                f"{path.name} [{table}.{key}] placeholders differ"
            )
    assert placeholders(en["title"]) == placeholders(ja["title"])
    assert len(en["checks"]) == len(ja["checks"])


@pytest.mark.parametrize("path", step_files(), ids=lambda p: p.name)
def test_japanese_text_is_japanese(path: Path) -> None:
    ja = tomllib.loads(path.read_text(encoding="utf-8"))["ja"]
    texts = [ja["title"], ja["why"], *ja["checks"], *ja["evidence"].values(), *ja["fix"].values()]
    for text in texts:
        assert any(
            "\u3000" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"
            for ch in text
        ), text


def test_a_missing_language_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import vpcdoctor.knowledge as knowledge

    text = (Path(knowledge.__file__).parent / "steps" / "multi-az.toml").read_text("utf-8")
    broken = text[: text.index("[ja]")]
    data = tomllib.loads(broken)
    with pytest.raises(KnowledgeError, match=r"\[ja\]"):
        knowledge._step_text(data, "ja", "multi-az.toml")
    data = tomllib.loads(text)
    del data["en"]["why"]
    with pytest.raises(KnowledgeError, match="why"):
        knowledge._step_text(data, "en", "multi-az.toml")


def test_ui_labels_in_both_languages() -> None:
    assert set(ui_text("en")) == set(ui_text("ja"))
    assert ui_text("ja")["status_warn"] == "注意"
    with pytest.raises(KnowledgeError):
        load_steps("fr")


def test_render_leaves_cloudformation_substitutions_alone() -> None:
    out = render('!Sub "com.amazonaws.${AWS::Region}.{service}" {missing}', {"service": "s3"})
    assert out == '!Sub "com.amazonaws.${AWS::Region}.s3" {missing}'
    assert render("{ids}", {"ids": ["a", "b"]}) == "a, b"


def test_reach_template_is_not_a_checklist_step() -> None:
    assert "reach" not in step_ids()
    assert "{target}" in step_text("reach", "en").title


def test_prices_are_dated_and_sourced() -> None:
    table = price_table()
    assert {"ap-northeast-1", "us-east-1"} <= set(table)
    for entry in table.values():
        assert entry.looked_up[:2] == "20" and entry.sources
        assert entry.nat_gateway_hour > 0 and entry.interface_endpoint_az_hour > 0
        assert entry.gateway_endpoint_hour == 0
    assert prices("eu-west-9") is None


def test_prices_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "prices.toml"
    path.write_text(
        '[regions.eu-west-1]\nlooked_up = "2026-01-01"\nnat_gateway_hour = 0.048\n'
        "nat_gateway_gb = 0.048\ninterface_endpoint_az_hour = 0.011\n"
        'interface_endpoint_gb = 0.01\nsources = ["https://aws.amazon.com/vpc/pricing/"]\n'
        '[regions.us-east-1]\nlooked_up = "2026-02-02"\nnat_gateway_hour = 1.0\n'
        "nat_gateway_gb = 1.0\ninterface_endpoint_az_hour = 1.0\ninterface_endpoint_gb = 1.0\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("VPCDOCTOR_PRICES", str(path))
    eu = prices("eu-west-1")
    assert eu is not None and eu.nat_gateway_hour == 0.048
    us = prices("us-east-1")
    assert us is not None and us.nat_gateway_hour == 1.0 and us.origin == str(path)
    monkeypatch.setenv("VPCDOCTOR_PRICES", str(tmp_path / "nope.toml"))
    with pytest.raises(KnowledgeError, match="VPCDOCTOR_PRICES"):
        prices("us-east-1")
