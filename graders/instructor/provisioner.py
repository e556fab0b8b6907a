"""The kernel provisioner of nbgrader's autograde kernel: each kernel contained as the
kit's grader contains a submission, and forked from a pre-warmed server.

jupyter_client asks a kernelspec's provisioner to launch, signal and kill the kernel. This
one (entry point `graders-contained`, used by the kernelspec in `kernels/`) hands the
launch to `graders.engine.kernel_server`, started once per nbgrader process, which forks
every kernel from a process that has already imported TensorFlow, so that no notebook pays
that import. Each kernel gets:
- a root holding only the system folders, the Python environment and the public selfcheck
  package, read-only: not the course (source/, release/, submitted/, autograded/,
  feedback/, gradebook.db), not the kit's solutions/, graders/, tests/ or build/;
- as its working folder a throwaway copy of the submission's folder (regular files and
  folders only: symbolic links are not followed), within a size budget;
- a private /tmp, no network, a user id of its own as root (inside a user namespace
  otherwise), the kit's resource limits, an environment of a few named variables;
- its own PID namespace: killing it (nbgrader's shutdown, a cell past its time limit) ends
  every process it started.
It talks to nbgrader over `ipc` (Unix sockets in a folder bound into its namespace: TCP on
the loopback of another network namespace would not reach nbgrader).
"""

from __future__ import annotations

import asyncio
import atexit
import importlib.util
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning import KernelProvisionerBase
from traitlets import Dict as DictTrait

from graders.engine import QUIET_ENV, ReferenceCache, system_paths

KERNEL_NAME = "hello-tensorflow-contained"
KERNELS = Path(__file__).resolve().parent / "kernels"  # a kernelspec folder: <name>/kernel.json
KIT = Path(__file__).resolve().parents[2]
UID_BASE, UID_COUNT = 63000, 1000  # the batch's submissions use 61000-62999
MAX_COPY_BYTES, MAX_COPY_FILES = 50 << 20, 2000
SOCKET_PATH_LIMIT = 100  # Unix socket paths are at most 107 bytes; ipc adds "-<port>"
READY_TIMEOUT, START_TIMEOUT = 300.0, 90.0

# The variables a kernel keeps from nbgrader's environment (by name or prefix); the rest
# (tokens, credentials, paths into the course) stay outside.
PASSED = (
    "PATH",
    "LANG",
    "LANGUAGE",
    "TZ",
    "TERM",
    "MPLBACKEND",
    "PYTHONHASHSEED",
    "OMP_NUM_THREADS",
    "NBGRADER_EXECUTION",
    "NBGRADER_VALIDATING",
)
PASSED_PREFIXES = ("LC_", "TF_", "GRADERS_", "KERAS_")


class KernelServer:
    """This process's pre-warmed kernel server: started on first use, ended at exit (its
    input closes, and it kills every kernel it started)."""

    def __init__(self) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="graders-kernel-server-"))
        self.log = self.base / "server.log"
        env = {**os.environ, **QUIET_ENV, "MPLBACKEND": "Agg"}
        env = {k: v for k, v in env.items() if not k.startswith("NBGRADER")}
        command = [sys.executable, "-m", "graders.engine.kernel_server"]
        if threading.current_thread() is threading.main_thread():
            command.append(str(os.getpid()))  # dies with this thread, and so with nbgrader
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                cwd=self.base,
                env=env,
                start_new_session=True,
            )
        self.ready = threading.Event()
        self.replies: dict[str, dict] = {}
        self.ended: dict[str, int] = {}
        self.lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            with self.lock:
                if record.get("ready"):
                    self.ready.set()
                elif "started" in record:
                    self.replies[str(record["started"])] = record
                elif "ended" in record:
                    self.ended[str(record["ended"])] = int(record.get("returncode", -9))
        self.ready.set()  # the server is gone: whoever waits stops waiting

    def alive(self) -> bool:
        return self.process.poll() is None

    async def start(self, request: dict) -> dict:
        """Ask for a kernel; the server's answer ({"pid", "how"} or {"error"})."""
        deadline = time.monotonic() + READY_TIMEOUT
        while not self.ready.is_set() and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        if not self.alive():
            raise RuntimeError(f"the kernel server failed to start: {self._log_tail()}")
        self.process.stdin.write((json.dumps(request) + "\n").encode())
        self.process.stdin.flush()
        key = str(request["start"])
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and self.alive():
            with self.lock:
                if key in self.replies:
                    return self.replies.pop(key)
            await asyncio.sleep(0.02)
        raise RuntimeError(f"the kernel server did not start the kernel: {self._log_tail()}")

    def returncode(self, key: str) -> int | None:
        """The kernel's exit status once it has ended (-9 if the server itself is gone)."""
        with self.lock:
            if key in self.ended:
                return self.ended[key]
        return None if self.alive() else -9

    def close(self) -> None:
        try:
            self.process.stdin.close()
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.base, ignore_errors=True)

    def _log_tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-1500:] or "(no output)"
        except OSError:
            return "(no log)"


