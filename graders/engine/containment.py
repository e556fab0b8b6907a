"""What a submission's process may do: entered by the forked child before it runs any of
the submission's code.

- Its own session (the whole process group is killed at the time limit), standard input
  closed, standard output and error sent to a bounded log file.
- Resource limits: address space, CPU time, file size, open files, core dumps, and (once
  privileges are dropped) the number of processes and threads.
- As root: new mount and network namespaces, in which the kit's secrets (the reference
  solutions, the source notebooks, the hidden checks, the tests), the other students'
  submissions and the grader's output folder are covered by empty, read-only tmpfs mounts;
  the process is moved into a new root that holds only the system folders, the Python
  installation and environment and the kit's engine, read-only, and a fresh private /tmp
  with its own folder bound at /tmp/job; no network but a loopback that is down; then it takes a user id of its own
  (not shared with any other submission being graded), so it can neither read another
  submission's files or processes nor write anywhere but its throwaway folders.
- Not root: the same namespaces inside a user namespace where the kernel allows it;
  elsewhere only the resource limits apply (`describe()` says which).
"""

from __future__ import annotations

import ctypes
import os
import resource
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWNET = 0x00020000, 0x10000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 32, 4096, 0x4000, 1 << 18
NOBODY = 65534
JOB_MOUNT = Path("/tmp/job")


@dataclass(frozen=True)
class Limits:
    """Resource limits of one submission's process."""

    memory_mb: int = 4096        # address space; TensorFlow alone maps about 1.5 GB
    cpu_seconds: int = 600       # CPU time of the process (all its threads)
    output_mb: int = 64          # largest file it may write (its log, temporary files)
    open_files: int = 256
    processes: int = 512         # processes and threads of the unprivileged user


def enter(work: Path, hidden: list[Path], limits: Limits, uid: int) -> tuple[str, Path]:
    """Contain the current (freshly forked) process; return how it is contained and where
    its working folder now is."""
    os.setsid()
    _redirect_output(work / "output.log")
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_mb << 20,) * 2)
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.output_mb << 20,) * 2)
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files,) * 2)
    how, work = _isolate(work, hidden)
    if os.geteuid() == 0:
        resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes,) * 2)
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
        how += f", running as uid {uid}"
    os.chdir(work)
    os.environ.update({"HOME": str(work), "TMPDIR": str(work)})
    return how, work


def describe() -> str:
    """How submissions are contained on this machine, for the grading report."""
    if os.geteuid() == 0:
        return ("own process and user id, no network, secrets and other submissions hidden, "
                "private /tmp (mount namespace), memory/CPU/output/process limits")
    if user_namespaces_allowed():
        return ("own process in a user namespace: no network, secrets and other submissions hidden, "
                "private /tmp, memory/CPU/output limits; same user id as the grader (run as root "
                "for a user id per submission)")
    return ("own process with memory/CPU/output limits only: this machine allows no unprivileged "
            "user namespaces, so submissions can read what the grading user can and use the "
            "network (run as root for the full sandbox)")


_namespaces: bool | None = None


def user_namespaces_allowed() -> bool:
    """Whether an unprivileged process may create the namespaces `enter` uses (probed once,
    in a separate process)."""
    global _namespaces
    if _namespaces is None:
        probe = f"import ctypes, sys; sys.exit(ctypes.CDLL(None).unshare({CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET}) != 0)"
        _namespaces = subprocess.run([sys.executable, "-c", probe], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
    return _namespaces


def _redirect_output(log: Path) -> None:
    null = os.open(os.devnull, os.O_RDONLY)
    out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(null, 0)
    os.dup2(out, 1)
    os.dup2(out, 2)
    os.close(null)
    os.close(out)


def _isolate(work: Path, hidden: list[Path]) -> tuple[str, Path]:
    libc = ctypes.CDLL(None, use_errno=True)
    flags = CLONE_NEWNS | CLONE_NEWNET
    if os.geteuid() != 0:
        uid, gid = os.getuid(), os.getgid()
        if libc.unshare(flags | CLONE_NEWUSER) != 0:
            return "resource limits only (no namespaces on this machine)", work
        Path("/proc/self/setgroups").write_text("deny")
        Path("/proc/self/uid_map").write_text(f"{uid} {uid} 1")
        Path("/proc/self/gid_map").write_text(f"{gid} {gid} 1")
    elif libc.unshare(flags) != 0:
        return "resource limits only (unshare failed)", work
    libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None)
    # A new root holding only what Python and TensorFlow need, read-only, plus a private
    # /tmp with the job's own folder bound at /tmp/job: the rest of the disk (other copies
    # of the kit, home folders, other submissions) does not exist for the submission.
    new_root = Path(tempfile.mkdtemp(prefix="root-", dir=work.parent))  # removed with the job folders
    if not _cover(libc, new_root, b"size=16m,mode=0755", 0):
        return "resource limits only (no mounts allowed)", work
    # The private /tmp first: the environment or the kit may live under /tmp and are bound
    # into it below.
    (new_root / "tmp").mkdir(exist_ok=True)
    _cover(libc, new_root / "tmp", b"size=256m,mode=1777", 0)
    for path in _visible_paths():
        _bind(libc, path, new_root / path.relative_to("/"), read_only=True)
    for path in hidden:
        inside = new_root / path.relative_to("/")
        if inside.is_dir():
            _cover(libc, inside, b"size=64k,mode=0555", MS_RDONLY)
    job = new_root / str(JOB_MOUNT).lstrip("/")
    _bind(libc, work, job, read_only=False)
    os.chroot(new_root)
    os.chdir("/")
    return "own mount and network namespaces, a root holding only the Python environment", JOB_MOUNT


def _visible_paths() -> list[Path]:
    """System folders, the Python installation and environment, the kit's engine code."""
    kit = Path(__file__).resolve().parents[2]
    paths = [Path(p) for p in ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc", "/dev", "/proc", "/sys")]
    paths += [Path(sys.prefix), Path(sys.base_prefix), kit / "graders", kit / "exercises"]
    return [p.resolve() for p in paths if p.exists()]


def _bind(libc, source: Path, target: Path, read_only: bool) -> None:
    if source.is_dir():
        target.mkdir(parents=True, exist_ok=True)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.touch()
    if libc.mount(str(source).encode(), str(target).encode(), None, MS_BIND | MS_REC, None) != 0:
        raise OSError(ctypes.get_errno(), f"cannot bind {source}")
    if read_only:
        libc.mount(None, str(target).encode(), None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC, None)


def _cover(libc, path: Path, options: bytes, flags: int) -> bool:
    """Mount an empty tmpfs over `path`."""
    return libc.mount(b"tmpfs", str(path).encode(), b"tmpfs", flags | MS_NOSUID | MS_NODEV, options) == 0
