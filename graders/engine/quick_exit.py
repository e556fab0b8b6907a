"""Ending the kit's processes without the interpreter's teardown.

At exit Python tears down every module and object it holds; with TensorFlow loaded that costs
about 1.3 s of CPU (and as long in wall time) per process, and frees nothing the operating
system would not free anyway. The command line, the fork server and the kernel server end
through `run_then_exit`: exit handlers still run (logging's flush, the finalizers of
temporary folders), the standard streams are flushed, and then the process ends at once.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from collections.abc import Callable
from typing import NoReturn


def _exit_status(code: object) -> int:
    """The status `sys.exit(code)` ends with (it prints a code that is not an int or None)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def _quick_exit(code: object) -> NoReturn:
    """End now with `code` as `sys.exit` would, skipping only the teardown of modules and
    objects. This is `sys.exit` while a thread other than the main one still runs (normal exit
    waits for it), and under a profiler or a tracer (cProfile, coverage), which write their
    data after the program returns."""
    status = _exit_status(code)
    others = [t for t in threading.enumerate() if t is not threading.main_thread()]
    if any(t.is_alive() and not t.daemon for t in others) or sys.getprofile() or sys.gettrace():
        sys.exit(status)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed stream, or a reader that went away
            pass
    os._exit(status)


def run_then_exit(main: Callable[[], object]) -> NoReturn:
    """Run `main` and end with what it returned or passed to `sys.exit`. An exception it
    raises ends the process the usual way (traceback, status 1)."""
    try:
        code = main()
    except SystemExit as stop:
        code = stop.code
    _quick_exit(code)
