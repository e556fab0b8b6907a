"""Peak memory and time of the autograder on one complete submission.

`python -m graders.instructor.gradescope.measure [ID...]` builds the zip for ID... (default:
every assignment with a reference solution), runs its run_autograder here on the reference
solutions (see trial.py), and samples the whole process tree every 0.2 s:
- the sum of the processes' resident sets (RSS): pages they share (TensorFlow's libraries,
  the fork server's pages its children inherit) counted once per process, an upper bound;
- as root, the distinct physical pages they map (from /proc/PID/pagemap): what the
  container's memory limit is measured against, page cache aside; and of those, the
  anonymous ones (the rest are file pages, TensorFlow's libraries mostly, which the kernel
  can drop and read again when the container is at its limit);
- wall time, and CPU time (user + system of every process of the tree): Gradescope gives a
  container half a CPU by default, where a run takes about twice its CPU time.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import psutil

from graders.engine import run_then_exit
from graders.instructor.gradescope import bundle, trial
from selfcheck.assignments import ASSIGNMENTS

PAGE = os.sysconf("SC_PAGE_SIZE")
PRESENT, FILE, FRAME = np.uint64(1 << 63), np.uint64(1 << 61), np.uint64((1 << 55) - 1)
ANONYMOUS = np.uint64(1 << 56)  # marks an anonymous frame in the sets below (above any frame number)


def frames(pid: int) -> np.ndarray:
    """The physical frame numbers of the resident pages of a process, anonymous ones marked
    with ANONYMOUS (empty if unreadable)."""
    found = []
    try:
        with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/pagemap", "rb") as pagemap:
            for line in maps:
                low, high = (int(x, 16) for x in line.split()[0].split("-"))
                if low >= 1 << 47:
                    continue  # the kernel's vsyscall page
                pagemap.seek(low // PAGE * 8)
                entries = np.frombuffer(pagemap.read((high - low) // PAGE * 8), dtype=np.uint64)
                resident = entries[(entries & PRESENT) != 0]
                resident = (resident & FRAME) | np.where((resident & FILE) == 0, ANONYMOUS, np.uint64(0))
                if resident.size:
                    found.append(resident)
    except (OSError, ValueError):
        pass
    return np.concatenate(found) if found else np.zeros(0, np.uint64)


class TreeSampler:
    """Samples a process tree's memory in a thread until stopped."""

    def __init__(self, pid: int):
        self.root = psutil.Process(pid)
        self.peak_rss = self.peak_distinct = self.peak_anonymous = 0
        self.distinct = os.geteuid() == 0  # frame numbers read as 0 without CAP_SYS_ADMIN
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            try:
                tree = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                break
            rss, pages = 0, []
            for process in tree:
                try:
                    rss += process.memory_info().rss
                except psutil.Error:
                    continue
                if self.distinct:
                    pages.append(frames(process.pid))
            self.peak_rss = max(self.peak_rss, rss)
            if pages:
                distinct = np.unique(np.concatenate(pages))
                self.peak_distinct = max(self.peak_distinct, distinct.size * PAGE)
                anonymous = int(np.count_nonzero(distinct & ANONYMOUS)) * PAGE
                self.peak_anonymous = max(self.peak_anonymous, anonymous)
            self._stop.wait(0.2)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def measure(ids: list[str], submission: Path, workdir: Path) -> dict[str, float]:
    """Build, run once, and return the figures (MiB and seconds)."""
    built = bundle.build(ids, workdir / "autograder.zip")
    layout = trial.prepare(built.path, submission, workdir / "root")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    finished: dict = {}
    runner = threading.Thread(target=lambda: finished.update(zip(("done", "content"), trial.run(layout))))
    runner.start()
    sampler = None
    while runner.is_alive() and sampler is None:
        bash = [p for p in psutil.Process().children() if "run_autograder" in " ".join(p.cmdline())]
        sampler = TreeSampler(bash[0].pid) if bash else None
        time.sleep(0.02)
    runner.join()
    wall = time.perf_counter() - started
    if sampler:
        sampler.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    content = finished.get("content") or {}
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "zip_kib": built.bytes / 1024,
        "wall_s": wall,
        "cpu_s": cpu,
        "peak_rss_mib": (sampler.peak_rss if sampler else 0) / 2**20,
        "peak_distinct_mib": (sampler.peak_distinct if sampler else 0) / 2**20,
        "peak_anonymous_mib": (sampler.peak_anonymous if sampler else 0) / 2**20,
        "score": content.get("score", float("nan")),
        "max_score": sum(t.get("max_score", 0) for t in content.get("tests", [])),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ids", nargs="*", help="assignment ids (default: all with a reference solution)")
    args = parser.parse_args(argv)
    ids = args.ids or [a.id for a in ASSIGNMENTS if (bundle.ROOT / "solutions" / a.script).exists()]
    workdir = Path(tempfile.mkdtemp(prefix="gradescope-measure-"))
    try:
        submission = workdir / "submission"
        submission.mkdir()
        for a in ASSIGNMENTS:
            if a.id in ids:
                shutil.copy(bundle.ROOT / "solutions" / a.script, submission / a.script)
        figures = measure(ids, submission, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    f = figures
    print(
        f"{len(ids)} assignment(s): zip {f['zip_kib']:.0f} KiB; score {f['score']:g} / {f['max_score']:g}; "
        f"wall {f['wall_s']:.1f} s, CPU {f['cpu_s']:.1f} s; peak memory {f['peak_distinct_mib']:.0f} MiB "
        f"distinct pages ({f['peak_anonymous_mib']:.0f} MiB anonymous), "
        f"{f['peak_rss_mib']:.0f} MiB RSS summed"
    )
    return 0 if f["score"] == f["max_score"] else 1


if __name__ == "__main__":
    run_then_exit(main)
