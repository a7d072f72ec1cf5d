"""Copying for real, and saying how: OSC 52, tmux's buffer, or the system clipboard.

A terminal application cannot know whether its OSC 52 escape reached a clipboard: tmux's
default ``set-clipboard external`` drops it, some terminals ignore it, and over SSH the local
``xclip`` is the wrong machine's. So every copy goes every way that can work here, and the
notice names the ways it went; when none is known to work, the screen offers the text to
select by hand instead of claiming a copy.

What is copied is always :func:`clipboard_text`: one line per command, each cleaned by the one
sanitiser, so no ESC, OSC, C1, CR or LF from a name in the snapshot ever reaches the clipboard
(a line feed in a pasted command runs it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from vpcdoctor.tui.text import one_line

Runner = Callable[[list[str], str], bool]
"""Runs a command with ``input`` on stdin; True when it exited 0 (injectable for tests)."""


def clipboard_text(lines: Iterable[str]) -> str:
    """The text to copy: each item one line (cleaned), joined by line feeds, empty ones
    dropped. A value with a line break inside stays on its line (it becomes a space)."""
    return "\n".join(text for text in (one_line(item) for item in lines) if text.strip())


def document_text(text: str) -> str:
    """A whole document (Markdown, JSON) for the clipboard: its lines kept, blank ones too,
    each cleaned of every control character."""
    return "\n".join(one_line(part) for part in text.splitlines())


def _run(argv: list[str], data: str) -> bool:
    try:
        done = subprocess.run(
            argv,
            input=data.encode("utf-8"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=3,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def _tmux_option(name: str, env: Mapping[str, str]) -> str | None:
    if not shutil.which("tmux", path=env.get("PATH")):
        return None
    try:
        done = subprocess.run(
            ["tmux", "show-options", "-gv", name],
            capture_output=True,
            text=True,
            timeout=3,
            check=False,
            env=dict(env),
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


@dataclass(frozen=True, slots=True)
class CopyReport:
    """How a copy went."""

    ways: tuple[str, ...]
    """What received the text: ``"terminal (OSC 52)"``, ``"tmux buffer"``, ``"xclip"``…"""
    certain: bool
    """True when at least one way is known to have worked (a tool that exited 0); False when
    only OSC 52 was sent and nothing says the terminal took it."""
    blocked: str = ""
    """Why OSC 52 cannot work here (``tmux set-clipboard external``), when known."""

    def message(self) -> str:
        if not self.ways:
            return "Nothing could copy it here: select the text below and copy it yourself."
        shown = " and ".join(self.ways)
        if self.certain:
            return f"Copied to the {shown}."
        return (
            f"Sent to the {shown}; if pasting gives nothing, your terminal ignores OSC 52: "
            "select the text below."
        )


def system_tools(env: Mapping[str, str], platform: str = sys.platform) -> list[list[str]]:
    """The clipboard commands that write to *this* machine's desktop, if it has one here.

    None over SSH without a forwarded display: the tool would fill the remote host's clipboard.
    """
    path = env.get("PATH")
    tools: list[list[str]] = []
    if platform == "darwin" and not env.get("SSH_CONNECTION"):
        tools.append(["pbcopy"])
    if env.get("WAYLAND_DISPLAY"):
        tools.append(["wl-copy"])
    if env.get("DISPLAY"):
        tools += [["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"]]
    if "microsoft" in os.uname().release.lower() if hasattr(os, "uname") else False:
        tools.append(["clip.exe"])
    return [tool for tool in tools if shutil.which(tool[0], path=path)]


def copy(
    text: str,
    *,
    osc52: Callable[[str], None],
    env: Mapping[str, str] | None = None,
    run: Runner = _run,
    tmux_option: Callable[[str, Mapping[str, str]], str | None] = _tmux_option,
) -> CopyReport:
    """Copy ``text`` every way that can work here and report which.

    Args:
        text: already :func:`clipboard_text`.
        osc52: sends the OSC 52 escape (the app's ``copy_to_clipboard``).
        env: the environment to decide by (``os.environ``).
        run: runs a clipboard tool.
        tmux_option: reads a global tmux option.
    """
    env = os.environ if env is None else env
    ways: list[str] = []
    certain = False
    blocked = ""
    osc52(text)
    in_tmux = bool(env.get("TMUX"))
    if in_tmux:
        setting = tmux_option("set-clipboard", env) or "external"
        # -w also hands the buffer to the outer terminal's clipboard, unless set-clipboard
        # is off; the buffer itself always works (prefix + ] pastes it).
        if setting != "off" and run(["tmux", "load-buffer", "-w", "-"], text):
            ways.append("tmux buffer and the terminal clipboard (tmux load-buffer -w)")
            certain = True
        elif run(["tmux", "load-buffer", "-"], text):  # tmux < 3.2 has no -w
            ways.append("tmux buffer (prefix + ] pastes it)")
            certain = True
        if setting != "on":
            blocked = f"tmux set-clipboard is {setting}: it drops the application's OSC 52"
        else:
            ways.append("terminal (OSC 52, through tmux)")
    else:
        ways.append("terminal clipboard (OSC 52)")
    for tool in system_tools(env):
        if run(tool, text):
            ways.append(f"system clipboard ({tool[0]})")
            certain = True
            break
    if blocked and not certain:
        ways = [w for w in ways if "OSC 52" not in w]
    return CopyReport(ways=tuple(ways), certain=certain, blocked=blocked)
