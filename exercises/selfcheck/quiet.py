"""Keep TensorFlow's start-up messages out of notebook cells and test runs.

Importing TensorFlow prints a few lines (CUDA probing on a machine without a GPU, the
absl "log messages before InitializeLog" notice) straight to the process's standard
error, before its own logging settings apply. Jupyter shows them under the first cell.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator


@contextlib.contextmanager
def quiet_start() -> Iterator[None]:
    """Run the block (the imports of a notebook's first cell) with standard error silenced.

    TF_CPP_MIN_LOG_LEVEL=3 (unless already set) silences TensorFlow's C++ logging for the
    rest of the session; the lines written before that are sent to os.devnull. Exceptions
    raised in the block still propagate with their messages."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    with contextlib.redirect_stderr(io.StringIO()), _fd_to_devnull(2):
        yield


@contextlib.contextmanager
def _fd_to_devnull(fd: int) -> Iterator[None]:
    """Point the file descriptor at os.devnull for the block (where the process has one)."""
    try:
        saved = os.dup(fd)
    except OSError:  # no such descriptor (an embedded interpreter): nothing to silence
        yield
        return
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, fd)
        finally:
            os.close(null)
        yield
    finally:
        with contextlib.suppress(Exception):
            sys.__stderr__.flush()
        os.dup2(saved, fd)
        os.close(saved)
