"""No tracebacks, ever: every CLI command run as a real process with bad input.

Each bad invocation exits 2 with one clear line on stderr that names the problem, and no
"Traceback" anywhere. Live mode is tried with fake credentials against a closed port on
127.0.0.1 (no AWS traffic). A reader that goes away (``| head -1``) ends the process quietly.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import ROOT

DEMO = str(ROOT / "graph" / "demo" / "snapshot")
VPC = "vpc-0135f36302291c303"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        HOME=str(home),
        VPCDOCTOR_NO_CACHE="1",
        AWS_EC2_METADATA_DISABLED="true",
        AWS_CONFIG_FILE=str(home / "no-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(home / "no-credentials"),
        PYTHONWARNINGS="ignore",
    )
    env.update(extra)
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vpcdoctor", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=90,
        cwd=ROOT,
    )


def _assert_one_clear_line(result: subprocess.CompletedProcess[str], *names: str) -> None:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.startswith("vpcdoctor")]
    assert len(lines) == 1, result.stderr
    for name in names:
        assert name in lines[0], (name, lines[0])
    assert result.stdout == ""


@pytest.fixture(scope="module")
def bad_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("bad")
    (base / "empty").mkdir()
    (base / "readme").mkdir()
    (base / "readme" / "README").write_text("exports go here\n")
    (base / "corrupt").mkdir()
    (base / "corrupt" / "describe-vpcs.json").write_text('{"Vpcs": [')
    (base / "a-file.json").write_text("{}")
    return {
        "missing": base / "does-not-exist",
        "file": base / "a-file.json",
        "empty": base / "empty",
        "readme": base / "readme",
        "corrupt": base / "corrupt",
    }


SNAPSHOT_PROBLEMS = {
    "missing": "no such directory",
    "file": "not a directory",
    "empty": "not a snapshot",
    "readme": "not a snapshot",
    "corrupt": "describe-vpcs.json",
}
COMMANDS = {
    "check": ["check", "-f", "orders-api", "-t", "s3"],
    "audit": ["audit"],
    "walk": ["walk", "-f", "orders-api"],
    "dns": ["dns", "api.corp.internal", "--vpc", VPC],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("problem", sorted(SNAPSHOT_PROBLEMS))
def test_unusable_snapshot(
    tmp_path: Path, bad_dirs: dict[str, Path], command: str, problem: str
) -> None:
    result = _run([*COMMANDS[command], "--snapshot", str(bad_dirs[problem])], _env(tmp_path))
    _assert_one_clear_line(result, SNAPSHOT_PROBLEMS[problem])


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["check", "-f", "orders-apj", "-t", "s3"], "orders-api"),  # nearest match listed
        (["walk", "-f", "orders-apj"], "orders-apj"),
        (["dns", "x.example", "--function", "orders-apj"], "orders-apj"),
        (["audit", "-f", "zz*"], "zz*"),
        (["dns", "x.example", "--vpc", "vpc-nope"], "vpc-nope"),
    ],
    ids=["check", "walk", "dns", "audit-glob", "dns-vpc"],
)
def test_unknown_function_or_vpc(tmp_path: Path, args: list[str], says: str) -> None:
    _assert_one_clear_line(_run([*args, "--snapshot", DEMO], _env(tmp_path)), says)


BAD_TARGETS = {
    "port-too-big": (":99999", "99999"),
    "unclosed-ipv6": ("[::1", "]"),
    "url-without-host": ("http://", "no host"),
    "empty": ("", "empty target"),
    "300-char-name": ("a" * 300, "target"),
    "empty-label": ("a..b", "a..b"),
    "port-zero": ("host:0", "port 0"),
    "space": ("a b", "spaces"),
    "escape": ("a\x1b[31mb", "control"),
}


@pytest.mark.parametrize("name", sorted(BAD_TARGETS))
@pytest.mark.parametrize("command", ["check", "audit", "walk"])
def test_bad_target(tmp_path: Path, name: str, command: str) -> None:
    target, says = BAD_TARGETS[name]
    args = ["check", "-f", "orders-api"] if command == "check" else [command]
    if command == "walk":
        args += ["-f", "orders-api"]
    result = _run([*args, "-t", target, "--snapshot", DEMO], _env(tmp_path))
    _assert_one_clear_line(result, says)
    assert "\x1b" not in result.stderr  # the hostile target is not echoed raw


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--nameserver", "999.1.1.1"], "999.1.1.1"),
        (["--nameserver", "1.2.3.4:0"], "1.2.3.4:0"),
        (["--nameserver", "[::1"], "[::1"),
        (["--nameserver", "127.0.0.1", "--timeout", "-1"], "--timeout"),
        (["--nameserver", "127.0.0.1", "--tries", "0"], "--tries"),
    ],
)
def test_bad_dns_arguments(tmp_path: Path, args: list[str], says: str) -> None:
    _assert_one_clear_line(_run(["dns", "api.example.com", *args], _env(tmp_path)), says)


@pytest.mark.parametrize("name", ["", "a..b", "x" * 300, "-leading.example"])
def test_bad_dns_name(tmp_path: Path, name: str) -> None:
    result = _run(["dns", "--vpc", VPC, "--snapshot", DEMO, "--", name], _env(tmp_path))
    _assert_one_clear_line(result)


def test_export_without_a_directory(tmp_path: Path) -> None:
    _assert_one_clear_line(_run(["export"], _env(tmp_path)), "DIR")


def test_export_print_cli_needs_no_aws(tmp_path: Path) -> None:
    result = _run(["export", "--print-cli"], _env(tmp_path))
    assert result.returncode == 0 and "aws ec2 describe-vpcs" in result.stdout
    assert "Traceback" not in result.stderr


# --------------------------------------------------------------------------------------------
# Live mode without AWS: fake credentials, endpoint on a closed port of 127.0.0.1
# --------------------------------------------------------------------------------------------

LIVE_COMMANDS = {
    "check": ["check", "-f", "orders-api", "-t", "s3"],
    "audit": ["audit"],
    "walk": ["walk", "-f", "orders-api"],
    "dns": ["dns", "api.corp.internal", "--function", "orders-api"],
    "export": ["export", "{tmp}/out"],
}


def _live(tmp_path: Path, command: str, **env: str) -> subprocess.CompletedProcess[str]:
    args = [a.replace("{tmp}", str(tmp_path)) for a in LIVE_COMMANDS[command]]
    return _run(args, _env(tmp_path, **env))


@pytest.mark.parametrize("command", sorted(LIVE_COMMANDS))
def test_live_endpoint_on_a_closed_port(tmp_path: Path, command: str) -> None:
    result = _live(
        tmp_path,
        command,
        AWS_ACCESS_KEY_ID="AKIAFAKEFAKEFAKEFAKE",
        AWS_SECRET_ACCESS_KEY="fake/secret/key",
        AWS_DEFAULT_REGION="ap-northeast-1",
        AWS_ENDPOINT_URL=f"http://127.0.0.1:{_closed_port()}",
        AWS_MAX_ATTEMPTS="1",
    )
    _assert_one_clear_line(result, "127.0.0.1")
    assert "fake/secret/key" not in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize("command", sorted(LIVE_COMMANDS))
def test_live_without_credentials(tmp_path: Path, command: str) -> None:
    result = _live(tmp_path, command, AWS_DEFAULT_REGION="ap-northeast-1")
    _assert_one_clear_line(result, "credentials")


def test_live_unknown_profile(tmp_path: Path) -> None:
    result = _run(["check", "-f", "x", "-t", "s3", "--profile", "nosuch"], _env(tmp_path))
    _assert_one_clear_line(result, "nosuch")


def test_live_without_region(tmp_path: Path) -> None:
    result = _live(
        tmp_path,
        "check",
        AWS_ACCESS_KEY_ID="AKIAFAKEFAKEFAKEFAKE",
        AWS_SECRET_ACCESS_KEY="fake",
    )
    _assert_one_clear_line(result, "region")


# --------------------------------------------------------------------------------------------
# The reader goes away
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["check", "-f", "public-subnet", "-t", "1.1.1.1:443"],
        ["walk", "-f", "public-subnet"],
        ["dns", "api.corp.internal", "--vpc", VPC],
        ["audit"],
        ["audit", "--format", "json"],
    ],
    ids=["check", "walk", "dns", "audit", "audit-json"],
)
def test_head_closes_the_pipe(tmp_path: Path, args: list[str]) -> None:
    """``vpcdoctor … | head -1``: no traceback, no "Exception ignored", and an exit code that is
    either the command's answer (everything was written) or 141 (SIGPIPE), never a verdict
    that was not reached."""
    process = subprocess.Popen(
        [sys.executable, "-m", "vpcdoctor", *args, "--snapshot", DEMO],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(tmp_path),
        cwd=ROOT,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # what head does after its first line
    stderr = process.stderr.read().decode()
    code = process.wait(timeout=90)
    assert first
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    assert stderr == ""
    assert code in (141, 0, 1, 3), code
    if args[0] == "check":
        assert code in (141, 1)  # public-subnet cannot reach the internet: never 0
