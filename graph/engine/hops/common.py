"""What every hop handler shares: building a :class:`Hop`, and the positions they hand on."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from vpcdoctor.graph.engine.walk import At, Stage, Step, Walk
from vpcdoctor.graph.model.commands import Command, join
from vpcdoctor.graph.model.verdict import Evidence, FixOption, Hop, HopKind, HopStatus

PASS, FAIL, UNKNOWN, SKIP = HopStatus.PASS, HopStatus.FAIL, HopStatus.UNKNOWN, HopStatus.SKIP


def option(summary: str, *commands: Command, cost: str | None = None) -> FixOption:
    """A fix option of commands (in order) with a one-line summary."""
    return FixOption(summary=summary, commands=tuple(commands), cost=cost)


def advice(text: str) -> FixOption:
    """A fix option that is advice only (no command can do it for the user)."""
    return FixOption(summary=text)


def fix_text(options: Sequence[FixOption]) -> str | None:
    """The ``fix`` string of a hop: the options in rank order, ``; or`` between them."""
    parts = []
    for o in options:
        text = join(o.commands) if o.commands else o.summary
        parts.append(text[3:] if text.startswith("or ") else text)
    return "; or ".join(p for p in parts if p) or None


def hop(
    w: Walk,
    at: At | None,
    status: HopStatus,
    code: str,
    detail: str,
    *,
    resource: str | object | None = ...,
    kind: HopKind | None = None,
    evidence: Iterable[tuple[str, str]] = (),
    fixes: Sequence[FixOption] = (),
    fix: str | None = None,
    needs: str | None = None,
    subnet: str | None = None,
) -> Hop:
    """A hop at ``at`` (its node and kind unless given), in the walk's current direction.
    ``resource=None`` says nothing in the account decided (left out: ``at``'s node)."""
    options = tuple(fixes)
    return Hop(
        resource=(at.node if at else None) if resource is ... else resource,  # type: ignore[arg-type]
        kind=kind or (at.kind if at else HopKind.RESOURCE),
        status=status,
        code=code,
        detail=detail,
        evidence=tuple(Evidence(resource=r, text=t) for r, t in evidence),
        fix=fix if fix is not None else fix_text(options),
        needs=needs,
        direction=w.packet.direction,
        subnet=subnet if subnet is not None else (at.subnet if at else None),
        fixes=options,
    )


def one(h: Hop, *then: At, end: object = None) -> Step:
    """A step of one hop."""
    return Step(hops=(h,), then=tuple(then), end=end)  # type: ignore[arg-type]


def at(w: Walk, node: str, stage: Stage, subnet: str | None = None, data: object = None) -> At:
    """A position at ``node`` (its kind read from the graph)."""
    return At(node=node, kind=w.net.kind(node), stage=stage, subnet=subnet, data=data)


def leave(w: Walk, subnet: str, role: str, **data: object) -> At:
    """The packet leaves ``subnet``: same-subnet delivery, else NACL out, then the route."""
    return At(
        node=subnet,
        kind=HopKind.SUBNET,
        stage=Stage.LEAVE,
        subnet=subnet,
        data={"role": role, **data},
    )


def arrive(
    subnet: str, receiver: At, *, crossing: bool, role: str, from_subnet: str | None = None
) -> At:
    """The packet arrives in ``subnet`` for ``receiver``: NACL in when it crossed, then it."""
    return At(
        node=subnet,
        kind=HopKind.SUBNET,
        stage=Stage.ARRIVE,
        subnet=subnet,
        data={"receiver": receiver, "crossing": crossing, "role": role, "from": from_subnet},
    )


def not_in_snapshot(w: Walk, at: At, kind_name: str, what: str | None = None) -> Step:
    """The node the walk reached is not in the snapshot: unknown, naming the export."""
    from vpcdoctor.graph.engine.walk import Disposition

    return Step(
        hops=(
            hop(
                w,
                at,
                UNKNOWN,
                "UNKNOWN_RESOURCE",
                what or f"{at.node} is not in the snapshot.",
                needs=w.net.needs(kind_name),
            ),
        ),
        end=Disposition.UNKNOWN,
    )
