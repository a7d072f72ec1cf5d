"""Which files a snapshot is made of: one walk, shared by the loader and the cache key.

The loader reads, and the cache key covers, exactly the files :func:`walk` lists, so an edit to
any file the loader reads (``.json`` or ``.JSON``, at any depth, through any in-snapshot symbolic
link) changes the key. The walk is iterative (no recursion limit: 1,200 nested folders are
fine), visits each directory and each file once however many links lead to it (deduplicated by
device and inode: a lattice of links cannot make it visit 2^n paths), never follows a link out
of the snapshot directory, and skips hidden files and folders.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from vpcdoctor.graph.model import SourceNote

ACCOUNT_FOLDER = re.compile(r"^\d{12}$")
"""A folder named as an AWS account id names the account of what it holds."""
REGION_FOLDER = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d+$")
"""A folder named as a Region (``ap-northeast-1``, ``us-gov-west-1``) names its Region."""

OUTSIDE = "not read: a symbolic link leading outside the snapshot directory"


def is_snapshot_file(name: str) -> bool:
    """The one predicate of "a file the loader reads" (``*.json`` in any case, not hidden)."""
    return not name.startswith(".") and name.lower().endswith(".json")


@dataclass(frozen=True, slots=True)
class SnapshotFile:
    path: str
    """As reached from the snapshot directory (links not resolved)."""
    relative: str
    """Relative to the snapshot directory, with ``/``."""
    stat: os.stat_result
    """Of the file itself (links followed)."""


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def walk(root: Path) -> tuple[list[SnapshotFile], list[SourceNote]]:
    """Every file the loader reads under ``root`` (sorted, directories depth first, as
    ``os.walk`` lists them), and the files and links set aside with why."""
    real_root = os.path.realpath(root)
    files: list[SnapshotFile] = []
    notes: list[SourceNote] = []
    seen_dirs: set[tuple[int, int]] = set()
    seen_files: set[tuple[int, int]] = set()
    try:
        top = os.stat(root)
    except OSError:
        return files, notes
    seen_dirs.add((top.st_dev, top.st_ino))
    stack: list[tuple[str, str]] = [(os.fspath(root), "")]
    while stack:
        directory, rel = stack.pop()
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        subdirs: list[tuple[str, str]] = []
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            child_rel = f"{rel}/{name}" if rel else name
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
            except OSError:
                is_dir = False
            link = entry.is_symlink()
            if link and not _inside(os.path.realpath(entry.path), real_root):
                notes.append(SourceNote(path=entry.path, kind=None, note=OUTSIDE))
                continue
            if is_dir:
                try:
                    st = entry.stat(follow_symlinks=True)
                except OSError:
                    continue
                key = (st.st_dev, st.st_ino)
                if key not in seen_dirs:
                    seen_dirs.add(key)
                    subdirs.append((entry.path, child_rel))
                continue
            if not name.lower().endswith(".json"):
                notes.append(
                    SourceNote(path=entry.path, kind=None, note="not used: not a .json file")
                )
                continue
            try:
                st = entry.stat(follow_symlinks=True)
            except OSError:
                # A dangling link or an unreadable entry: listed, and read_json says why.
                st = os.stat_result((stat.S_IFREG, 0, 0, 0, 0, 0, 0, 0, 0, 0))
            key = (st.st_dev, st.st_ino)
            if st.st_ino and key in seen_files:
                continue
            seen_files.add(key)
            files.append(SnapshotFile(path=entry.path, relative=child_rel, stat=st))
        stack.extend(reversed(subdirs))
    return files, notes


@dataclass(frozen=True, slots=True)
class Placement:
    """What a file's folders say: the nearest folder named as an account id, or as a Region."""

    account: str | None
    region: str | None


def placement(relative: str) -> Placement:
    """The account and Region the folders of ``relative`` name (nearest folder wins)."""
    account = region = None
    for part in reversed(relative.split("/")[:-1]):
        if account is None and ACCOUNT_FOLDER.match(part):
            account = part
        elif region is None and REGION_FOLDER.match(part):
            region = part
    return Placement(account, region)
