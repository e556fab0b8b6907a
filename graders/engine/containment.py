"""What a submission's process may do: entered before it runs any of the submission's code.

`run_contained(work, hidden, limits, uid, body)` forks the contained process and waits for it:
- Where the kernel allows it, the process is the first of a new PID namespace. When it
  ends, for any reason, the kernel kills every process it started (helpers, daemons, forks
  that left its session): nothing a submission starts outlives it. It dies with the process
  that waits for it (PR_SET_PDEATHSIG), which dies with the fork server, which dies with the
  grader.
- Its own session (the whole process group is killed at the time limit), standard input
  closed, standard output and error sent to a bounded log file.
- Resource limits: address space, CPU time, file size, open files, core dumps, and (once
  privileges are dropped) the number of processes and threads.
- As root: new mount and network namespaces, in which the kit's secrets (the reference
  solutions, the source notebooks, the hidden checks, the tests), the other students'
  submissions and the grader's output folder are covered by empty, read-only tmpfs mounts;
  the process is moved into a new root that holds only the system folders, the Python
  installation and environment and the kit's engine, read-only, a /proc of its own PID
  namespace, and a fresh private /tmp with its own folder bound at /tmp/job; no network but
  a loopback that is down; then it takes a user id of its own (not shared with any other
  submission being graded), so it can neither read another submission's files or processes
  nor write anywhere but its throwaway folders.
- Not root: the same namespaces inside a user namespace where the kernel allows it;
  elsewhere only the resource limits apply (`describe()` says which).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import resource
import select
import signal
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = (
    0x00020000,
    0x08000000,
    0x10000000,
    0x20000000,
    0x40000000,
)
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = (
    1,
    2,
    4,
    8,
    32,
    4096,
    0x4000,
    1 << 18,
)
PR_SET_PDEATHSIG = 1
PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 24, 38, 47, 4
_LINUX_CAPABILITY_VERSION_3 = 0x20080522
JOB_MOUNT = Path("/tmp/job")
NO_NAMESPACES_ENV = "GRADERS_NO_NAMESPACES"


MEMORY_FLOOR_MB = 2560  # TensorFlow maps about 1.4 GB running a whole assignment, and fails below 1.3 GB
MEMORY_CEILING_MB = 4096
CGROUP_MEMORY = (Path("/sys/fs/cgroup/memory.max"), Path("/sys/fs/cgroup/memory/memory.limit_in_bytes"))


def machine_memory_mb(
    meminfo: Path = Path("/proc/meminfo"), cgroups: tuple[Path, ...] = CGROUP_MEMORY
) -> int:
    """The memory this machine has: MemTotal, or the container's cgroup limit where lower."""
    total = next(
        int(line.split()[1]) >> 10
        for line in meminfo.read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    for path in cgroups:
        try:
            text = path.read_text().strip()
        except OSError:
            continue
        if text.isdigit():  # "max" (cgroup v2) means no limit
            total = min(total, int(text) >> 20)
    return total


def memory_limit_mb() -> int:
    """The address space one submission may map: a quarter of the machine's memory (several
    run at once), never less than TensorFlow needs, never more than 4 GiB (more would only let
    a runaway submission fill more memory before its MemoryError). In a container smaller
    than the floor, the kernel's OOM killer ends the submission first (see `enter`)."""
    return min(MEMORY_CEILING_MB, max(MEMORY_FLOOR_MB, machine_memory_mb() // 4))


@dataclass(frozen=True)
class Limits:
    """Resource limits of one submission's process."""

    memory_mb: int = field(default_factory=memory_limit_mb)  # address space
    cpu_seconds: int = 600  # CPU time of the process (all its threads)
    output_mb: int = 64  # largest file it may write (its log, temporary files)
    open_files: int = 256
    processes: int = 512  # processes and threads of the unprivileged user


def die_with_parent(signum: int = signal.SIGKILL) -> None:
    """Have the kernel send `signum` to this process when the thread that forked it ends."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0)


def run_contained(
    work: Path,
    hidden: list[Path],
    limits: Limits,
    uid: int,
    body: Callable[[str, Path], int],
    *,
    visible: list[Path] | None = None,
    binds: tuple[Path, ...] = (),
    log: Path | None = None,
    started: Callable[[int], None] | None = None,
) -> int:
    """Run `body(how, work)` in a contained child of this (freshly forked, single-threaded)
    process and wait for it; return its exit status as `os.waitstatus_to_exitcode` gives it.

    This process enters the new namespaces first, so that its child is the first process of
    a new PID namespace; the child dies with this process, and everything it started dies
    with the child. Where there are no namespaces, the child's process group (and, as root,
    every process of its user id) is killed when it ends.

    The keywords serve other contained processes (the autograde kernel): `visible` replaces
    the folders bound read-only into the new root, `binds` are folders bound writable at
    their own paths, `log` receives standard output and error instead of work/output.log,
    and `started` is called with the child's process id (as this process sees it).
    """
    namespaces = _unshare()
    alive_read, alive_write = os.pipe()  # closed when this process ends, for any reason
    pid = os.fork()
    if pid == 0:
        code = 70
        try:
            os.close(alive_write)
            die_with_parent()
            if select.select([alive_read], [], [], 0)[0]:  # the parent died before prctl
                os._exit(70)
            how, inside = enter(work, hidden, limits, uid, namespaces, visible=visible, binds=binds, log=log)
            die_with_parent()  # the kernel forgets the parent-death signal when the user id changes
            if select.select([alive_read], [], [], 0)[0]:  # the parent died in between
                os._exit(70)
            code = body(how, inside)
        except BaseException:  # nothing may escape a forked child; its log says what did
            code = 70
            with contextlib.suppress(BaseException):
                traceback.print_exc()
        finally:
            os._exit(code)
    os.close(alive_read)
    if started is not None:
        started(pid)
    status = _wait(pid)
    if namespaces is None:
        _kill_leftovers(pid, uid)
    return os.waitstatus_to_exitcode(status)


def _wait(pid: int) -> int:
    while True:
        try:
            return os.waitpid(pid, 0)[1]
        except InterruptedError:
            continue


def _kill_leftovers(pid: int, uid: int) -> None:
    """Without a PID namespace: kill what the child left in its process group and, as
    root, every process of its user id (helpers that left the group)."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass
    if os.geteuid() == 0:
        killer = os.fork()
        if killer == 0:
            try:
                os.setgid(uid)
                os.setuid(uid)
                os.kill(-1, signal.SIGKILL)  # every process this user id may signal: its own
            finally:
                os._exit(0)
        _wait(killer)


def _unshare() -> str | None:
    """Enter new mount, network, IPC and PID namespaces (in a user namespace when not root),
    or None where the kernel refuses. The PID namespace holds this process's next child."""
    if os.environ.get(NO_NAMESPACES_ENV) == "1":
        return None  # tests only: behave as where the kernel refuses (Docker's default seccomp)
    libc = ctypes.CDLL(None, use_errno=True)
    flags = CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWIPC
    if os.geteuid() == 0:
        return "root" if libc.unshare(flags) == 0 else None
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(flags | CLONE_NEWUSER) != 0:
        return None
    Path("/proc/self/setgroups").write_text("deny")
    Path("/proc/self/uid_map").write_text(f"{uid} {uid} 1")
    Path("/proc/self/gid_map").write_text(f"{gid} {gid} 1")
    return "user"


def enter(
    work: Path,
    hidden: list[Path],
    limits: Limits,
    uid: int,
    namespaces: str | None = None,
    *,
    visible: list[Path] | None = None,
    binds: tuple[Path, ...] = (),
    log: Path | None = None,
) -> tuple[str, Path]:
    """Contain the current process (the first of its PID namespace when `namespaces` is
    set); return how it is contained and where its working folder now is."""
    if namespaces is None:
        os.setsid()
    _redirect_output(log or work / "output.log")
    try:  # a container at its memory limit: the kernel kills the submission, not the grader
        Path("/proc/self/oom_score_adj").write_text("1000")
    except OSError:
        pass
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_mb << 20,) * 2)
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.output_mb << 20,) * 2)
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files,) * 2)
    how, work = _isolate(work, hidden, visible, binds) if namespaces else (_no_namespaces(), work)
    if os.geteuid() == 0:
        resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes,) * 2)
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
        how += f", running as uid {uid}"
    # In a user namespace the process still holds every capability of it (enough to leave
    # the chroot or unmount what hides the secrets); as a user id of its own it could still
    # run set-user-id programs. Neither survives this.
    drop_capabilities()
    os.chdir(work)
    os.environ.update({"HOME": str(work), "TMPDIR": str(work)})
    return how, work


