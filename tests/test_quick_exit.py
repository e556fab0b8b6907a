"""The kit's processes end without the interpreter's teardown, and otherwise as `sys.exit`
would: the same status, exit handlers run, buffered output written, threads waited for."""

import os
import subprocess
import sys
import textwrap

import pytest
from conftest import ROOT

PROGRAM = """
import atexit, sys, threading, time
from graders.engine import run_then_exit

class Torn:
    def __del__(self):  # runs only when the interpreter tears its modules down
        print("torn down", file=sys.stderr)

torn = Torn()
atexit.register(lambda: print("exit handler", file=sys.stderr))

def main():
{body}

run_then_exit(main)
"""


def ends(body: str) -> subprocess.CompletedProcess:
    program = PROGRAM.format(body=textwrap.indent(textwrap.dedent(body), "    "))
    return subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    "body, status, stderr",
    [
        ("return None", 0, ""),
        ("return 3", 3, ""),
        ("sys.exit(2)", 2, ""),
        ("sys.exit('no such folder: x')", 1, "no such folder: x\n"),
        ("sys.exit(None)", 0, ""),
    ],
)
def test_status_and_exit_handlers_as_sys_exit(body, status, stderr):
    done = ends(body)
    assert done.returncode == status
    assert done.stderr == stderr + "exit handler\n"  # and no teardown


def test_buffered_output_is_written():
    done = ends("print('a line', end=''); sys.stdout.write('x' * 10000)")
    assert done.returncode == 0
    assert done.stdout == "a line" + "x" * 10000


def test_an_exception_ends_the_usual_way():
    done = ends("raise ValueError('broken')")
    assert done.returncode == 1
    assert "ValueError: broken" in done.stderr and "exit handler" in done.stderr


def test_a_running_thread_is_waited_for():
    """Normal exit waits for a thread that is not a daemon; so does this (with the teardown)."""
    done = ends(
        """
        def late():
            time.sleep(0.5)
            print("thread finished", flush=True)
        threading.Thread(target=late).start()
        return 4
        """
    )
    assert done.returncode == 4
    assert done.stdout == "thread finished\n"
    assert "exit handler" in done.stderr and "torn down" in done.stderr


def test_a_profiler_gets_to_write_its_data(tmp_path):
    """Under cProfile (or coverage) the program returns, so the profiler writes its file
    (cProfile then ends with status 0 whatever the program's status)."""
    program = tmp_path / "program.py"
    program.write_text(PROGRAM.format(body="    return 5"))
    stats = tmp_path / "stats"
    done = subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(stats), str(program)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert stats.is_file() and stats.stat().st_size > 0, done.stderr
