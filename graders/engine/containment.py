"""What a submission's process may do: entered by the forked child before it runs any of
the submission's code.

- Its own session (the whole process group is killed at the time limit), standard input
  closed, standard output and error sent to a bounded log file.
- Resource limits: address space, CPU time, file size, open files, core dumps, and (once
  privileges are dropped) the number of processes and threads.
- As root: new mount and network namespaces, in which the kit's secrets (the reference
  solutions, the source notebooks, the hidden checks, the tests), the other students'
  submissions and the grader's output folder are covered by empty, read-only tmpfs mounts;
  /tmp, /var/tmp and /dev/shm are fresh, private tmpfs mounts (its own folder is bound at
  /tmp/job); no network but a loopback that is down; then it takes a user id of its own
  (not shared with any other submission being graded), so it can neither read another
  submission's files or processes nor write anywhere but its throwaway folders.
- Not root: the same namespaces inside a user namespace where the kernel allows it;
  elsewhere only the resource limits apply (`describe()` says which).
"""

from __future__ import annotations

import ctypes
import os
import resource
from dataclasses import dataclass
from pathlib import Path

CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWNET = 0x00020000, 0x10000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 4096, 0x4000, 1 << 18
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
    return ("own process with memory/CPU/output limits; no network and secrets hidden where the "
            "kernel allows unprivileged user namespaces (run as root for the full sandbox)")


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
    own = os.open(work, os.O_RDONLY | os.O_DIRECTORY)  # still reachable once /tmp is covered
    covered = sum(_cover(libc, path, b"size=64k,mode=0555", MS_RDONLY) for path in hidden if path.is_dir())
    for scratch in (Path("/tmp"), Path("/var/tmp"), Path("/dev/shm")):
        if scratch.is_dir():
            _cover(libc, scratch, b"size=256m,mode=1777", 0)
    JOB_MOUNT.mkdir()
    if libc.mount(f"/proc/self/fd/{own}".encode(), str(JOB_MOUNT).encode(), None, MS_BIND, None) != 0:
        raise OSError(ctypes.get_errno(), "cannot bind the job folder")
    os.close(own)
    return f"own mount and network namespaces, {covered} folder(s) hidden, private /tmp", JOB_MOUNT


def _cover(libc, path: Path, options: bytes, flags: int) -> bool:
    """Mount an empty tmpfs over `path`."""
    return libc.mount(b"tmpfs", str(path).encode(), b"tmpfs", flags | MS_NOSUID | MS_NODEV, options) == 0
