"""Untrusted strings (issue 9, item 5): names, tags, descriptions and comments from the account
are shown literally and safely in every CLI output.

A hostile copy of the demo puts Rich markup, ANSI/OSC escape sequences, control characters,
bidirectional overrides, zero-width characters, Markdown/HTML and Mermaid syntax and very long
values in every free-text field AWS allows (tags, security-group names and descriptions, rule
descriptions, ENI descriptions, hosted-zone comments, Resolver rule names, function
descriptions, and a security group whose name the checklist quotes). Then: terminal text has no
escape byte and shows the markup as text; JSON is valid and keeps the original value; Markdown
has no raw HTML and its tables keep their columns; Mermaid labels cannot break the diagram.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.support.paths import ROOT
from vpcdoctor.cli import main
from vpcdoctor.diagnostics.safe_text import clean, fenced, markdown_inline, mermaid_label

DEMO = ROOT / "graph" / "demo" / "snapshot"

MARKUP = "[bold]B[/bold][link=https://evil.example]L[/link][/]"
HOSTILE = (
    f"HOSTILE{MARKUP} \x1b[31mR\x1b[0m \x1b]8;;https://evil.example\x07O\x1b]8;;\x07\x1b[2J"
    '\u202eRTL\u200bzw `tick` | pipe <script>alert(1)</script> "]); --> %% {x} (y) #h'
    "\nNL\rCR\x07\x00 ```"
)
LONG = "HOSTILE-LONG-" + "W" * 10_000
# Bytes that must never reach a terminal or a document from the account's strings.
FORBIDDEN = ["\x1b", "\x07", "\x00", "\u202e", "\u200b", "\x9b"]

ORDERS_SG = "sg-0cb7d708ee71fce5c"  # orders-api's group
CHECKS = [
    ("ledger-writer", "10.20.20.7:5432"),  # the target ENI's description
    ("invoice-renderer", "secretsmanager"),  # the endpoint ENI's description
    ("directory-sync", "ldap.onprem.local:636"),  # the Resolver rule's name
    ("orders-api", "api.corp.internal"),  # the private hosted zone
]


def _tag(resource: dict[str, Any], key: str = "Tags") -> None:
    tags = resource.setdefault(key, [])
    for tag in tags:
        if tag["Key"] == "Name":
            tag["Value"] = HOSTILE
    tags += [{"Key": "Owner", "Value": HOSTILE}, {"Key": "Long", "Value": LONG}]


def _edit(snap: Path, name: str, change: Any) -> None:
    path = snap / name
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document))


def _security_groups(document: dict[str, Any]) -> None:
    for group in document["SecurityGroups"]:
        group["Description"] = HOSTILE
        _tag(group)
        if group["GroupName"] != "default":
            group["GroupName"] = HOSTILE
        for perm in group.get("IpPermissions", []) + group.get("IpPermissionsEgress", []):
            for ip_range in perm.get("IpRanges", []):
                ip_range["Description"] = HOSTILE
    # A group that admits orders-api and belongs to nothing the snapshot knows: the checklist
    # names it by its GroupName.
    vpc = next(g["VpcId"] for g in document["SecurityGroups"] if g["GroupId"] == ORDERS_SG)
    document["SecurityGroups"].append(
        {
            "GroupId": "sg-0badbadbadbadbad0",
            "GroupName": HOSTILE,
            "Description": LONG,
            "VpcId": vpc,
            "OwnerId": "482917365014",
            "IpPermissions": [
                {
                    "IpProtocol": "tcp",
                    "FromPort": 5432,
                    "ToPort": 5432,
                    "UserIdGroupPairs": [{"GroupId": ORDERS_SG, "Description": HOSTILE}],
                    "IpRanges": [],
                    "Ipv6Ranges": [],
                    "PrefixListIds": [],
                }
            ],
            "IpPermissionsEgress": [],
        }
    )


def _enis(document: dict[str, Any]) -> None:
    for eni in document["NetworkInterfaces"]:
        eni["Description"] = HOSTILE
        _tag(eni, "TagSet")


def _zones(document: dict[str, Any]) -> None:
    for zone in document["HostedZones"]:
        zone.setdefault("Config", {})["Comment"] = HOSTILE


def _rules(document: dict[str, Any]) -> None:
    for rule in document["ResolverRules"]:
        rule["Name"] = HOSTILE


TAGGED = {
    "describe-subnets": "Subnets",
    "describe-route-tables": "RouteTables",
    "describe-nat-gateways": "NatGateways",
    "describe-vpcs": "Vpcs",
    "describe-internet-gateways": "InternetGateways",
    "describe-network-acls": "NetworkAcls",
    "describe-vpc-endpoints": "VpcEndpoints",
    "describe-vpc-peering-connections": "VpcPeeringConnections",
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> str:
    snap = tmp_path_factory.mktemp("hostile") / "snapshot"
    shutil.copytree(DEMO, snap)
    _edit(snap, "ec2/describe-security-groups.json", _security_groups)
    _edit(snap, "ec2/describe-network-interfaces.json", _enis)
    _edit(snap, "route53/list-hosted-zones.json", _zones)
    _edit(snap, "route53resolver/list-resolver-rules.json", _rules)
    for name, key in TAGGED.items():
        _edit(snap, f"ec2/{name}.json", lambda d, key=key: [_tag(r) for r in d[key]])
    for path in (snap / "lambda").glob("get-function-configuration@*.json"):
        _edit(snap, str(path.relative_to(snap)), lambda d: d.update(Description=HOSTILE))
    return str(snap)


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VPCDOCTOR_NO_CACHE", "1")


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code in (0, 1, 3), (code, err)
    assert "Traceback" not in out + err
    return out


def _assert_terminal_safe(out: str) -> None:
    for byte in FORBIDDEN:
        assert byte not in out, f"{byte!r} reached the output"
    # Sequences are shown, escaped, never sent: every one begins with the visible \\x1b
    # (Markdown escapes the backslash and the bracket too: \\\\x1b\\[31m).
    for sequence in ("]8;;", "[31m", "[2J"):
        shown = re.findall(r"x1b\\?" + re.escape(sequence), out)
        assert out.count(sequence) == len(shown), f"{sequence!r} reached the output unescaped"


def _assert_literal(out: str) -> None:
    """The hostile value is there, readable: its markup as text, its line break gone."""
    assert f"HOSTILE{MARKUP}" in out, "markup must be shown as literal text"
    assert "#h\\nNL\\rCR" in out  # \n and \r shown as escapes: no forged line


# --------------------------------------------------------------------------------------------
# check: text, JSON, Markdown, Mermaid
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("function", "target"), CHECKS)
def test_check_text_is_literal(
    hostile: str, capsys: pytest.CaptureFixture[str], function: str, target: str
) -> None:
    out = _cli(capsys, "check", "--snapshot", hostile, "-f", function, "-t", target)
    _assert_terminal_safe(out)
    if "HOSTILE" in out:
        _assert_literal(out)


def test_hostile_strings_reach_the_outputs(
    hostile: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Guard: the fixture really puts hostile text in front of the renderers."""
    shown = 0
    for function, target in CHECKS:
        out = _cli(capsys, "check", "--snapshot", hostile, "-f", function, "-t", target)
        shown += "HOSTILE" in out
    assert shown >= 3


