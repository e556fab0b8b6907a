"""Reference results kept on disk: every check's drawn cases and the reference's result for
each case on each device, so that a process that has them imports no TensorFlow for them.

Two users. The Gradescope bundle carries them, computed on the machine that built it, so
the container's grader runs no reference (see instructor/gradescope/stored.py). And the
reference cache: a `Grader` stores what it computed in a folder (build/references/, or the
one GRADERS_REFERENCE_CACHE names; "off" turns it off), and a grader started later reads it
back instead of importing TensorFlow and running the reference again: the second `grade`
of a class answers in about half the CPU time.

An entry is read only under the fingerprint it was stored with: a digest of the kit's code
(graders/, the selfcheck package, solutions/), of Python's, TensorFlow's, Keras' and
NumPy's versions, of the variables that steer TensorFlow's devices and numerics, and of
the machine's CPU and GPUs. Change any of them and the reference runs again. The folder
holds the hidden cases and their answers: it is private to its owner (mode 700) and hidden
from every submission's process and kernel, like solutions/.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import platform
import shutil
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata, util
from pathlib import Path
from typing import Any

from graders import paths
from graders.checks import checks_for
from graders.engine.devices import QUIET_ENV
from graders.engine.wire import decode, encode
from selfcheck.model import Case, Check

FORMAT = 2  # 2: a check's plan names the run it shares
CACHE_ENV = "GRADERS_REFERENCE_CACHE"
KEEP_FINGERPRINTS = 4  # the cache keeps the entries of this many most recent states of the kit
PACKAGES = ("tensorflow", "tensorflow-cpu", "keras", "numpy", "ml-dtypes")
# variables that can change which devices TensorFlow sees or what its kernels compute
STEERING = ("TF_", "CUDA_", "NVIDIA_", "ROCR_", "HIP_", "OMP_", "MKL_", "GRADERS_LOGICAL_CPUS")
NOT_STEERING = ("TF_CPP_",)  # logging only


@dataclass
class PlannedCheck:
    """A check with its cases drawn. Checks that judge different parts of one protocol's
    output on the same cases name the same `run` (see grading.shared_runs): their cases
    have the same keys, so the submission, and the reference, run each case once for them
    all."""

    check: Check
    cases: list[Case]
    seed: int
    run: str | None = None  # the id of the check whose run this one shares (None: its own)

    def key(self, index: int) -> str:
        return f"{self.check.assignment}|{self.run or self.check.id}|{index}"


class StoredError(Exception):
    """Stored reference results are missing or do not match the checks."""


@dataclass
class StoredAssignment:
    """One assignment's drawn cases and reference results, as stored on disk."""

    assignment: str
    base_seed: int
    devices: list[str]
    plans: list[PlannedCheck]
    expected: dict[tuple[str, str], Any]
    parameters: dict[str, tuple[str, ...]]  # function -> the reference's parameter names (for hints)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "assignment": self.assignment,
            "base_seed": self.base_seed,
            "devices": self.devices,
            "checks": [
                {"id": p.check.id, "seed": p.seed, "run": p.run, "cases": encode(list(p.cases))}
                for p in self.plans
            ],
            "expected": [[key, device, encode(value)] for (key, device), value in self.expected.items()],
            "parameters": {name: list(names) for name, names in self.parameters.items()},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StoredAssignment:
        if data.get("format") != FORMAT:
            raise StoredError(f"stored reference results of format {data.get('format')!r}, expected {FORMAT}")
        assignment_id = data["assignment"]
        checks = {c.id: c for c in checks_for(assignment_id)}
        stored_ids = [entry["id"] for entry in data["checks"]]
        if stored_ids != list(checks):
            raise StoredError(
                f"{assignment_id}: the stored cases do not match the checks "
                f"(stored {len(stored_ids)}, checks {len(checks)})"
            )
        plans = [
            PlannedCheck(checks[entry["id"]], decode(entry["cases"]), int(entry["seed"]), entry["run"])
            for entry in data["checks"]
        ]
        expected = {(key, device): decode(value) for key, device, value in data["expected"]}
        missing = needed(plans, data["devices"]) - set(expected)
        if missing:
            raise StoredError(f"{assignment_id}: {len(missing)} stored reference results are missing")
        parameters = {name: tuple(names) for name, names in data["parameters"].items()}
        return cls(assignment_id, int(data["base_seed"]), list(data["devices"]), plans, expected, parameters)


def needed(plans: list[PlannedCheck], devices: list[str]) -> set[tuple[str, str]]:
    """The (case key, device) pairs whose answer only the reference gives: a rule runs
    nothing, and a public check's answer is written in the check."""
    return {
        (p.key(i), d)
        for p in plans
        if p.check.rule is None and p.check.expected is None
        for i in range(len(p.cases))
        for d in devices
    }


