"""AWS CLI commands that are safe to paste: every value checked for its kind, every word quoted.

A snapshot is written by someone else, so every name, id and CIDR in it is untrusted. A fix is
therefore never built by string interpolation: it is a :class:`Command`, a tuple of argv words,
and its text is :func:`shlex.join` of them, so no value can end the command, start another one
or expand anything in the shell it is pasted into.

Before a value becomes a word it is checked against the syntax AWS gives that kind of value
(:data:`PATTERNS`: a Lambda function name is ``[A-Za-z0-9_-]{1,64}``, a route table id is
``rtb-`` and lower-case hex, a CIDR parses as one…). A value that does not match is not put in
the command at all: the word becomes a placeholder naming what is missing, and the command
lists it in :attr:`Command.suspicious`, so the verdict can say the snapshot holds a value AWS
would never print (a hostile or hand-edited snapshot).

Resource ids accept lower-case letters as well as hex digits after the prefix (``rtb-priv``):
hand-written snapshots and tests use readable ids, and the set still excludes every character
a shell treats specially.
"""

from __future__ import annotations

import ipaddress
import re
import shlex
from collections.abc import Iterable
from dataclasses import dataclass

_ID = r"[0-9a-z](?:[0-9a-z-]{0,62}[0-9a-z])?"

#: The syntax of each kind of value that goes into a command (full match).
PATTERNS: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern)
    for name, pattern in {
        "vpc": rf"vpc-{_ID}",
        "subnet": rf"subnet-{_ID}",
        "route-table": rf"rtb-{_ID}",
        "network-acl": rf"acl-{_ID}",
        "security-group": rf"sg-{_ID}",
        "internet-gateway": rf"igw-{_ID}",
        "egress-only-internet-gateway": rf"eigw-{_ID}",
        "nat-gateway": rf"nat-{_ID}",
        "vpc-endpoint": rf"vpce-{_ID}",
        "peering-connection": rf"pcx-{_ID}",
        "transit-gateway": rf"tgw-{_ID}",
        "transit-gateway-attachment": rf"tgw-attach-{_ID}",
        "transit-gateway-route-table": rf"tgw-rtb-{_ID}",
        "virtual-private-gateway": rf"vgw-{_ID}",
        "vpn-connection": rf"vpn-{_ID}",
        "network-interface": rf"eni-{_ID}",
        "instance": rf"i-{_ID}",
        "allocation": rf"eipalloc-{_ID}",
        "prefix-list": rf"pl-{_ID}",
        "dhcp-options": rf"dopt-{_ID}",
        "function-name": r"[A-Za-z0-9_-]{1,64}",
        "hosted-zone": r"Z[0-9A-Z]{1,32}",
        "resolver-rule": rf"rslvr-(?:autodefined-)?rr-{_ID}",
        "resolver-endpoint": rf"rslvr-(?:in|out)-{_ID}",
        "region": r"[a-z]{2}(?:-[a-z]+)+-\d{1,2}",
        "availability-zone": r"[a-z]{2}(?:-[a-z]+)+-\d{1,2}[a-z]",
        "account": r"\d{12}",
        "service-name": r"(?:com|aws)\.[a-z0-9-]+(?:\.[a-z0-9-]+)+",
        "dns-name": r"(?:\*\.)?[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,251}[A-Za-z0-9_])?",
        "db-identifier": r"[A-Za-z][A-Za-z0-9-]{0,62}",
        "protocol": r"(?:-1|tcp|udp|icmp|icmpv6|\d{1,3})",
        "port-range": r"From=\d{1,5},To=\d{1,5}",
    }.items()
}


@dataclass(frozen=True, slots=True)
class Suspicious:
    """A value that is not valid for its kind and was kept out of a command."""

    kind: str
    value: str