_server: KernelServer | None = None
_server_lock = threading.Lock()
_numbers = itertools.count(1)
_folders: set[Path] = set()  # the kernels' folders not cleaned up yet


def kernel_server() -> KernelServer:
    """The kernel server of this process (started again if it died)."""
    global _server
    with _server_lock:
        if _server is None or not _server.alive():
            _server = KernelServer()
        return _server


def _at_exit() -> None:
    """End the server (and so every kernel), and remove what kernels left behind."""
    if _server is not None:
        _server.close()
    for folder in list(_folders):
        shutil.rmtree(folder, ignore_errors=True)


atexit.register(_at_exit)


class ContainedProvisioner(KernelProvisionerBase):
    """Launches, signals and kills one contained kernel of the kernel server."""

    limits = DictTrait({}, config=True, help="resource limits (graders.engine.containment.Limits fields)")

    folder: Path | None = None
    key: str | None = None
    pid: int | None = None  # the kernel's PID namespace's first process
    pidfd: int | None = None  # signals go through it: never to another process that took the id
    how: str = ""
    extra_arguments: list[str]  # set by pre_launch

    @property
    def has_process(self) -> bool:
        return self.pid is not None

    async def pre_launch(self, **kwargs: Any) -> dict[str, Any]:
        """A folder for this kernel (sockets, working copy, log), its connection file there,
        and the `ipc` transport."""
        km = self.parent
        self.folder = Path(tempfile.mkdtemp(prefix="gk-", dir=_short_temp()))
        _folders.add(self.folder)
        os.chmod(self.folder, 0o711)
        sockets = self.folder / "s"
        sockets.mkdir(mode=0o700)
        if len(str(sockets / "kernel-99")) > SOCKET_PATH_LIMIT:
            raise RuntimeError(f"the kernel's socket folder {sockets} is too long a path for Unix sockets")
        km.transport = "ipc"
        km.ip = str(sockets / "kernel")
        km.connection_file = str(sockets / "kernel.json")
        km.write_connection_file()
        self.connection_info = km.get_connection_info()
        self.extra_arguments = list(kwargs.pop("extra_arguments", []))
        if not any(a.startswith("--HistoryManager.hist_file") for a in self.extra_arguments):
            self.extra_arguments.append("--HistoryManager.hist_file=:memory:")
        kwargs["cmd"] = km.format_kernel_cmd(extra_arguments=self.extra_arguments)
        return await super().pre_launch(**kwargs)

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        assert self.folder is not None
        uid = UID_BASE + (os.getpid() * 7 + next(_numbers)) % UID_COUNT
        work = self.folder / "work"
        copy_folder(Path(kwargs.get("cwd") or os.getcwd()), work)
        sockets = self.folder / "s"
        log = self.folder / "kernel.log"
        if os.geteuid() == 0:  # the kernel's own user id must own what it may write
            for path in [sockets, *sockets.iterdir(), work, *work.rglob("*")]:
                os.lchown(path, uid, uid)
        visible = kernel_visible_paths()
        self.key = f"{os.getpid()}-{next(_numbers)}"
        request = {
            "start": self.key,
            "connection_file": str(sockets / "kernel.json"),
            "work": str(work),
            "sockets": str(sockets),
            "log": str(log),
            "uid": uid,
            "visible": [str(p) for p in visible],
            "hidden": [str(p) for p in kernel_hidden_paths(visible, Path(kwargs.get("cwd") or os.getcwd()))],
            "limits": dict(self.limits),
            "env": kernel_environment(kwargs.get("env") or os.environ),
            "argv": self.extra_arguments,
        }
        answer = await kernel_server().start(request)
        if "error" in answer:
            raise RuntimeError(f"the contained kernel did not start: {answer['error']}")
        self.pid = int(answer["pid"])
        self.how = str(answer["how"])
        try:
            self.pidfd = os.pidfd_open(self.pid)
        except OSError:  # it has ended already: poll() says so
            self.pidfd = None
        self.log.info("contained kernel (uid %s): %s", uid if os.geteuid() == 0 else os.getuid(), self.how)
        return self.connection_info

    async def poll(self) -> int | None:
        if self.key is None:
            return 0
        return kernel_server().returncode(self.key) if _server is not None else 0

    async def wait(self) -> int | None:
        while (code := await self.poll()) is None:
            await asyncio.sleep(0.05)
        self.pid = None
        self._close_pidfd()
        return code

    async def send_signal(self, signum: int) -> None:
        """To the namespace's first process: it passes every signal but SIGKILL on to the
        kernel; SIGKILL ends it, and with it every process of the namespace."""
        if self.pidfd is not None and await self.poll() is None:
            try:
                signal.pidfd_send_signal(self.pidfd, signum)
            except ProcessLookupError:
                pass

    async def kill(self, restart: bool = False) -> None:
        await self.send_signal(signal.SIGKILL)

    async def terminate(self, restart: bool = False) -> None:
        await self.send_signal(signal.SIGTERM)

    async def cleanup(self, restart: bool = False) -> None:
        self._close_pidfd()
        if self.folder is not None and not restart:
            shutil.rmtree(self.folder, ignore_errors=True)
            _folders.discard(self.folder)
            self.folder = None

    def _close_pidfd(self) -> None:
        if self.pidfd is not None:
            os.close(self.pidfd)
            self.pidfd = None

    async def get_provisioner_info(self) -> dict[str, Any]:
        info = await super().get_provisioner_info()
        info.update({"pid": self.pid, "folder": str(self.folder) if self.folder else None})
        return info


