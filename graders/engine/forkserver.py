"""A process that imports TensorFlow once and forks a fresh, contained child per job.

`python -m graders.engine.forkserver N` preloads TensorFlow and the worker (about 4 s and
0.5 GB, paid once instead of once per submission), then reads jobs as JSON lines on
standard input: {"job": id, "dir": folder, "timeout": seconds, "hidden": [folders],
"limits": {...}}. It runs up to N children at once; each enters containment and runs the
worker on the folder's request.json. When a child ends, or is killed at its time limit
(its whole process group, so ignoring signals or spawning helpers does not help), one JSON
line goes to standard output: {"job": id, "returncode": int, "timed_out": bool}.

TensorFlow's runtime starts lazily at the first operation; the server never runs one, so
every child initialises its own runtime (devices included) after the fork.
"""

from __future__ import annotations

import json
import os
import select
import signal
import sys
import time
from pathlib import Path

from graders.engine import containment


def preload() -> None:
    """Import what every submission needs, without starting TensorFlow's runtime."""
    from graders.engine import devices, worker  # noqa: F401

    devices.quiet_environment()
    import matplotlib

    matplotlib.use("Agg")
    import keras  # noqa: F401
    import matplotlib.pyplot  # noqa: F401
    import tensorflow  # noqa: F401


def serve(max_children: int) -> int:
    preload()

    def reply(record: dict) -> None:
        os.write(1, (json.dumps(record) + "\n").encode())

    reply({"ready": True, "pid": os.getpid()})
    queue: list[dict] = []
    running: dict[int, tuple[dict, float]] = {}  # pid -> (job, deadline)
    buffer = b""
    open_input = True
    while open_input or queue or running:
        while queue and len(running) < max_children:
            job = queue.pop(0)
            pid = _fork_child(job)
            running[pid] = (job, time.monotonic() + float(job["timeout"]))
        if open_input:
            ready, _, _ = select.select([0], [], [], 0.05)
            if ready:
                chunk = os.read(0, 65536)
                if not chunk:
                    open_input = False
                buffer += chunk
                *lines, buffer = buffer.split(b"\n")
                queue.extend(json.loads(line) for line in lines if line.strip())
        else:
            time.sleep(0.05)
        now = time.monotonic()
        for pid, (job, deadline) in list(running.items()):
            if now > deadline and not job.get("timed_out"):
                job["timed_out"] = True
                _kill_group(pid)
        while running:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            job, _ = running.pop(pid, (None, 0))
            if job is not None:
                _kill_group(pid)  # whatever it left behind
                reply({"job": job["job"], "returncode": os.waitstatus_to_exitcode(status),
                       "timed_out": bool(job.get("timed_out"))})
    return 0


def _fork_child(job: dict) -> int:
    pid = os.fork()
    if pid != 0:
        return pid
    code = 70
    try:
        from graders.engine import worker

        work = Path(job["dir"])
        results = worker.open_results(work)  # before privileges drop: the submission cannot open it
        how, work = containment.enter(work, [Path(p) for p in job.get("hidden", [])],
                                      containment.Limits(**job.get("limits", {})), int(job["uid"]))
        code = worker.run_job(work, results, how)
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
    sys.exit(serve(int(sys.argv[1]) if len(sys.argv) > 1 else 1))