@dataclass(frozen=True, slots=True)
class Command:
    """One AWS CLI command as argv words (``("aws", "ec2", "create-route", …)``)."""

    argv: tuple[str, ...]
    suspicious: tuple[Suspicious, ...] = ()
    """Values refused for this command (each replaced by a placeholder word)."""
    capture: str | None = None
    """The shell variable this command's output is stored in (``NAT=$(aws … --query …
    --output text)``), for a later command of the same fix to use as :class:`Var`."""
    refs: tuple[str, ...] = ()
    """Shell variables (set by an earlier command's :attr:`capture`) that words of ``argv``
    use, written ``$NAME`` in the word; only these are expanded in :attr:`text`."""

    @property
    def text(self) -> str:
        """The command as one shell-safe line."""
        line = (
            " ".join(_shell_word(w, self.refs) for w in self.argv)
            if self.refs
            else (shlex.join(self.argv))
        )
        return f"{self.capture}=$({line})" if self.capture else line

    def __str__(self) -> str:
        return self.text


_VAR_NAME = re.compile(r"[A-Z_][A-Z0-9_]{0,63}")


def _shell_word(word: str, refs: tuple[str, ...]) -> str:
    """``word`` quoted for a shell, its ``$NAME`` references (NAME in ``refs``) left to expand."""
    names = "|".join(re.escape(r) for r in sorted(refs, key=len, reverse=True))
    parts = re.split(rf"\$({names})(?![A-Za-z0-9_])", word)
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(f'"${part}"')
        elif part:
            out.append(shlex.quote(part))
    return "".join(out) or "''"


class Var:
    """A word that is the value of a shell variable an earlier command captured (``"$NAT"``).

    ``Var("NAT")`` in :func:`aws` (or :meth:`Cmd.var`) becomes the word ``$NAT`` and the command
    lists ``NAT`` in :attr:`Command.refs`, so its text expands it (``--nat-gateway-id "$NAT"``)
    while every other word stays quoted.
    """

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        if not _VAR_NAME.fullmatch(name):
            raise ValueError(f"not a shell variable name vpcdoctor uses: {name!r}")
        self.name = name

    def __str__(self) -> str:
        return f"${self.name}"


def placeholder(kind: str) -> str:
    """The word that stands where a value is unknown or was refused (``<route-table>``)."""
    return f"<{kind}>"


def checked(kind: str, value: object) -> tuple[str, Suspicious | None]:
    """``value`` as a word if it is valid for ``kind``, else a placeholder and why.

    CIDRs and ports are re-rendered from their parsed form (so ``10.0.0.1/8`` is refused and
    ``10.0.0.0/8`` kept); every other kind must match :data:`PATTERNS` in full.
    """
    text = str(value)
    if kind in ("cidr", "ipv4-cidr", "ipv6-cidr"):
        try:
            net = ipaddress.ip_network(text, strict=True)
        except ValueError:
            return placeholder(kind), Suspicious(kind=kind, value=text)
        if (kind == "ipv4-cidr" and net.version != 4) or (kind == "ipv6-cidr" and net.version != 6):
            return placeholder(kind), Suspicious(kind=kind, value=text)
        return str(net), None
    if kind == "ip":
        try:
            return str(ipaddress.ip_address(text)), None
        except ValueError:
            return placeholder(kind), Suspicious(kind=kind, value=text)
    if kind in ("port", "number"):
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 65535 * 1024:
            return str(value), None
        return placeholder(kind), Suspicious(kind=kind, value=text)
    pattern = PATTERNS.get(kind)
    if pattern is None:
        raise KeyError(f"no syntax is known for values of kind {kind!r}")
    if pattern.fullmatch(text):
        return text, None
    return placeholder(kind), Suspicious(kind=kind, value=text)


class Arg:
    """One value for an option, with the kind that says how to check it."""

    __slots__ = ("kind", "value")

    def __init__(self, kind: str, value: object) -> None:
        self.kind = kind
        self.value = value