def kernel_visible_paths() -> list[Path]:
    """What the kernel's root holds: the system folders, the Python installation and
    environment, and the public selfcheck package (none of the kit's other folders)."""
    spec = importlib.util.find_spec("selfcheck")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the selfcheck package is not installed in this environment")
    return system_paths(resolve=False) + [Path(spec.submodule_search_locations[0]).resolve()]


def kernel_hidden_paths(visible: list[Path], cwd: Path) -> list[Path]:
    """Folders covered in the kernel's root should they lie inside a visible one (a course,
    or the kit, inside the Python environment; the kit installed into site-packages): never
    one that holds a visible folder."""
    import graders

    course = cwd.resolve().parents[2] if len(cwd.resolve().parents) > 2 else cwd.resolve()
    candidates = [Path(graders.__file__).resolve().parent, cwd.resolve(), course]
    candidates += [KIT / name for name in ("solutions", "source", "graders", "tests", "build")]
    candidates += [course / name for name in ("source", "release", "submitted", "autograded", "feedback")]
    candidates.append(Path("/dev/shm"))  # the host's shared memory: another way between kernels
    cache = ReferenceCache.configured()
    if cache is not None:
        candidates.append(cache.folder)  # the hidden cases and their answers
    return [
        p
        for p in dict.fromkeys(candidates)
        if p.is_dir() and not any(v == p or v.is_relative_to(p) for v in visible)
    ]


def kernel_environment(env: dict[str, str] | os._Environ) -> dict[str, str]:
    """The variables the kernel keeps from nbgrader's environment."""
    return {k: v for k, v in env.items() if k in PASSED or k.startswith(PASSED_PREFIXES)}


def copy_folder(source: Path, target: Path) -> None:
    """Copy the regular files and folders of `source` (never following a symbolic link),
    within a budget of bytes and files."""
    target.mkdir(mode=0o700)
    budget, files = MAX_COPY_BYTES, MAX_COPY_FILES
    for folder, subfolders, names in os.walk(source, followlinks=False):
        here = Path(folder)
        into = target / here.relative_to(source)
        subfolders[:] = [d for d in sorted(subfolders) if not (here / d).is_symlink() and d != "__pycache__"]
        for d in subfolders:
            (into / d).mkdir(mode=0o700, exist_ok=True)
        for name in sorted(names):
            path = here / name
            if path.is_symlink() or not path.is_file() or files <= 0:
                continue
            size = path.stat().st_size
            if size <= budget:
                shutil.copyfile(path, into / name, follow_symlinks=False)
                budget -= size
                files -= 1


def _short_temp() -> str:
    """A temporary folder short enough for Unix socket paths (/tmp where it exists)."""
    for candidate in ("/tmp", tempfile.gettempdir()):
        if os.path.isdir(candidate) and os.access(candidate, os.W_OK | os.X_OK):
            return candidate
    return tempfile.gettempdir()