@pytest.mark.parametrize(("function", "target"), CHECKS)
def test_check_json_keeps_the_original_value(
    hostile: str, capsys: pytest.CaptureFixture[str], function: str, target: str
) -> None:
    out = _cli(
        capsys, "check", "--snapshot", hostile, "-f", function, "-t", target, "--format", "json"
    )
    document = json.loads(out)  # valid JSON, whatever the strings
    details = [h["detail"] for p in document["paths"] for h in p["hops"]]
    if any("HOSTILE" in d for d in details):
        assert any(HOSTILE in d for d in details), "JSON is data: the value is kept exactly"


_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


@pytest.mark.parametrize(("function", "target"), CHECKS)
def test_check_markdown_is_escaped(
    hostile: str, capsys: pytest.CaptureFixture[str], function: str, target: str
) -> None:
    out = _cli(
        capsys,
        "check",
        "--snapshot",
        hostile,
        "-f",
        function,
        "-t",
        target,
        "--format",
        "markdown",
    )
    _assert_terminal_safe(out)
    assert "<script>" not in out and "</script>" not in out  # no raw HTML
    assert "[link=" not in out.replace("\\[link=", "")  # no live Markdown link syntax either
    header_cells = None
    for line in out.splitlines():
        if line.startswith("| | hop |"):
            header_cells = len(_UNESCAPED_PIPE.findall(line))
        elif line.startswith("|") and header_cells is not None:
            assert len(_UNESCAPED_PIPE.findall(line)) == header_cells, line[:200]
    assert header_cells is not None
    if "HOSTILE" in out:
        assert "HOSTILE\\[bold\\]" in out and "\\<script\\>" in out and "\\`tick\\`" in out


