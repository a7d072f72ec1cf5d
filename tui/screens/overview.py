"""The account overview: every function grouped by VPC, with a badge from a quick audit."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, ProgressBar, Static, Tree
from textual.widgets.tree import TreeNode
from textual.worker import get_current_worker

from vpcdoctor.tui.badges import (
    LEGEND,
    Badge,
    FunctionAudit,
    badge_text,
    failed,
    function_audit,
    pending,
)
from vpcdoctor.tui.failures import describe_error
from vpcdoctor.tui.i18n import Localized
from vpcdoctor.tui.messages import (
    AccountFailed,
    AccountLoaded,
    AuditFinished,
    CollectionProgress,
    FunctionsAudited,
)
from vpcdoctor.tui.text import line as clean
from vpcdoctor.tui.widgets.error_panel import ErrorPanel
from vpcdoctor.tui.widgets.function_detail import function_detail
from vpcdoctor.tui.widgets.function_tree import (
    NO_VPC,
    best_match,
    function_label,
    matches,
    no_account_text,
    progress_message,
    vpc_label,
    vpc_of,
)
from vpcdoctor.tui.widgets.header import AppHeader

if TYPE_CHECKING:
    from vpcdoctor.graph.model import Account, LambdaFunction
    from vpcdoctor.tui.app import VpcDoctorApp

AUDIT_BATCH_SECONDS = 0.1
"""The audit worker posts the badges it has at most this often (one tree refresh each)."""


class OverviewScreen(Localized, Screen[None]):
    """Functions by VPC, badges, filter; ``enter`` opens a function's diagnosis."""

    CSS_PATH = "overview.tcss"
    AUTO_FOCUS = "#functions"
    HELP = (
        "Every Lambda function of the account, grouped by VPC, with a badge from a quick audit "
        "(the internet, S3 and the AWS services its VPC has endpoints for, plus the "
        "checklist). Pick a function with the arrows and press enter to ask what it cannot "
        "reach. Type to filter by name, VPC, subnet or AZ."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_filter", "Filter", tooltip="Type to filter functions", id="filter"),
        Binding(
            "enter",
            "open_selected",
            "Diagnose",
            tooltip="Ask what the selected function cannot reach",
            id="diagnose",
            priority=True,
        ),
        Binding(
            "r", "reload", "Reload", tooltip="Read the account again and re-audit", id="reload"
        ),
        Binding(
            "ctrl+o",
            "compare",
            "Diff",
            tooltip="Compare with a second snapshot: the verdicts that changed, and why",
            id="compare",
        ),
        Binding(
            "escape",
            "clear_filter",
            "Clear filter",
            show=False,
            tooltip="Show every function again",
            id="clear-filter",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.badges: dict[str, FunctionAudit] = {}
        """The quick audit so far, by function name."""
        self._leaves: dict[str, TreeNode[str | None]] = {}
        self._pending_cursor: str | None = None
        """The function the cursor is about to move to (after the tree's next refresh): enter
        pressed right after typing opens that one, not whatever the cursor was on."""

    @property
    def doctor(self) -> VpcDoctorApp:
        return cast("VpcDoctorApp", self.app)

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with Horizontal(id="loading"):
            yield Static("", id="load-status", markup=False)
            yield ProgressBar(id="load-progress", show_eta=False)
        yield ErrorPanel(id="error")
        yield Input(
            placeholder="Filter by function, VPC, subnet or AZ  (/)",
            id="filter",
            select_on_focus=False,
        )
        with Horizontal(id="body"):
            tree: Tree[str | None] = Tree("functions", id="functions")
            tree.show_root = False
            tree.guide_depth = 3
            yield tree
            with Vertical(id="side"):
                yield Static("", id="function-detail", markup=False)
                yield Static(self._legend(), id="legend", markup=False)
        yield Footer(compact=True)

    @staticmethod
    def _legend() -> Text:
        text = Text()
        text.append("Badges", style="bold")
        text.append(" (quick audit: internet, S3, the VPC's endpoint services, checklist)\n")
        for badge in LEGEND:
            text.append_text(badge_text(badge))
            text.append("\n")
        text.append("\ntype to filter · enter: diagnose · ?: help", style="dim")
        return text

    def on_mount(self) -> None:
        self.query_one(AppHeader).where = self.doctor.source.describe()
        if self.doctor.account is not None:
            self.post_message(AccountLoaded(self.doctor.account))
        else:
            self.load_account()

    # ---- loading ----------------------------------------------------------------------
    def _set_loading(self, text: str | Text, *, busy: bool) -> None:
        self.query_one("#load-status", Static).update(text)
        self.query_one("#loading").set_class(busy, "-busy")

    @work(thread=True, exclusive=True, group="account")
    def load_account(self) -> None:
        """Read the snapshot / demo or collect from live AWS, posting progress."""
        from vpcdoctor.graph.sources.opener import open_account

        worker = get_current_worker()
        source = self.doctor.source
        if source.live:
            self.post_message(CollectionProgress(f"Connecting to {source.describe()}…"))
        else:
            self.post_message(CollectionProgress(f"Reading the {source.describe()}…"))

        def progress(event: Any) -> None:
            if not worker.is_cancelled:
                self.post_message(progress_message(event))

        try:
            account = open_account(
                snapshot=source.snapshot,
                demo=source.demo,
                profile=source.profile,
                region=source.region,
                progress=progress,
            )
        except Exception as error:  # every failure becomes a panel, never a traceback
            message, hint = describe_error(error)
            if not worker.is_cancelled:
                self.post_message(AccountFailed(message, hint=hint))
            return
        if not worker.is_cancelled:
            self.post_message(AccountLoaded(account))

    @on(CollectionProgress)
    def show_progress(self, message: CollectionProgress) -> None:
        text = Text(clean(message.text, limit=100))
        if message.detail:
            text.append("  " + clean(message.detail, limit=100), style="dim")
        self._set_loading(text, busy=True)
        if self.doctor.account is None:
            self._show_detail(None)
        bar = self.query_one("#load-progress", ProgressBar)
        if message.total:
            bar.update(total=message.total, progress=message.done or 0)
        else:
            bar.update(total=None)

    @on(AccountFailed)
    def show_failure(self, message: AccountFailed) -> None:
        self._set_loading("", busy=False)
        self.query_one(ErrorPanel).show_error(
            "Could not read the account", message.error, message.hint
        )
        self._show_detail(None)
        self.notify(
            clean(message.error), title="Could not read the account", severity="error", markup=False
        )

    @on(AccountLoaded)
    def show_account(self, message: AccountLoaded) -> None:
        account = message.account
        if account is not self.doctor.account or not self.doctor.session.audits:
            self.doctor.use_account(account)
        self.query_one(ErrorPanel).hide()
        self._set_loading("", busy=False)
        self.badges = {name: pending(name) for name in account.functions}
        self._fill_tree()
        header = self.query_one(AppHeader)
        header.where = self.doctor.source.describe()
        header.refresh_context()
        if not account.functions:
            self.query_one(ErrorPanel).show_error(
                "No Lambda functions",
                "This account has no Lambda functions (or `lambda list-functions` was not "
                "exported).",
                "Add the output of `aws lambda list-functions` to the snapshot.",
            )
        # After the tree is painted: the first paint never waits for (or shares the GIL with)
        # the audit.
        self.call_after_refresh(self.run_audit, account)
        initial = self.doctor.initial_function
        if initial:
            self.doctor.initial_function = None
            self.doctor.open_function(initial, self.doctor.initial_target)

    # ---- quick audit ------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="audit")
    def run_audit(self, account: Account) -> None:
        """Badge every function: the audit's default targets and the checklist's failing steps.

        Rows are posted in small batches as they are known, so badges appear while the rest of
        the account is still being checked (the tree is usable from the start).
        """
        worker = get_current_worker()
        lang = self.doctor.lang
        try:
            from vpcdoctor.diagnostics.audit import audit_function
            from vpcdoctor.diagnostics.checklist import walk
            from vpcdoctor.diagnostics.findings import StepStatus
        except Exception as error:
            self.post_message(AuditFinished(describe_error(error)[0]))
            return
        batch: list[FunctionAudit] = []
        last_post = time.monotonic()
        for name in sorted(account.functions):
            if worker.is_cancelled:
                return
            fn = account.functions[name]
            try:
                row = audit_function(account, name)
                steps = walk(account, name, lang=lang).steps
                failing = tuple(f for f in steps if f.status is StepStatus.FAIL)
                batch.append(function_audit(fn, row, failing))
            except Exception as error:  # one function's trouble never stops the others
                batch.append(failed(name, describe_error(error)[0]))
            if time.monotonic() - last_post >= AUDIT_BATCH_SECONDS:
                self.post_message(FunctionsAudited(tuple(batch)))
                batch = []
                last_post = time.monotonic()
        if batch and not worker.is_cancelled:
            self.post_message(FunctionsAudited(tuple(batch)))
        if not worker.is_cancelled:
            self.post_message(AuditFinished())

    @on(FunctionsAudited)
    def show_badges(self, message: FunctionsAudited) -> None:
        tree = self.query_one("#functions", Tree)
        for audit in message.audits:
            if audit.function not in self.badges:
                continue  # a stale batch from an account since reloaded
            self.badges[audit.function] = audit
            self.doctor.session.audits[audit.function] = audit
            leaf = self._leaves.get(audit.function)
            if leaf is not None:
                leaf.set_label(self._function_label(audit.function))
        cursor = tree.cursor_node
        if cursor is not None and any(a.function == cursor.data for a in message.audits):
            self._show_detail(cursor.data)

    @on(AuditFinished)
    def audit_done(self, message: AuditFinished) -> None:
        if message.problem:
            for name, audit in self.badges.items():
                if audit.badge is Badge.PENDING:
                    self.badges[name] = FunctionAudit(
                        function=name, badge=Badge.UNKNOWN, summary=message.problem
                    )
            self._fill_tree()
            self.notify(
                message.problem, title="Quick audit unavailable", severity="warning", markup=False
            )

    # ---- the tree ---------------------------------------------------------------------
    def _function_label(self, name: str) -> Text:
        return function_label(self.doctor.account, name, self.badges.get(name))

    def _fill_tree(self) -> None:
        account = self.doctor.account
        tree = self.query_one("#functions", Tree)
        selected = tree.cursor_node.data if tree.cursor_node is not None else None
        tree.clear()
        self._leaves = {}
        if account is None:
            return
        words = self.query_one("#filter", Input).value.lower().split()
        groups: dict[str, list[LambdaFunction]] = {}
        for fn in sorted(account.functions.values(), key=lambda f: f.name):
            if matches(account, fn, self.badges.get(fn.name), words):
                groups.setdefault(vpc_of(account, fn), []).append(fn)
        cursor_line = None
        for vpc_id in sorted(groups, key=lambda v: (v == NO_VPC, v)):
            functions = groups[vpc_id]
            vpc_node = tree.root.add(
                vpc_label(account, vpc_id, len(functions)), data=None, expand=True
            )
            for fn in functions:
                leaf = vpc_node.add_leaf(self._function_label(fn.name), data=fn.name)
                self._leaves[fn.name] = leaf
                if fn.name == selected:
                    cursor_line = leaf
        if words:
            best = best_match(tree, words)
            if best is not None:
                cursor_line = best
        if cursor_line is None and groups:
            cursor_line = next((n.children[0] for n in tree.root.children if n.children), None)
        self._pending_cursor = cursor_line.data if cursor_line is not None else None
        if cursor_line is not None:
            self.call_after_refresh(self._move_cursor, cursor_line)

    def _move_cursor(self, node: TreeNode[str | None]) -> None:
        self.query_one("#functions", Tree).move_cursor(node)
        self._pending_cursor = None

    def _cursor_to_first_function(self) -> None:
        tree = self.query_one("#functions", Tree)
        for node in tree.root.children:
            if node.children:
                tree.move_cursor(node.children[0])
                return

    def _show_detail(self, name: str | None) -> None:
        detail = self.query_one("#function-detail", Static)
        account = self.doctor.account
        if account is None:
            detail.update(
                no_account_text(
                    self.doctor.source,
                    error_shown=self.query_one(ErrorPanel).has_class("-shown"),
                )
            )
            return
        if name is None or name not in account.functions:
            detail.update(Text("Select a function and press enter.", style="dim"))
            return
        audit = self.badges.get(name) or pending(name)
        detail.update(function_detail(account, account.functions[name], audit))

    # ---- events -----------------------------------------------------------------------
    @on(Tree.NodeHighlighted, "#functions")
    def function_highlighted(self, event: Tree.NodeHighlighted[str | None]) -> None:
        self._show_detail(event.node.data)

    @on(Tree.NodeSelected, "#functions")
    def function_selected(self, event: Tree.NodeSelected[str | None]) -> None:
        if event.node.data is not None:
            self.doctor.open_function(event.node.data)

    @on(Input.Changed, "#filter")
    def filter_changed(self) -> None:
        self._fill_tree()

    @on(Input.Submitted, "#filter")
    def filter_submitted(self) -> None:
        tree = self.query_one("#functions", Tree)
        tree.focus()
        if tree.cursor_node is None or tree.cursor_node.data is None:
            self._cursor_to_first_function()

    def on_key(self, event: events.Key) -> None:
        """Typing anywhere on the screen filters (the keys that are bindings excepted)."""
        filter_input = self.query_one("#filter", Input)
        if self.focused is filter_input:
            return
        char = event.character
        if char and char.isprintable() and not char.isspace() and char not in "/?":
            filter_input.focus()
            filter_input.insert_text_at_cursor(char)
            event.stop()
            event.prevent_default()

    # ---- actions ----------------------------------------------------------------------
    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        filter_input = self.query_one("#filter", Input)
        if filter_input.value:
            filter_input.value = ""
        self.query_one("#functions", Tree).focus()

    def action_open_selected(self) -> None:
        tree = self.query_one("#functions", Tree)
        if self._pending_cursor is not None:
            self.doctor.open_function(self._pending_cursor)
            return
        if not self._leaves:
            self._say_why_empty()
            return
        node = tree.cursor_node
        if node is None:
            self._cursor_to_first_function()
        elif node.data is not None:
            self.doctor.open_function(node.data)
        else:
            node.toggle()

    def _say_why_empty(self) -> None:
        typed = self.query_one("#filter", Input).value.strip()
        if self.doctor.account is None:
            self.notify("The account is not loaded yet.", severity="warning")
        elif typed:
            self.notify(
                f"No function matches {clean(typed, limit=40)!r}: esc clears the filter.",
                severity="warning",
                markup=False,
            )
        else:
            self.notify("This account has no Lambda functions.", severity="warning")

    def on_screen_resume(self) -> None:
        """Back from a diagnosis: the old filter goes, so typing starts a new one."""
        filter_input = self.query_one("#filter", Input)
        if filter_input.value:
            filter_input.value = ""
            self._fill_tree()
        self.query_one("#functions", Tree).focus()

    def action_compare(self) -> None:
        from vpcdoctor.tui.screens.diff import DiffScreen

        if self.doctor.account is None:
            self.notify("The account is not loaded yet.", severity="warning")
            return
        self.app.push_screen(DiffScreen())

    def action_reload(self) -> None:
        if self.doctor.source.in_memory and self.doctor.account is not None:
            self.post_message(AccountLoaded(self.doctor.account))
            return
        self.doctor.use_account(None)
        self.query_one("#functions", Tree).clear()
        self.load_account()