Word = str | Arg | Var
"""A literal word (an operation, an option name: vpcdoctor's own text), a checked value, or a
variable an earlier command captured."""


def aws(
    service: str,
    operation: str,
    *words: Word | Iterable[Word] | None,
    capture: str | None = None,
) -> Command:
    """Build ``aws SERVICE OPERATION WORDS…``; ``None`` and empty groups are left out.

    Literal strings are vpcdoctor's own (operation and option names, fixed values); everything
    that comes from a snapshot is passed as an :class:`Arg` and checked.

    Example::

        aws("ec2", "create-route", "--route-table-id", Arg("route-table", rtb.id),
            "--destination-cidr-block", Arg("cidr", "0.0.0.0/0"),
            "--nat-gateway-id", Arg("nat-gateway", nat.id))
    """
    argv: list[str] = ["aws", service, operation]
    refused: list[Suspicious] = []
    refs: list[str] = []
    for word in words:
        group = (word,) if isinstance(word, str | Arg | Var) or word is None else tuple(word)
        for w in group:
            if w is None:
                continue
            if isinstance(w, Var):
                argv.append(str(w))
                refs.append(w.name)
            elif isinstance(w, Arg):
                text, bad = checked(w.kind, w.value)
                argv.append(text)
                if bad is not None:
                    refused.append(bad)
            else:
                argv.append(w)
    if capture is not None and not _VAR_NAME.fullmatch(capture):
        raise ValueError(f"not a shell variable name vpcdoctor uses: {capture!r}")
    return Command(
        argv=tuple(argv),
        suspicious=tuple(refused),
        capture=capture,
        refs=tuple(dict.fromkeys(refs)),
    )


class Cmd:
    """A command built word by word, for values that sit inside a larger word.

    ``val`` checks a value and returns its text (or a placeholder), remembering a refusal, so a
    composed word such as ``IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=…}]``
    holds only checked values and vpcdoctor's own syntax; :meth:`build` quotes every word.

    Example::

        c = Cmd("ec2", "authorize-security-group-ingress")
        c.opt("--group-id", "security-group", group_id)
        c.raw("--ip-permissions", f"IpProtocol=tcp,FromPort={c.val('port', 443)},"
              f"ToPort={c.val('port', 443)},IpRanges=[{{CidrIp={c.val('cidr', cidr)}}}]")
        command = c.build()
    """

    def __init__(self, service: str, operation: str, *, capture: str | None = None) -> None:
        self._argv: list[str] = ["aws", service, operation]
        self._refused: list[Suspicious] = []
        self._refs: list[str] = []
        if capture is not None and not _VAR_NAME.fullmatch(capture):
            raise ValueError(f"not a shell variable name vpcdoctor uses: {capture!r}")
        self._capture = capture

    def var(self, name: str) -> str:
        """The text ``$NAME`` of a captured variable, for use inside a composed word."""
        self._refs.append(Var(name).name)
        return f"${name}"

    def val(self, kind: str, value: object) -> str:
        text, bad = checked(kind, value)
        if bad is not None:
            self._refused.append(bad)
        return text

    def opt(self, option: str, kind: str | None = None, value: object = None) -> Cmd:
        """``option`` alone (a flag, when ``kind`` is None) or followed by a checked value."""
        self._argv.append(option)
        if kind is not None:
            self._argv.append(self.val(kind, value))
        return self

    def raw(self, option: str, word: str) -> Cmd:
        """``option`` followed by a word composed from :meth:`val` results and literals."""
        self._argv.extend((option, word))
        return self

    def build(self) -> Command:
        return Command(
            argv=tuple(self._argv),
            suspicious=tuple(self._refused),
            capture=self._capture,
            refs=tuple(dict.fromkeys(self._refs)),
        )


def join(commands: Iterable[Command | str], sep: str = " && ") -> str:
    """Several commands (or prose steps) as one line, in order."""
    return sep.join(c.text if isinstance(c, Command) else c for c in commands)