def describe() -> str:
    """How submissions are contained on this machine, for the grading report (probed, not
    assumed: a container may refuse namespaces even to root)."""
    if os.geteuid() == 0 and namespaces_allowed():
        return (
            "own process, PID namespace and user id, no network, secrets and other submissions hidden, "
            "private /tmp (mount namespace), memory/CPU/output/process limits"
        )
    if os.geteuid() == 0:
        return (
            "own process and user id with memory/CPU/output/process limits only: this machine refuses "
            "new namespaces, so the file permissions alone keep the kit's files from submissions"
        )
    if namespaces_allowed():
        return (
            "own process and PID namespace in a user namespace: no network, secrets and other "
            "submissions hidden, private /tmp, memory/CPU/output limits; same user id as the grader "
            "(run as root for a user id per submission)"
        )
    return (
        "own process with memory/CPU/output limits only: this machine allows no unprivileged "
        "user namespaces, so submissions can read what the grading user can and use the "
        "network (run as root for the full sandbox)"
    )


_namespaces: bool | None = None


def namespaces_allowed() -> bool:
    """Whether this process may create the namespaces `run_contained` uses (inside a user
    namespace when not root); probed once, in a separate process."""
    global _namespaces
    if os.environ.get(NO_NAMESPACES_ENV) == "1":
        return False
    if _namespaces is None:
        flags = CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID | (0 if os.geteuid() == 0 else CLONE_NEWUSER)
        probe = f"import ctypes, sys; sys.exit(ctypes.CDLL(None).unshare({flags}) != 0)"
        _namespaces = (
            subprocess.run(
                [sys.executable, "-c", probe],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            ).returncode
            == 0
        )
    return _namespaces


