"""A pre-warmed server of contained Jupyter kernels, for nbgrader's autograde.

`python -m graders.engine.kernel_server [PARENT_PID]` imports TensorFlow, Keras, matplotlib,
the public selfcheck package and ipykernel once (about 5 s and 0.5 GB), so that a kernel it
starts pays none of that, then reads requests as JSON lines on standard input:

    {"start": id, "connection_file": file, "work": folder, "sockets": folder, "log": file,
     "uid": int, "visible": [folders], "hidden": [folders], "limits": {...}, "env": {...},
     "argv": [kernel arguments]}

For each it forks a child that enters `containment.run_contained` (new mount, network and
PID namespaces, a root holding only `visible` read-only, `work` bound at /tmp/job, the
`sockets` folder bound writable at its own path, a user id of its own as root, the resource
limits) and runs an ipykernel there, talking over `ipc` sockets in `sockets`. It answers
{"started": id, "pid": pid, "how": text} (`pid`: the namespace's first process, which
passes signals on to the kernel, and whose death ends every process of the namespace) or
{"started": id, "error": text}, and {"ended": id, "returncode": int} when that kernel has
ended. When its standard input closes (nbgrader ended, however it ended) it kills every
kernel and exits; with PARENT_PID it also dies with the thread that started it.

TensorFlow's runtime starts lazily at the first operation; the server never runs one, so
every kernel initialises its own after the fork.
"""

from __future__ import annotations

import ctypes
import importlib
import json
import os
import resource
import select
import signal
import sys
import time
import traceback
from pathlib import Path

from graders.engine import containment, quick_exit
from graders.engine.control import Requests, reply

# Signals the namespace's first process passes on to the kernel (SIGKILL ends them all).
FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2)
START_TIMEOUT = 60.0
CLONE_NEWIPC = 0x08000000


def preload() -> None:
    """Import what every notebook of the kit imports, and the kernel itself, without starting
    TensorFlow's runtime or any ZeroMQ context. (The one thread this leaves, NumPy's BLAS
    worker, is shut down by its own fork handler before every fork.)"""
    quiet = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0", "MPLBACKEND": "Agg"}
    for key, value in quiet.items():
        os.environ.setdefault(key, value)
    # imported for their own sake: loaded once here, every kernel finds them loaded
    import matplotlib

    matplotlib.use("Agg")
    import ipykernel.ipkernel
    import ipykernel.kernelapp  # noqa: F401
    import IPython  # noqa: F401
    import keras  # noqa: F401
    import matplotlib.pyplot
    import numpy  # noqa: F401
    import tensorflow  # noqa: F401

    import selfcheck  # noqa: F401


class Server:
    """The running kernels of one server: keeper process id -> request id."""

    def __init__(self) -> None:
        self.kernels: dict[int, object] = {}
        self.first: dict[int, int] = {}  # keeper pid -> the namespace's first process

    def start(self, request: dict) -> None:
        report_read, report_write = os.pipe()
        server = os.getpid()
        keeper = os.fork()
        if keeper == 0:
            os.close(report_read)
            _keep(request, report_write, server)  # never returns
        os.close(report_write)
        report = _read_report(report_read, START_TIMEOUT)
        os.close(report_read)
        if "pid" in report and "how" in report:
            self.kernels[keeper] = request["start"]
            self.first[keeper] = int(report["pid"])
            reply({"started": request["start"], "pid": report["pid"], "how": report["how"]})
            return
        _kill(keeper, report.get("pid"))
        os.waitpid(keeper, 0)
        reply(
            {
                "started": request["start"],
                "error": report.get("error") or f"the kernel's containment failed (see {request.get('log')})",
            }
        )

    def reap(self) -> None:
        while self.kernels:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            if pid in self.kernels:
                self.first.pop(pid, None)
                reply({"ended": self.kernels.pop(pid), "returncode": os.waitstatus_to_exitcode(status)})

    def kill_all(self) -> None:
        """nbgrader is gone: end every kernel now."""
        for keeper in list(self.kernels):
            _kill(keeper, self.first.get(keeper))
        for keeper in list(self.kernels):
            try:
                os.waitpid(keeper, 0)
            except ChildProcessError:
                pass
        self.kernels.clear()


def serve(parent: int | None = None) -> int:
    if parent is not None:
        containment.die_with_parent()
        if os.getppid() != parent:
            return 1  # nbgrader ended before the line above took effect
    preload()
    reply({"ready": True, "pid": os.getpid()})
    server = Server()
    requests = Requests()
    while True:
        arrived = requests.poll(0.1)
        if arrived is None:
            server.kill_all()
            return 0
        for request in arrived:
            try:
                server.start(request)
            except Exception as error:  # one bad request must not end the others' kernels
                reply({"started": request.get("start"), "error": f"{type(error).__name__}: {error}"})
        server.reap()