def load(path: Path) -> StoredAssignment:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise StoredError(f"cannot read the stored reference results {path.name}: {error}") from None
    return StoredAssignment.from_json(data)


class ReferenceCache:
    """The folder of stored reference results, one subfolder per fingerprint."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    @functools.cached_property
    def here(self) -> Path:
        """The subfolder of the kit's present state."""
        return self.folder / fingerprint()

    @classmethod
    def configured(cls) -> ReferenceCache | None:
        """The cache GRADERS_REFERENCE_CACHE names (default build/references/), or None if "off"."""
        value = os.environ.get(CACHE_ENV, "").strip()
        if value.lower() == "off":
            return None
        return cls(Path(value) if value else paths.BUILD / "references")

    def machine(self) -> dict[str, Any] | None:
        """The devices and TensorFlow version a grader found here, or None if none did yet."""
        try:
            data = json.loads((self.here / "machine.json").read_text())
        except Exception:  # missing, unreadable (another user's folder), not JSON: none
            return None
        if not (isinstance(data, dict) and isinstance(data.get("devices"), list) and data["devices"]):
            return None
        return data

    def store_machine(self, machine: dict[str, Any]) -> None:
        """Keep what `machine()` gives: {"devices", "skipped_devices", "tensorflow"}."""
        self._write(self.here / "machine.json", lambda out: json.dump(machine, out))

    def load(self, assignment_id: str, base_seed: int, devices: list[str]) -> StoredAssignment | None:
        """The stored results of this assignment, seed and devices, or None."""
        try:
            stored = load(self._path(assignment_id, base_seed))
        except Exception:  # missing, unreadable, of other checks: computed again (and overwritten)
            return None
        return stored if stored.devices == devices else None

    def store(self, stored: StoredAssignment) -> None:
        path = self._path(stored.assignment, stored.base_seed)
        self._write(path, lambda out: json.dump(stored.to_json(), out, separators=(",", ":")))

    def _path(self, assignment_id: str, base_seed: int) -> Path:
        return self.here / f"{assignment_id}-{base_seed}.json"

    def _write(self, path: Path, write: Any) -> None:
        """Best effort: a cache that cannot be written only costs time."""
        try:
            fresh = not self.here.exists()
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            self.here.mkdir(mode=0o700, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".part-", dir=self.here)
            try:
                with os.fdopen(handle, "w") as out:
                    write(out)
                os.replace(temporary, path)
            finally:
                Path(temporary).unlink(missing_ok=True)
            if fresh:
                self._forget_old()
        except Exception:
            pass

    def _forget_old(self) -> None:
        """Keep the entries of the most recent states of the kit only."""
        states = sorted(
            (p for p in self.folder.iterdir() if p.is_dir() and p != self.here),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
        for old in states[KEEP_FINGERPRINTS - 1 :]:
            shutil.rmtree(old, ignore_errors=True)


def fingerprint() -> str:
    """What the reference results depend on besides the assignment and the seed (see the
    module's docstring), as a digest; computed without importing TensorFlow."""
    digest = hashlib.sha256(f"format {FORMAT}\n".encode())
    digest.update(f"python {sys.version}\n{platform.machine()}\n".encode())
    for package in PACKAGES:
        try:
            digest.update(f"{package} {metadata.version(package)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package} -\n".encode())
    environment = {**QUIET_ENV, **os.environ}  # what the grader's set-up leaves in place
    for name in sorted(environment):
        if name.startswith(STEERING) and not name.startswith(NOT_STEERING):
            digest.update(f"env {name}={environment[name]}\n".encode())
    digest.update(_hardware().encode())
    for folder in _code_folders():
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"file {path.relative_to(folder.parent).as_posix()}\n".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def _code_folders() -> list[Path]:
    spec = util.find_spec("selfcheck")
    selfcheck = Path(spec.submodule_search_locations[0]) if spec and spec.submodule_search_locations else None
    return [p for p in (paths.ENGINE, selfcheck, paths.SOLUTIONS) if p is not None and p.is_dir()]


def _hardware() -> str:
    """The CPU (model and instruction sets: the kernels TensorFlow picks), the number of
    cores this process may use, and the GPU device files."""
    lines = []
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith(("model name", "flags", "Features", "CPU part")):
                    lines.append(line.strip())
                elif not line.strip() and lines:
                    break  # the first processor is enough
    except OSError:
        lines.append(platform.processor())
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    gpus = (
        sorted(n for n in os.listdir("/dev") if n.startswith(("nvidia", "kfd")))
        if os.path.isdir("/dev")
        else []
    )
    return "\n".join([*lines, f"cores {cores}", f"gpus {' '.join(gpus)}", ""])
