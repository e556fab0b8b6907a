"""Start a submission's process and collect what it produced.

The submission runs in its own OS process (graders.engine.worker), in its own session so
the whole process group can be killed, with a wall-clock limit. Only JSON lines come
back; every line is validated, and a line that does not parse is ignored and noted.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graders.engine import wire
from graders.engine.devices import QUIET_ENV
from graders.engine.sources import Source

LOG_LIMIT = 4000


@dataclass
class WorkerOutcome:
    """What came back from one submission's process."""

    loads: dict[str, dict] = field(default_factory=dict)   # assignment id -> load record
    values: dict[tuple[str, str], Any] = field(default_factory=dict)  # (task, device) -> value
    returncode: int | None = None
    timed_out: bool = False
    notes: list[str] = field(default_factory=list)
    log: str = ""  # the end of what the process printed, for diagnosing crashes

    def ended_early(self) -> str | None:
        """Why the process stopped before finishing, or None if it finished."""
        if self.timed_out:
            return "the submission's process was stopped at the time limit"
        if self.returncode not in (0, None):
            if self.returncode < 0:
                return f"the submission's process was killed by signal {-self.returncode}"
            return f"the submission's process exited with status {self.returncode}"
        return None


class SubmissionProcess:
    """A worker, started at once so that its TensorFlow import overlaps the grader's work;
    `send()` gives it the work, `finish()` waits for it and returns its outcome."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="graders-run-"))
        env = {k: v for k, v in os.environ.items() if not k.startswith("NBGRADER")}
        env.update(QUIET_ENV)
        env["MPLBACKEND"] = "Agg"
        self._log = open(self.folder / "output.log", "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "graders.engine.worker", str(self.folder)],
            cwd=self.folder, stdin=subprocess.PIPE, stdout=self._log, stderr=subprocess.STDOUT,
            env=env, start_new_session=True,
        )
        self.deadline = time.monotonic()

    def send(self, sources: list[Source], tasks: list[dict], devices: list[str], timeout: float) -> None:
        """The submission's files and the cases to run; `timeout` seconds from now it is stopped."""
        self.deadline = time.monotonic() + timeout
        request = {
            "sources": [{"assignment": s.assignment.id, "path": str(s.path.resolve())} for s in sources],
            "devices": devices,
            "tasks": tasks,
        }
        try:
            self.process.stdin.write(json.dumps(request).encode())
            self.process.stdin.close()
        except BrokenPipeError:
            pass  # it died already; finish() reports how

    def finish(self) -> WorkerOutcome:
        outcome = WorkerOutcome()
        try:
            outcome.returncode = self.process.wait(timeout=max(0.0, self.deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            outcome.timed_out = True
        finally:
            _kill_group(self.process)
            self._log.close()
        _read_results(self.folder / "results.jsonl", outcome)
        outcome.log = (self.folder / "output.log").read_bytes()[-LOG_LIMIT:].decode("utf-8", "replace")
        shutil.rmtree(self.folder, ignore_errors=True)
        return outcome


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()


def _read_results(path: Path, outcome: WorkerOutcome) -> None:
    if not path.exists():
        return
    with open(path, encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
            try:
                record = json.loads(line)
                if "load" in record:
                    outcome.loads[str(record["load"])] = {
                        "error": record.get("error") if isinstance(record.get("error"), str) else None,
                        "problems": [str(p)[:300] for p in record.get("problems") or []][:50],
                    }
                else:
                    key = (str(record["task"]), str(record["device"]))
                    outcome.values[key] = wire.decode(record["value"])
            except (ValueError, KeyError, TypeError, AttributeError) as error:
                outcome.notes.append(f"result line {number} ignored: {error}")
