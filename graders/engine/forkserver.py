"""A process that imports TensorFlow once and forks a fresh, contained child per job.

`python -m graders.engine.forkserver N [--die-with-parent]` preloads TensorFlow and the
worker (about 4 s and 0.5 GB, paid once instead of once per submission), then reads jobs as
JSON lines on standard input: {"job": id, "dir": folder, "timeout": seconds, "hidden":
[folders], "limits": {...}, "uid": int, "protocols": [names]}. It runs up to N children at
once; each runs the worker on the folder's request.json inside `containment.run_contained`. When a child ends,
or is killed at its time limit, one JSON line goes to standard output: {"job": id,
"returncode": int, "timed_out": bool}.

The server never outlives its grader: it exits, killing every child, as soon as its standard
input closes (the grader closed it, or the grader's process ended in any way), and with
--die-with-parent the kernel kills it when the thread that started it ends. Each child dies
with the server (PR_SET_PDEATHSIG), and everything the submission started dies with the
child (see containment).

TensorFlow's runtime starts lazily at the first operation; the server never runs one, so
every child initialises its own runtime (devices included) after the fork.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from graders.engine import containment, quick_exit
from graders.engine.control import Requests, reply


def preload() -> None:
    """Import what every submission needs, without starting TensorFlow's runtime."""
    from graders.engine import devices, worker  # noqa: F401

    devices.quiet_environment()
    import matplotlib

    matplotlib.use("Agg")
    import keras  # noqa: F401
    import matplotlib.pyplot
    import tensorflow  # noqa: F401


class Server:
    """The job queue and the running children of one fork server."""

    def __init__(self, max_children: int) -> None:
        self.max_children = max_children
        self.queue: list[dict] = []
        self.running: dict[int, tuple[dict, float]] = {}  # pid -> (job, deadline)
        self.converted: set[str] = set()  # protocol modules handled by convert_handed_over

    def convert_handed_over(self, protocols: list[str]) -> None:
        """Convert with AutoGraph, here and once, the functions these protocols hand to the
        code under test (02_flow's programs: 0.7 s of CPU in each of its processes
        otherwise). AutoGraph keeps a conversion by code object and options, and a child's
        tf.function finds it there. Converting only rewrites Python code: TensorFlow's
        runtime stays unstarted, so forking stays safe."""
        import tensorflow as tf

        from selfcheck.protocols import HANDED_OVER, PROTOCOLS

        modules = {PROTOCOLS[name].__module__ for name in protocols if name in PROTOCOLS}
        for module in sorted(modules - self.converted):
            self.converted.add(module)
            for function in HANDED_OVER.get(module, ()):
                try:
                    tf.autograph.to_graph(function)
                except Exception:  # not converted here: the child converts it itself
                    pass

    def start_queued(self) -> None:
        while self.queue and len(self.running) < self.max_children:
            job = self.queue.pop(0)
            self.convert_handed_over(job.get("protocols", []))
            pid = _fork_child(job)
            self.running[pid] = (job, time.monotonic() + float(job["timeout"]))

    def kill_overdue(self) -> None:
        now = time.monotonic()
        for pid, (job, deadline) in list(self.running.items()):
            if now > deadline and not job.get("timed_out"):
                job["timed_out"] = True
                _kill_group(pid)

    def reap(self) -> None:
        while self.running:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            job, _ = self.running.pop(pid, (None, 0))
            if job is not None:
                _kill_group(pid)  # whatever it left behind
                reply(
                    {
                        "job": job["job"],
                        "returncode": os.waitstatus_to_exitcode(status),
                        "timed_out": bool(job.get("timed_out")),
                    }
                )

    def kill_all(self) -> None:
        """The grader is gone: end every child now, and answer no one."""
        self.queue.clear()
        for pid in self.running:
            _kill_group(pid)
        for pid in list(self.running):
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        self.running.clear()


def serve(max_children: int, die_with_parent: bool = False, parent: int | None = None) -> int:
    if die_with_parent:
        containment.die_with_parent()
        if parent is not None and os.getppid() != parent:
            return 1  # the grader ended before the line above took effect
    preload()
    reply({"ready": True, "pid": os.getpid()})
    server = Server(max_children)
    requests = Requests()
    while True:
        server.start_queued()
        arrived = requests.poll(0.05)
        if arrived is None:
            server.kill_all()
            return 0
        server.queue.extend(arrived)
        server.kill_overdue()
        server.reap()


def _fork_child(job: dict) -> int:
    server = os.getpid()
    pid = os.fork()
    if pid != 0:
        return pid
    code = 70
    try:
        os.setsid()  # its own process group: the server kills the group at the time limit
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 0)  # the server's pipes stay the server's
        os.dup2(null, 1)
        os.close(null)
        containment.die_with_parent()
        if os.getppid() != server:
            os._exit(70)
        from graders.engine import worker

        work = Path(job["dir"])
        results = worker.open_results(work)  # before privileges drop: the submission cannot open it
        code = containment.run_contained(
            work,
            [Path(p) for p in job.get("hidden", [])],
            containment.Limits(**job.get("limits", {})),
            int(job["uid"]),
            lambda how, inside: worker.run_job(inside, results, how),
        )
        if code < 0:  # the contained process died of a signal: die of the same one
            signal.signal(-code, signal.SIG_DFL)
            os.kill(os.getpid(), -code)
            code = 128 - code
    except BaseException:  # nothing may escape a forked child
        code = 70
    finally:
        os._exit(code)


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


if __name__ == "__main__":
    arguments = sys.argv[1:]
    die = "--die-with-parent" in arguments
    numbers = [int(a) for a in arguments if a.isdigit()]
    quick_exit.run_then_exit(
        lambda: serve(numbers[0] if numbers else 1, die, numbers[1] if len(numbers) > 1 else None)
    )
