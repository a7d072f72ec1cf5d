"""Messages that cross widgets and screens.

Workers (threads doing AWS, engine or DNS work) never touch widgets: they post one of these and
the screen that owns the display handles it on the app's thread. Messages specific to one widget
are nested in that widget instead (e.g. ``PathDiagram.HopSelected``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from vpcdoctor.diagnostics.dns.model import ProbeResult, Resolution
    from vpcdoctor.graph.model import Account
    from vpcdoctor.graph.model.verdict import CheckResult
    from vpcdoctor.tui.badges import FunctionAudit
    from vpcdoctor.tui.raw import RawRecord


class AccountLoaded(Message):
    """The account is ready (snapshot read, demo loaded or live collection finished)."""

    def __init__(self, account: Account) -> None:
        super().__init__()
        self.account = account


class AccountFailed(Message):
    """Loading or collecting the account failed; ``error`` is written for a person."""

    def __init__(self, error: str, *, hint: str = "") -> None:
        super().__init__()
        self.error = error
        self.hint = hint


class CollectionProgress(Message):
    """A progress event from the live collector. Frequent: a newer one replaces an older one."""

    def __init__(
        self, text: str, done: int | None = None, total: int | None = None, *, detail: str = ""
    ) -> None:
        super().__init__()
        self.text = text
        self.done = done
        self.total = total
        self.detail = detail
        """What is running right now (``ec2:DescribeSubnets``), shown dim after ``text``."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, CollectionProgress)


class FunctionsAudited(Message):
    """The quick audit's badges for the functions done since the last such message.

    The worker batches them (a few per message, at most every ~0.1 s) so a large account does
    not flood the screen with one message and one tree refresh per function.
    """

    def __init__(self, audits: tuple[FunctionAudit, ...]) -> None:
        super().__init__()
        self.audits = audits


class AuditFinished(Message):
    """The quick audit went through every function (``problem`` set when it could not run)."""

    def __init__(self, problem: str = "") -> None:
        super().__init__()
        self.problem = problem


class CheckFinished(Message):
    """``diagnose.check`` answered for the current function and target."""

    def __init__(self, result: CheckResult) -> None:
        super().__init__()
        self.result = result


class CheckFailed(Message):
    """``diagnose.check`` could not answer; ``error`` says why and what to do."""

    def __init__(self, target: str, error: str) -> None:
        super().__init__()
        self.target = target
        self.error = error


class WalkFinished(Message):
    """The checklist walk is ready (a ``diagnostics.checklist.Walk``)."""

    def __init__(self, walk: Any, lang: str) -> None:
        super().__init__()
        self.walk = walk
        self.lang = lang


class WalkFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class DnsSimulated(Message):
    """The simulated resolution of the current name by the function's VPC resolver."""

    def __init__(self, resolution: Resolution) -> None:
        super().__init__()
        self.resolution = resolution


class DnsProbed(Message):
    """Live probe results, one per name server."""

    def __init__(
        self,
        results: tuple[ProbeResult, ...],
        *,
        note: str = "",
        disagreements: tuple[Any, ...] = (),
    ) -> None:
        super().__init__()
        self.results = results
        self.note = note
        """Where the answers come from (this host, or inside the VPC)."""
        self.disagreements = disagreements
        """Where the probes contradict the simulation (``dns.model.Disagreement``)."""


class DnsFailed(Message):
    def __init__(self, error: str, *, live: bool) -> None:
        super().__init__()
        self.error = error
        self.live = live


class AuditReady(Message):
    """The quick audit's answers for one function (the diagnosis screen opens on them)."""

    def __init__(self, function: str, results: tuple[CheckResult, ...]) -> None:
        super().__init__()
        self.function = function
        self.results = results


class Copied(Message):
    """A copy went every way it could; ``report`` says which (a ``clipboard.CopyReport``)."""

    def __init__(self, text: str, what: str, report: Any, *, offer: bool = True) -> None:
        super().__init__()
        self.text = text
        self.what = what
        self.report = report
        self.offer = offer
        """Offer the text to select when the copy is not known to have worked."""


class RawFound(Message):
    """The raw record of a hop's resource (None: not in the snapshot)."""

    def __init__(self, resource: str, record: RawRecord | None) -> None:
        super().__init__()
        self.resource = resource
        self.record = record


class WhatIfReady(Message):
    """A what-if finished: the plan, or one hop's fix tried on a copy (a
    ``screens.whatif.WhatIfOutcome``)."""

    def __init__(self, outcome: Any) -> None:
        super().__init__()
        self.outcome = outcome


class WhatIfFailed(Message):
    """The what-if could not be made; ``error`` says why and what to do."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class DiffReady(Message):
    """The comparison with a second snapshot (a ``diagnostics.diff.Diff``)."""

    def __init__(self, diff: Any, *, old: str, new: str) -> None:
        super().__init__()
        self.diff = diff
        self.old = old
        self.new = new


class DiffFailed(Message):
    """The second snapshot could not be read or compared."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error
