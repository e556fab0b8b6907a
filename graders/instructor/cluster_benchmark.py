"""Benchmark: `graders batch` on this machine and on a Dask cluster, side by side in one run.

`./kit python -m graders.instructor.cluster_benchmark --students 8` writes a script-form class
(the reference, the stubs and two kinds of mistakes, in turn) and grades it four times, each
from scratch into a folder of its own, taking turns so that other load on the machine falls
on both alike:
- the local batch with one submission at a time (`--workers 1`), then a Dask LocalCluster of
  one worker process (one thread) on loopback (`--scheduler`);
- the local batch with two at a time, then a LocalCluster of two worker processes.
The clusters are started before their run and are not timed; each run pays its own TensorFlow
imports and reference results (the plugin's set-up), as the local batch does. For every run:
wall time, submissions per minute, the time to the first result (start-up), the steady rate
after it (from the result files' times), and the peak resident memory summed over every
process. Then the scheduler's own cost per submission: tasks that carry the same files and
return at once, on the two-worker cluster, one at a time (latency) and all at once
(throughput). It checks that all four runs give the same results and prints the load
average before and after.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from graders.engine import run_then_exit
from graders.instructor.build import ROOT

MODULES = ("loss.py", "gradient_tape.py")
# Each student hands in one of these: the reference, the stubs, or the reference with mistakes
# (file, reference text, the mistake).
KINDS: tuple[tuple[str, list[tuple[str, str, str]]], ...] = (
    ("solutions", []),
    ("exercises", []),
    (
        "solutions",
        [
            ("loss.py", "tf.reduce_mean(tf.square(", "tf.reduce_sum(tf.square("),
            ("gradient_tape.py", "\n    b.assign_sub(learning_rate * db)\n", "\n"),
        ],
    ),
    ("solutions", [("loss.py", "e = pred - y", "e = y - pred")]),
)


@dataclass
class Run:
    name: str
    seconds: float
    first: float  # seconds to the first result
    steady: float  # submissions per minute after the first result
    peak_mib: float
    load: float  # 1-minute load average when the run started
    results: dict


def write_class(folder: Path, students: int) -> int:
    """`students` script-form submissions of loss.py and gradient_tape.py; the count."""
    shutil.rmtree(folder, ignore_errors=True)
    for i in range(students):
        origin, mistakes = KINDS[i % len(KINDS)]
        student = folder / f"s{i:03d}"
        student.mkdir(parents=True)
        for module in MODULES:
            shutil.copyfile(ROOT / origin / module, student / module)
        for module, old, new in mistakes:
            text = (student / module).read_text()
            if old not in text:
                raise RuntimeError(f"{old!r} is no longer in {origin}/{module}")
            (student / module).write_text(text.replace(old, new, 1))
    return students * len(MODULES)


def timed_batch(name: str, klass: Path, out: Path, options: list[str]) -> Run:
    """One `graders batch` run, with the memory of every process this benchmark started
    (the command's and the cluster's) sampled meanwhile."""
    shutil.rmtree(out, ignore_errors=True)
    load = os.getloadavg()[0]
    started = time.time()
    command = [sys.executable, "-m", "graders", "batch", str(klass), "--out", str(out), *options]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0.0

    def sample() -> None:
        nonlocal peak
        me = psutil.Process()
        while process.poll() is None:
            total = 0
            for child in me.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except psutil.Error:
                    pass
            peak = max(peak, total / 2**20)
            time.sleep(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.time() - started
    sampler.join()
    if process.returncode != 0:
        raise RuntimeError(f"{name} failed ({process.returncode}):\n{stdout}\n{stderr[-3000:]}")
    files = sorted(out.glob("results/*/*.json"))
    times = sorted(p.stat().st_mtime for p in files)
    spread = times[-1] - times[0] if times else 0.0
    steady = 60 * (len(times) - 1) / spread if spread > 0 else 0.0
    results = {p.relative_to(out).as_posix(): json.loads(p.read_text())["assignment"] for p in files}
    run = Run(name, seconds, times[0] - started if times else seconds, steady, peak, load, results)
    print(
        f"  {name:26} {seconds:6.1f} s  {60 * len(files) / seconds:5.1f} /min  "
        f"first result {run.first:5.1f} s, then {steady:5.1f} /min  peak {peak:5.0f} MiB  "
        f"(load {load:.1f})",
        flush=True,
    )
    return run


def scheduler_cost(client, klass: Path) -> tuple[float, float, float]:
    """(ms per task one at a time, ms per task all at once, mean KiB carried) for tasks that
    carry a submission's files and return at once: what Dask adds to each submission."""
    from distributed import as_completed

    from graders.engine import discover_class, submission_files

    students, _ = discover_class(klass)
    payloads = [submission_files(s.path.parent) for _, sources in students for s in sources]
    payloads = (payloads * (1 + 200 // len(payloads)))[
        : max(200, len(payloads))
    ]  # enough for a steady figure
    client.submit(len, payloads[0], pure=False).result()  # connections warm
    started = time.perf_counter()
    for files in payloads:
        client.submit(len, files, pure=False).result()
    one_at_a_time = (time.perf_counter() - started) / len(payloads)
    started = time.perf_counter()
    for future in as_completed([client.submit(len, files, pure=False) for files in payloads]):
        future.result()
    all_at_once = (time.perf_counter() - started) / len(payloads)
    size = sum(len(b) for files in payloads for b in files.values()) / len(payloads) / 1024
    return 1000 * one_at_a_time, 1000 * all_at_once, size


def on_cluster(
    name: str, workers: int, klass: Path, out: Path, cost: bool = False
) -> tuple[Run, tuple | None]:
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=workers,
            processes=True,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        run = timed_batch(name, klass, out, ["--scheduler", cluster.scheduler_address])
        return run, scheduler_cost(client, klass) if cost else None


def _per(run: Run) -> float:
    """Seconds per submission once the first result is in."""
    return 60 / run.steady if run.steady else float("nan")


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "load average: " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=8)
    parser.add_argument("--folder", type=Path, default=ROOT / "build" / "cluster-benchmark")
    args = parser.parse_args(argv)
    # every run computes its own reference results, as they always did (a run that reads the
    # reference cache another run filled would not be measured under the same conditions)
    os.environ.setdefault("GRADERS_REFERENCE_CACHE", "off")
    folder = args.folder.resolve()
    klass = folder / "class"
    count = write_class(klass, args.students)
    print(
        f"{args.students} students x {len(MODULES)} assignments = {count} submissions, "
        f"on {os.cpu_count()} cores"
    )
    print(f"before: {uptime()}", flush=True)
    local1 = timed_batch("local batch, 1 at a time", klass, folder / "local-1", ["--workers", "1"])
    dask1, _ = on_cluster("Dask, 1 worker", 1, klass, folder / "dask-1")
    local2 = timed_batch("local batch, 2 at a time", klass, folder / "local-2", ["--workers", "2"])
    dask2, cost = on_cluster("Dask, 2 workers", 2, klass, folder / "dask-2", cost=True)
    print(f"after:  {uptime()}")
    latency, amortized, kib = cost
    print(
        f"the scheduler's cost per submission (tasks carrying the same files, {kib:.0f} KiB on average, "
        f"returning at once): {latency:.1f} ms one at a time, {amortized:.1f} ms each when all are queued"
    )
    for local, dask in ((local1, dask1), (local2, dask2)):
        print(
            f"{dask.name} vs {local.name}: {dask.seconds / local.seconds:.2f} of the wall time; "
            f"start-up {dask.first - local.first:+.1f} s; then {_per(dask):.2f} s per submission "
            f"vs {_per(local):.2f} s"
        )
    print(
        f"2 Dask workers vs 1: wall time {dask1.seconds / dask2.seconds:.2f}x, "
        f"steady rate {dask2.steady / dask1.steady if dask1.steady else 0:.2f}x"
    )
    runs = (local1, dask1, local2, dask2)
    differ = [r.name for r in runs[1:] if r.results != local1.results]
    print(f"results identical in all four runs: {not differ}" + (f" (differ: {differ})" if differ else ""))
    return 1 if differ else 0


if __name__ == "__main__":
    run_then_exit(main)
