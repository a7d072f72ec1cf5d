"""The generic walker: a packet moves from node to node of the graph, one handler per node kind.

A walk starts at a position (:class:`At`: a graph node, the :class:`Stage` the packet is in
there, the subnet it is in) and asks the handler registered for that node's kind
(:mod:`vpcdoctor.graph.engine.hops`) what happens. A handler answers with a :class:`Step`: the
hops it decided (pass / fail / unknown, with evidence, code and fix), the positions to visit
next — in order, before whatever was already pending, so a handler can say "the network ACL of
this subnet, then the route table" — a replacement packet after a translation (a NAT gateway
rewrites the source), or an end (:class:`Disposition`).

The walker knows nothing of AWS: it dispatches, stops at the first failing hop (a packet that
is dropped goes no further), keeps going after an unknown hop when the handler named a next
position (a firewall whose policy the snapshot cannot decide: what comes after it can still
fail for certain), and gives up with an unknown ``ROUTING_LOOP`` hop after too many steps.

The reply is a second walk, from the destination back to the function's address, through the
same handlers with the packet's direction set to :attr:`Direction.REPLY`: security groups are
stateful and let it pass; network ACLs and routes are not, so they are checked again on the way
back (knowledge-facts R11).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from vpcdoctor.graph.engine.endpoint import Endpoint
from vpcdoctor.graph.engine.filters import EPHEMERAL
from vpcdoctor.graph.engine.network import Network
from vpcdoctor.graph.model import LambdaFunction
from vpcdoctor.graph.model.verdict import (
    Direction,
    FixOption,
    Hop,
    HopKind,
    HopStatus,
    Target,
    Warning,
)

MAX_STEPS = 200
"""Positions one walk may visit: far more than any real path (a few VPCs and TGWs)."""


class Stage(StrEnum):
    """Where a packet is at a node; each handler reads the stages that apply to it."""

    START = "start"
    """The function itself (its state, its Hyperplane ENI)."""
    EGRESS = "egress"
    """A security group of the sender checks what leaves."""
    LEAVE = "leave"
    """The packet leaves a subnet: delivered in the same subnet, else NACL out, then routed."""
    OUT = "out"
    """A network ACL checks what leaves its subnet."""
    ROUTE = "route"
    """A route table (of a subnet, of a transit gateway) picks the next hop."""
    ENTER = "enter"
    """A route target receives the packet (a gateway, a peering, the VPC's local route)."""
    ARRIVE = "arrive"
    """The packet arrives in a subnet for something there: NACL in (when it crossed), then it."""
    IN = "in"
    """A network ACL checks what enters its subnet."""
    RECEIVE = "receive"
    """A network interface receives the packet."""
    INGRESS = "ingress"
    """A security group of the receiver checks what arrives."""
    DELIVER = "deliver"
    """What owns the receiving interface decides (an instance, a database, an endpoint…)."""
    FORWARD = "forward"
    """A gateway or appliance sends the packet on after translating it (NAT)."""
    EXIT = "exit"
    """A transit gateway hands the packet out through one of its attachments."""


class Disposition(StrEnum):
    """How a walk ended (Batfish's flow dispositions, in vpcdoctor's words)."""

    DELIVERED = "delivered"
    EXITS_INTERNET = "exits-internet"
    EXITS_SERVICE = "exits-aws-service"
    DENIED = "denied"
    NO_ROUTE = "no-route"
    NULL_ROUTED = "null-routed"
    NOT_DELIVERED = "not-delivered"
    """It arrived, but nothing answers (a stopped instance, a Lambda ENI, no listener)."""
    HANDED_OFF = "handed-off"
    """To something the snapshot does not describe (on-premises, another Region, a firewall)."""
    UNKNOWN = "unknown"
    LOOP = "loop"

    @property
    def arrived(self) -> bool:
        """True when the request got where it was going (so a reply walk follows)."""
        return self in (
            Disposition.DELIVERED,
            Disposition.EXITS_INTERNET,
            Disposition.EXITS_SERVICE,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Translation:
    """A source rewrite on the way out (a NAT), undone on the way back."""

    node: str
    """The NAT gateway or NAT instance that translated."""
    inside: Endpoint
    """The source before (the function's address)."""
    outside: Endpoint
    """The source after (the NAT's address)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Packet:
    """A flow as the routers see it at one point of the walk."""

    src: Endpoint
    dst: Endpoint
    protocol: str = "6"
    """Protocol number as a string (``6`` TCP, ``17`` UDP)."""
    port: int = 443
    """The service port (the request's destination port)."""
    direction: Direction = Direction.REQUEST
    nat: tuple[Translation, ...] = ()
    """Translations applied to the request so far (the reply undoes them, last first)."""

    @property
    def dst_ports(self) -> tuple[int, int]:
        """The destination ports of this packet: the service port, or the ephemeral range."""
        return (self.port, self.port) if self.direction is Direction.REQUEST else EPHEMERAL

    @property
    def reply(self) -> bool:
        return self.direction is Direction.REPLY

    @property
    def protocol_name(self) -> str:
        return {"6": "tcp", "17": "udp", "1": "icmp", "-1": "all"}.get(self.protocol, self.protocol)

    def reversed(self) -> Packet:
        """The reply to this request as it leaves the destination."""
        return replace(self, src=self.dst, dst=self.src, direction=Direction.REPLY)


@dataclass(frozen=True, slots=True, kw_only=True)
class At:
    """A position of the walk: a node, the stage there, the subnet the packet is in."""

    node: str
    kind: HopKind
    stage: Stage
    subnet: str | None = None
    data: Any = None
    """What the stage needs (the groups to evaluate, the route that led here, a role…)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    """A handler's answer."""

    hops: tuple[Hop, ...] = ()
    then: tuple[At, ...] = ()
    """Positions to visit next, in order (before anything already pending)."""
    end: Disposition | None = None
    packet: Packet | None = None
    """The packet from here on, when the handler rewrote it."""


@dataclass(slots=True)
class Origin:
    """Where the function's traffic starts: the values a reply must get back to."""

    subnet: str
    eni: str | None
    endpoint: Endpoint


@dataclass(slots=True)
class Walk:
    """One walk's state: what handlers read (the network, the question) and write (hops)."""

    net: Network
    packet: Packet
    fn: LambdaFunction | None = None
    target: Target | None = None
    destination: Any = None
    """The :class:`~vpcdoctor.graph.engine.evaluate.Destination` being traced to."""
    origin: Origin | None = None
    hops: list[Hop] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    end: Disposition | None = None
    reply_from: At | None = None
    """Where the reply starts (set by the handler that delivered the request)."""
    entries: dict[str, str] = field(default_factory=dict)
    """VPC id → the gateway the request entered it through (peering, attachment): the way a
    missing return route should point."""
    exit_gateway: str | None = None
    """The internet gateway (or egress-only) the request left through."""
    exit_vpc: str | None = None
    exit_subnet: str | None = None
    """The subnet whose route sent the request to that gateway (its exclusions apply back)."""
    promotable: list[int] = field(default_factory=list)
    """Indices of ``skip`` hops that become the blocking ``fail`` when the path after them
    fails (an endpoint bypassed by a configuration mistake: that mistake is what to fix)."""
    alternatives: list[FixOption] = field(default_factory=list)
    """Other ways out for an internet-path failure (an endpoint that would carry it)."""
    steps: int = 0
    tail_from: int | None = None
    """Where the hops after the function's own (state, ENI) begin: what functions sharing the
    Hyperplane ENI share."""
    nested: bool = False
    """A walk made to choose a fix (from another subnet): it does not choose fixes again."""
    personal: bool = False
    """True when a hop named the function itself (a fix that moves it): that walk is not shared."""

    def warn(self, code: str, detail: str, resource: str | None = None) -> None:
        if all((w.code, w.resource) != (code, resource) for w in self.warnings):
            self.warnings.append(Warning(code=code, detail=detail, resource=resource))

    @property
    def failed(self) -> bool:
        return any(h.status is HopStatus.FAIL for h in self.hops)


Handler = Callable[[Walk, At], Step]

HANDLERS: dict[HopKind, Handler] = {}
"""One handler per node kind, registered by the modules of :mod:`vpcdoctor.graph.engine.hops`."""


def handles(*kinds: HopKind) -> Callable[[Handler], Handler]:
    """Register a handler for node kinds (one module per kind; each kind once)."""

    def register(fn: Handler) -> Handler:
        for k in kinds:
            if k in HANDLERS:
                raise RuntimeError(f"two handlers for {k}: {HANDLERS[k]} and {fn}")
            HANDLERS[k] = fn
        return fn

    return register


def _no_handler(w: Walk, at: At) -> Step:
    return Step(
        hops=(
            Hop(
                resource=at.node,
                kind=at.kind,
                status=HopStatus.UNKNOWN,
                code="UNSUPPORTED_COMPONENT",
                detail=f"The path reaches {at.node} ({at.kind.label}), which vpcdoctor does not "
                "model; what it does with the traffic is not known.",
                needs="a manual check of that resource",
                direction=w.packet.direction,
                subnet=at.subnet,
            ),
        ),
        end=Disposition.HANDED_OFF,
    )


def run(w: Walk, start: At | tuple[At, ...]) -> Disposition:
    """Walk from ``start`` (one position or several, in order) until a handler ends it; returns
    (and records) the disposition."""
    pending: list[At] = list(reversed(start)) if isinstance(start, tuple) else [start]
    while pending:
        w.steps += 1
        if w.steps > MAX_STEPS:
            w.hops.append(
                Hop(
                    resource=None,
                    kind=HopKind.ROUTE_TABLE,
                    status=HopStatus.UNKNOWN,
                    code="ROUTING_LOOP",
                    detail=f"The path goes through more than {MAX_STEPS} steps without being "
                    "delivered: the routes form a loop; stopping here.",
                    direction=w.packet.direction,
                )
            )
            w.end = Disposition.LOOP
            return w.end
        at = pending.pop()
        step = HANDLERS.get(at.kind, _no_handler)(w, at)
        w.hops.extend(step.hops)
        if step.packet is not None:
            w.packet = step.packet
        if any(h.status is HopStatus.FAIL for h in step.hops):
            w.end = step.end or Disposition.DENIED
            return w.end
        if step.end is not None:
            w.end = step.end
            return w.end
        pending.extend(reversed(step.then))
    # A handler that names no next position and no end: nothing more is known.
    w.end = Disposition.UNKNOWN
    return w.end
