"""A what-if file's words are the words ``shlex.split`` reads; shell features are refused."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vpcdoctor.errors import WhatIfError
from vpcdoctor.graph.whatif.lexer import VarRef, split_commands

_SAFE = st.text(
    alphabet=st.characters(
        codec="utf-8",
        exclude_characters="\n\r\x00'\"\\$`|;&<>()#",
        exclude_categories=("Cs", "Cc", "Zs"),
    ),
    min_size=1,
    max_size=12,
)


def _quoted(word: str, style: int) -> str:
    if style == 0:
        return shlex.quote(word)
    if style == 1:
        return '"' + word + '"'
    return "".join("\\" + c for c in word)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_SAFE, st.integers(0, 2)), min_size=1, max_size=6))
def test_words_are_shlex_words(words: list[tuple[str, int]]) -> None:
    line = "aws " + " ".join(_quoted(w, s) for w, s in words)
    (command,) = split_commands(line)
    assert [w.literal for w in command.words] == shlex.split(line)


@pytest.mark.parametrize(
    "line",
    [
        'aws ec2 create-security-group --group-name \'a b\' --description "it\'s \\"x\\""',
        "aws lambda x --vpc-config 'SubnetIds=a,b,SecurityGroupIds=c' --y \"\"",
        'aws ec2 modify-vpc-attribute --vpc-id vpc-1 --enable-dns-hostnames "{\\"Value\\":true}"',
        "aws ec2 x --ip-permissions IpProtocol=tcp,FromPort=443,IpRanges=[{CidrIp=0.0.0.0/0}]",
        "aws a b\\ c 'd''e' f\"g\"h",
    ],
)
def test_quoting_as_shlex_reads_it(line: str) -> None:
    (command,) = split_commands(line)
    assert [w.literal for w in command.words] == shlex.split(line)


def test_continuations_comments_and_line_numbers() -> None:
    text = (
        "# a comment\n"
        "\n"
        "aws ec2 create-route \\\n"
        "  --route-table-id rtb-1   # trailing comment\n"
        "aws ec2 x a#b\n"
    )
    first, second = split_commands(text)
    assert first.line == 3
    assert [w.literal for w in first.words] == [
        "aws",
        "ec2",
        "create-route",
        "--route-table-id",
        "rtb-1",
    ]
    assert second.line == 5
    assert second.words[-1].literal == "a#b"  # as in a shell (shlex would cut it)


def test_capture_assignment_and_variables() -> None:
    text = (
        "EIP=$(aws ec2 allocate-address --domain vpc --query AllocationId --output text)\n"
        "X=rtb-1\n"
        "aws ec2 create-nat-gateway --allocation-id \"$EIP\" --x ${X} --y '$EIP'\n"
    )
    capture, assign, use = split_commands(text)
    assert capture.capture == "EIP" and capture.words[0].literal == "aws"
    assert assign.assign is not None and assign.assign[0] == "X"
    assert use.words[4].parts == (VarRef("EIP"),)
    assert use.words[6].parts == (VarRef("X"),)
    assert use.words[8].literal == "$EIP"  # single quotes: no expansion, as in a shell


def test_and_chain_is_two_commands_on_one_line() -> None:
    a, b = split_commands("aws ec2 a && aws ec2 b\n")
    assert (a.line, b.line) == (1, 1)
    assert b.words[2].literal == "b"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("aws ec2 a\naws ec2 b | jq .", 2),
        ("aws ec2 a; aws ec2 b", 1),
        ("aws ec2 a || true", 1),
        ("aws ec2 a &", 1),
        ("aws ec2 a > out.json", 1),
        ("\naws ec2 a --x $(cat f)", 2),
        ("aws ec2 a --x `cat f`", 1),
        ('aws ec2 a --x "$(cat f)"', 1),
        ("X=$(aws ec2 a) aws ec2 b", 1),
        ("AWS_REGION=x aws ec2 a", 1),
        ("aws ec2 a 'unclosed", 1),
        ("(aws ec2 a)", 1),
        ("aws ec2 a && && aws ec2 b", 1),
    ],
)
def test_shell_features_are_errors_naming_the_line(text: str, line: int) -> None:
    with pytest.raises(WhatIfError) as caught:
        split_commands(text)
    assert caught.value.line == line


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from("aws ec2 -=$(){}[]'\"\\`|;&<>#\n\t,.xyZ_0"), max_size=60))
def test_any_text_is_words_or_one_error(text: str) -> None:
    try:
        commands = split_commands(text)
    except WhatIfError as error:
        assert error.line is not None and error.line >= 1
    else:
        assert all(c.line >= 1 for c in commands)