_ENTITY = re.compile(r"#(?:\d+|quot|lt|gt);")


def _assert_mermaid_intact(out: str) -> None:
    _assert_terminal_safe(out)
    lines = out.splitlines()
    assert lines[0] == "flowchart LR"
    for line in lines[1:]:
        stripped = line.strip()
        if stripped.startswith(("subgraph ", "fn[")) or re.match(r"p\d+h\d+\[", stripped):
            body = stripped.split('["', 1)[1]
            assert body.endswith('"]'), line
            label = _ENTITY.sub("", body[:-2].replace("<br/>", ""))
            assert not set(label) & set('"[](){}|<>`;#'), line
            assert "%%" not in label
        else:
            assert re.fullmatch(
                r"direction LR|end|\w+ --> \w+|classDef .*|class [\w,]+ \w+", stripped
            ), line


@pytest.mark.parametrize(("function", "target"), CHECKS)
def test_check_mermaid_is_intact(
    hostile: str, capsys: pytest.CaptureFixture[str], function: str, target: str
) -> None:
    out = _cli(
        capsys,
        "check",
        "--snapshot",
        hostile,
        "-f",
        function,
        "-t",
        target,
        "--format",
        "mermaid",
    )
    _assert_mermaid_intact(out)


def test_mermaid_label_escapes_every_syntax_character() -> None:
    label = mermaid_label(HOSTILE + ' "]) --> x["evil"] %% init')
    assert not set(_ENTITY.sub("", label)) & set('"[](){}|<>`;%#\n\r')
    assert "HOSTILE" in label and "#91;bold#93;" in label
    for byte in FORBIDDEN:
        assert byte not in label


def test_markdown_inline_escapes_and_fences_hold() -> None:
    cell = markdown_inline(HOSTILE)
    assert _UNESCAPED_PIPE.search(cell) is None and "\n" not in cell
    assert "<" not in cell.replace("\\<", "") and "`" not in cell.replace("\\`", "")
    opening, code, closing = fenced("echo ```; rm -rf /\n```", "sh")
    assert opening == "````sh" and closing == "````" and "```" in code


def test_clean_shows_sequences_and_keeps_text() -> None:
    text = clean(HOSTILE)
    assert text.startswith(f"HOSTILE{MARKUP} \\x1b[31mR\\x1b[0m")  # shown, not run
    assert "evil.example\\x07" in text and "\\u202eRTL\\u200bzw" in text
    assert clean(LONG, limit=100) == LONG[:99] + "…"
    assert clean("a\nb", multiline=True) == "a\nb" and clean("a\nb") == "a\\nb"


# --------------------------------------------------------------------------------------------
# walk, audit, dns
# --------------------------------------------------------------------------------------------


def test_walk_text_and_markdown_quote_names_literally(
    hostile: str, capsys: pytest.CaptureFixture[str]
) -> None:
    text = _cli(capsys, "walk", "--snapshot", hostile, "-f", "orders-api")
    markdown = _cli(
        capsys, "walk", "--snapshot", hostile, "-f", "orders-api", "--format", "markdown"
    )
    for out in (text, markdown):
        _assert_terminal_safe(out)
        assert "HOSTILE" in out, "the checklist quotes sg-0badbadbadbadbad0 by its name"
    assert f"HOSTILE{MARKUP}" in text
    assert "<script>" not in markdown and "HOSTILE\\[bold\\]" in markdown
    walk_json = json.loads(
        _cli(capsys, "walk", "--snapshot", hostile, "-f", "orders-api", "--format", "json")
    )
    assert "HOSTILE" in json.dumps(walk_json)


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_audit_is_safe(hostile: str, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    out = _cli(capsys, "audit", "--snapshot", hostile, "-f", "orders-api", "--format", fmt)
    if fmt == "json":
        json.loads(out)
        return
    _assert_terminal_safe(out)
    assert "<script>" not in out


@pytest.mark.parametrize(
    ("name", "scope"),
    [
        ("ldap.onprem.local", ["--function", "directory-sync"]),
        ("api.corp.internal", ["--function", "orders-api"]),
    ],
)
def test_dns_text_is_literal(
    hostile: str, capsys: pytest.CaptureFixture[str], name: str, scope: list[str]
) -> None:
    out = _cli(capsys, "dns", name, *scope, "--snapshot", hostile)
    _assert_terminal_safe(out)
    if "HOSTILE" in out:
        assert f"HOSTILE{MARKUP}" in out
    json.loads(_cli(capsys, "dns", name, *scope, "--snapshot", hostile, "--format", "json"))
