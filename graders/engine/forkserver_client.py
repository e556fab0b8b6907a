"""The grader's side of the submissions' processes: a fork server client.

`ForkServer` starts `graders.engine.forkserver` (TensorFlow imported once), hands it one job
per submission, and turns what each job left behind into a `WorkerOutcome`. Each job
gets a throwaway folder holding a copy of the submission's files (so the originals, and
the other students' files, can be hidden from it), the request, its log and its results.
Only JSON lines come back; every line is validated, the first result for a case wins, and a
line that does not parse is ignored and noted.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graders.engine import wire
from graders.engine.containment import Limits
from graders.engine.devices import QUIET_ENV
from graders.engine.sources import Source

LOG_LIMIT = 4000
MAX_SUBMISSION_BYTES = 50 << 20
UID_BASE, UID_COUNT = 61000, 2000  # a user id of its own for every running submission (as root)


@dataclass
class WorkerOutcome:
    """What came back from one submission's process."""

    loads: dict[str, dict] = field(default_factory=dict)  # assignment id -> load record
    values: dict[tuple[str, str], Any] = field(default_factory=dict)  # (task, device) -> value
    returncode: int | None = None
    timed_out: bool = False
    containment: str = ""
    notes: list[str] = field(default_factory=list)
    log: str = ""  # the end of what the process printed, for diagnosing crashes
    crash: str = ""  # the traceback of what escaped the worker's code, if anything did

    def ended_early(self) -> str | None:
        """Why the process stopped before finishing, or None if it finished."""
        if self.timed_out:
            return "the submission's process was stopped at the time limit"
        if self.returncode not in (0, None):
            if self.returncode < 0:
                return f"the submission's process was killed by signal {-self.returncode}"
            return f"the submission's process exited with status {self.returncode}"
        return None


@dataclass
class Job:
    id: int
    folder: Path
    sources: list[Source]


class ForkServer:
    """Runs submissions in contained children of one preloaded process."""

    def __init__(self, workers: int = 1, hidden: list[Path] | None = None, limits: Limits | None = None):
        self.workers = workers
        self.hidden = [str(p) for p in hidden or []]
        self.limits = limits or Limits()
        self.base = Path(tempfile.mkdtemp(prefix="graders-jobs-"))
        os.chmod(self.base, 0o711)
        self.hidden.append(str(self.base))  # the other submissions' folders
        self._next = 0
        self._done: dict[int, dict] = {}
        self._arrived = threading.Condition()
        self._start()

    def _start(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("NBGRADER")}
        env.update(QUIET_ENV)
        env["MPLBACKEND"] = "Agg"
        command = [sys.executable, "-m", "graders.engine.forkserver", str(self.workers)]
        if threading.current_thread() is threading.main_thread():
            # the kernel ends the server with this thread; from another thread (one that may
            # end before the grader does) the server relies on its input closing instead
            command += [str(os.getpid()), "--die-with-parent"]
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=self.base,
            start_new_session=True,
        )
        self._alive = True
        threading.Thread(target=self._read_replies, args=(self.process,), daemon=True).start()

    def _read_replies(self, process: subprocess.Popen) -> None:
        for line in process.stdout:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if "job" in record:
                with self._arrived:
                    self._done[int(record["job"])] = record
                    self._arrived.notify_all()
        with self._arrived:
            self._alive = False
            self._arrived.notify_all()

    def submit(
        self, sources: list[Source], tasks: list[dict], timeout: float, devices: list[str] | None = None
    ) -> Job:
        """Start grading `sources` on `tasks`; returns at once."""
        if not self._alive:
            self._start()
        self._next += 1
        folder = Path(tempfile.mkdtemp(prefix="job-", dir=self.base))  # an unguessable name
        request_sources = []
        for source in sources:
            relative = Path("submission") / source.assignment.id
            copy_submission_files(source.path.parent, folder / relative)
            request_sources.append(
                {"assignment": source.assignment.id, "path": str(relative / source.path.name)}
            )
        request = {"sources": request_sources, "devices": devices or [], "tasks": tasks}
        (folder / "request.json").write_text(json.dumps(request))
        uid = UID_BASE + self._next % UID_COUNT
        if os.geteuid() == 0:
            for path in [folder, *folder.rglob("*")]:
                os.chown(path, uid, uid)
        os.chmod(folder, 0o700)
        job = {
            "job": self._next,
            "dir": str(folder),
            "timeout": timeout,
            "hidden": self.hidden,
            "limits": self.limits.__dict__,
            "uid": uid,
            "protocols": sorted({task["protocol"] for task in tasks}),
        }
        try:
            self.process.stdin.write((json.dumps(job) + "\n").encode())
            self.process.stdin.flush()
        except BrokenPipeError:
            with self._arrived:
                self._done[self._next] = {"job": self._next, "returncode": None, "lost": True}
        return Job(self._next, folder, sources)

    def wait(self, job: Job) -> WorkerOutcome:
        """Block until `job` has ended; what it produced."""
        with self._arrived:
            while job.id not in self._done and self._alive:
                self._arrived.wait()
            record = self._done.pop(job.id, None)
        outcome = WorkerOutcome()
        if record is None or record.get("lost"):
            outcome.returncode = -9
            outcome.notes.append("the grading server stopped while this submission was being graded")
        else:
            outcome.returncode = record.get("returncode")
            outcome.timed_out = bool(record.get("timed_out"))
        _read_results(job.folder / "results.jsonl", outcome)
        log = job.folder / "output.log"
        if log.exists():
            with open(log, "rb") as handle:
                handle.seek(max(0, log.stat().st_size - LOG_LIMIT))
                outcome.log = handle.read().decode("utf-8", "replace")
        shutil.rmtree(job.folder, ignore_errors=True)
        return outcome

    def close(self) -> None:
        """End the server and every submission still running (they are killed at once)."""
        try:
            self.process.stdin.close()
            self.process.wait(timeout=10)
        except (BrokenPipeError, OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self) -> ForkServer:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def copy_submission_files(folder: Path, target: Path) -> None:
    """Copy the files of a submission's folder (not its subfolders), within a size budget."""
    target.mkdir(parents=True)
    budget = MAX_SUBMISSION_BYTES
    for path in sorted(folder.iterdir()):
        if path.is_file() and not path.is_symlink():
            size = path.stat().st_size
            if size <= budget:
                shutil.copyfile(path, target / path.name)
                budget -= size


def _read_results(path: Path, outcome: WorkerOutcome) -> None:
    if not path.exists():
        return
    with open(path, encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
            try:
                record = json.loads(line)
                if "containment" in record:
                    outcome.containment = outcome.containment or str(record["containment"])[:300]
                elif "crash" in record:
                    outcome.crash = outcome.crash or str(record["crash"])[:LOG_LIMIT]
                elif "load" in record:
                    assignment_id = str(record["load"])
                    if assignment_id in outcome.loads:
                        continue
                    outcome.loads[assignment_id] = {
                        "error": record.get("error") if isinstance(record.get("error"), str) else None,
                        "problems": [str(p)[:300] for p in record.get("problems") or []][:50],
                    }
                else:
                    key = (str(record["task"]), str(record["device"]))
                    if key not in outcome.values:
                        outcome.values[key] = wire.decode(record["value"])
            except Exception as error:  # whatever the submission's process wrote, it is only data
                if len(outcome.notes) < 20:
                    outcome.notes.append(
                        f"result line {number} ignored: {type(error).__name__}: {str(error)[:200]}"
                    )
