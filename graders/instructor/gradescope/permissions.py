"""File permissions that keep the bundle's secrets from a submission's process.

Where the kernel allows namespaces, the kit's containment shows a submission's process a root
holding only the system, the Python environment and the kit's engine, so nothing here
matters. Where it does not (Docker's default seccomp profile forbids unshare, as on many
Gradescope hosts), the process still runs under a user id of its own, not root, and then
only file permissions stand between it and /autograder/source (solutions, hidden checks,
stored reference results), /autograder/results and the original submission. As Gradescope
advises, those are made unreadable to other users here, before anything runs: every
permission for "others" is removed under them, then given back, read-only, to exactly what
the submission's process must import (the engine and the public checks), minus the hidden
checks. Symbolic links are never followed (a submission may contain some).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from graders.instructor.gradescope.layout import Layout

OTHERS = stat.S_IRWXO


def lock_down(layout: Layout) -> bool:
    """Apply the permissions; False (nothing done) when not root, where they would not keep
    out a process running as the same user anyway."""
    if os.geteuid() != 0:
        return False
    for top in (layout.source, layout.results, layout.submission):
        _change_tree(top, remove=OTHERS)
    for folder in (layout.root, layout.source, layout.kit):  # passable, not listable
        _change(folder, add=stat.S_IXOTH)
    for folder in layout.public_code:
        _change_tree(folder, add_files=stat.S_IROTH, add_dirs=stat.S_IROTH | stat.S_IXOTH)
    for folder in layout.secret_code:
        _change_tree(folder, remove=OTHERS)
    return True


def _change(path: Path, add: int = 0, remove: int = 0) -> None:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode):
        return
    mode = (stat.S_IMODE(info.st_mode) | add) & ~remove
    if mode != stat.S_IMODE(info.st_mode):
        os.chmod(path, mode)


def _change_tree(top: Path, remove: int = 0, add_files: int = 0, add_dirs: int = 0) -> None:
    if not top.is_dir() or top.is_symlink():
        _change(top, add=add_files, remove=remove)
        return
    _change(top, add=add_dirs, remove=remove)
    for folder, dirs, files in os.walk(top, followlinks=False):
        for name in dirs:
            _change(Path(folder) / name, add=add_dirs, remove=remove)
        for name in files:
            _change(Path(folder) / name, add=add_files, remove=remove)