def _redirect_output(log: Path) -> None:
    null = os.open(os.devnull, os.O_RDONLY)
    out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(null, 0)
    os.dup2(out, 1)
    os.dup2(out, 2)
    os.close(null)
    os.close(out)


def _no_namespaces() -> str:
    if os.geteuid() == 0:
        return "resource limits only (this machine refused new namespaces)"
    return "resource limits only (no unprivileged namespaces on this machine)"


def _isolate(
    work: Path, hidden: list[Path], visible: list[Path] | None = None, binds: tuple[Path, ...] = ()
) -> tuple[str, Path]:
    """In new mount and PID namespaces: build the submission's root and move into it
    (`visible`, `binds`: see `run_contained`)."""
    libc = ctypes.CDLL(None, use_errno=True)
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
    for path in _visible_paths() if visible is None else visible:
        _bind(libc, path, new_root / path.relative_to("/"), read_only=True)
    _mount_proc(libc, new_root / "proc")
    shm = new_root / "dev" / "shm"
    if shm.is_dir():  # the host's shared memory stays the host's: a private one instead
        _cover(libc, shm, b"size=64m,mode=1777", 0)
    for path in hidden:
        inside = new_root / path.relative_to("/")
        if inside.is_dir():
            _cover(libc, inside, b"size=64k,mode=0555", MS_RDONLY)
    job = new_root / str(JOB_MOUNT).lstrip("/")
    _bind(libc, work, job, read_only=False)
    for path in binds:
        _bind(libc, path, new_root / path.relative_to("/"), read_only=False)
    os.chroot(new_root)
    os.chdir("/")
    return (
        "own mount, network, IPC and PID namespaces, a root holding only the Python environment",
        JOB_MOUNT,
    )


def _mount_proc(libc, target: Path) -> None:
    """A /proc that lists only the submission's own PID namespace, or the host's, read-only,
    where the kernel refuses a new one (as in some containers)."""
    target.mkdir(exist_ok=True)
    if libc.mount(b"proc", str(target).encode(), b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None) != 0:
        _bind(libc, Path("/proc"), target, read_only=True)


def _visible_paths() -> list[Path]:
    """System folders, the Python installation and environment, the kit's engine code."""
    from graders.paths import ENGINE, EXERCISES

    return system_paths() + [p.resolve() for p in (ENGINE, EXERCISES) if p.exists()]


def system_paths(resolve: bool = True) -> list[Path]:
    """The system folders and the Python installation and environment: what any Python
    process needs to see. With `resolve=False` the system folders keep their own names
    (where /lib64 is a link into /usr, the new root then has a /lib64 too, and programs
    find their loader)."""
    paths = [Path(p) for p in ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc", "/dev", "/sys")]
    paths = [p if not resolve and p.exists() else p.resolve() for p in paths]
    paths += [Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()]
    return list(dict.fromkeys(p for p in paths if p.exists()))


def drop_capabilities() -> None:
    """Give up every capability for good (the bounding and ambient sets too) and forbid
    gaining privileges through set-user-id programs.

    Inside a user namespace the first process holds every capability of that namespace,
    which would let it leave its chroot or unmount what covers the secrets; a process that
    became an ordinary user id as root lost them already, but not the right to run set-user-id
    programs. Call it before running untrusted code."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in range(64):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 and ctypes.get_errno() == errno.EINVAL:
            break  # past the last capability this kernel knows
    libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    header = (ctypes.c_uint32 * 2)(_LINUX_CAPABILITY_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()  # effective, permitted, inheritable (two 32-bit words each)
    if libc.capset(header, data) != 0:
        raise OSError(ctypes.get_errno(), "cannot drop capabilities")
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "cannot forbid new privileges")


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