def _read_report(fd: int, timeout: float) -> dict:
    """The lines the keeper and the contained process write while the kernel starts."""
    report: dict = {}
    buffer = b""
    deadline = time.monotonic() + timeout
    while not ("pid" in report and "how" in report):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            report["error"] = f"the kernel did not start within {timeout:.0f} s"
            break
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        for line in lines:
            report.update(json.loads(line))
    return report


def _kill(keeper: int, first: int | None) -> None:
    for pid in (first, keeper):
        if pid:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
    try:
        os.killpg(keeper, signal.SIGKILL)
    except OSError:
        pass


def _keep(request: dict, report: int, server: int) -> None:
    """The keeper: enter the namespaces, start the contained process, wait for it."""
    code = 70
    try:
        os.setsid()
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 0)  # the server's pipes stay the server's
        os.dup2(null, 1)
        os.close(null)
        containment.die_with_parent()
        if os.getppid() != server:
            os._exit(70)

        ipc = _own_ipc()  # as root; otherwise inside the user namespace, below

        def started(pid: int) -> None:
            os.write(report, (json.dumps({"pid": pid}) + "\n").encode())

        code = containment.run_contained(
            Path(request["work"]),
            [Path(p) for p in request.get("hidden", [])],
            containment.Limits(**request.get("limits", {})),
            int(request["uid"]),
            lambda how, inside: _first_process(request, how, report, ipc),
            visible=[Path(p) for p in request["visible"]],
            binds=(Path(request["sockets"]),),
            log=Path(request["log"]),
            started=started,
        )
        code = code if code >= 0 else 128 - code
    except BaseException:  # nothing may escape a forked child
        code = 70
    finally:
        os._exit(code)


def _own_ipc() -> bool:
    """New System V and POSIX IPC objects of its own (shared memory, semaphores, message
    queues), so that kernels cannot talk to each other, or to the host, through them."""
    return ctypes.CDLL(None, use_errno=True).unshare(CLONE_NEWIPC) == 0


def _first_process(request: dict, how: str, report: int, ipc: bool) -> int:
    """The namespace's first process, contained: start the kernel as its child, pass
    signals on to it, reap whatever it orphans, and end with it."""
    if ipc or _own_ipc():
        how += ", own IPC namespace"
    os.write(report, (json.dumps({"how": how}) + "\n").encode())
    os.close(report)
    containment.drop_capabilities()
    processes = containment.Limits(**request.get("limits", {})).processes
    resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))  # per user namespace, or per user id
    kernel = os.fork()
    if kernel == 0:
        code = 70
        try:
            code = _run_kernel(request)
        except BaseException:
            traceback.print_exc()
            code = 70
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)

    def forward(signum: int, frame: object) -> None:
        try:
            os.kill(kernel, signum)
        except OSError:
            pass

    for signum in FORWARDED:
        signal.signal(signum, forward)
    while True:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            return 70
        if pid == kernel:
            code = os.waitstatus_to_exitcode(status)
            return code if code >= 0 else 128 - code


def _run_kernel(request: dict) -> int:
    """Become the kernel: an environment of the request's variables only, nothing of the kit
    but the public selfcheck package importable, then ipykernel on the connection file."""
    for signum in FORWARDED:
        signal.signal(signum, signal.SIG_DFL)
    os.environ.clear()
    os.environ.update(request.get("env", {}))
    os.environ.update(
        {
            "HOME": str(containment.JOB_MOUNT),
            "TMPDIR": "/tmp",
            "IPYTHONDIR": "/tmp/.ipython",
            "MPLCONFIGDIR": "/tmp/.matplotlib",
            "PWD": os.getcwd(),
        }
    )
    _forget_the_kit()
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()
    app.initialize(["-f", request["connection_file"], *request.get("argv", [])])
    app.start()
    return 0


def _forget_the_kit() -> None:
    """Drop the kit's own modules (this server's) and any search path the new root does not
    hold, so that `import graders` fails as it would for a student."""
    for name in [n for n in sys.modules if n == "graders" or n.startswith("graders.")]:
        del sys.modules[name]
    sys.path[:] = [p for p in sys.path if p and Path(p).is_dir()]
    sys.path_importer_cache.clear()
    importlib.invalidate_caches()


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:] if a.isdigit()]
    quick_exit.run_then_exit(lambda: serve(arguments[0] if arguments else None))
