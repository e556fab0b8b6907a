"""Reference results computed when the bundle is built, and a grader that judges with them.

In a Gradescope container every TensorFlow process costs memory that the default container
(768 MB) does not have: the fork server and the submission's process need one, the grader's
reference run would need another. So the bundle carries, per assignment, the drawn cases of
every check and the reference's result for each case on the CPU, and `StoredGrader` judges
against those: the grader's process imports TensorFlow only for the few judges that run the
reference themselves (07_deep's training check), and then only after the submission's
processes have ended.

The results are those of the build machine's CPU; the container's CPU may sum in another
order, which the float tolerances cover (they are set for "another device").
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from graders.checks import checks_for
from graders.checks.reference import reference_module, reference_result
from graders.engine import (
    AssignmentResult,
    Grader,
    Known,
    PlannedCheck,
    Source,
    configure_devices,
    decode_value,
    describe_containment,
    encode_value,
    graded_devices,
    plan,
    short_device_name,
)
from selfcheck.local import context_of

FORMAT = 1


class BundleError(Exception):
    """The bundle's stored data is missing or does not match its checks."""


@dataclass
class StoredAssignment:
    """One assignment's drawn cases and reference results, as the bundle stores them."""

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
                {"id": p.check.id, "seed": p.seed, "cases": encode_value(list(p.cases))} for p in self.plans
            ],
            "expected": [
                [key, device, encode_value(value)] for (key, device), value in self.expected.items()
            ],
            "parameters": {name: list(names) for name, names in self.parameters.items()},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StoredAssignment:
        if data.get("format") != FORMAT:
            raise BundleError(f"stored reference results of format {data.get('format')!r}, expected {FORMAT}")
        assignment_id = data["assignment"]
        checks = {c.id: c for c in checks_for(assignment_id)}
        stored_ids = [entry["id"] for entry in data["checks"]]
        if stored_ids != list(checks):
            raise BundleError(
                f"{assignment_id}: the stored cases do not match the bundle's checks "
                f"(stored {len(stored_ids)}, checks {len(checks)}); rebuild the bundle"
            )
        plans = [
            PlannedCheck(checks[entry["id"]], decode_value(entry["cases"]), int(entry["seed"]))
            for entry in data["checks"]
        ]
        expected = {(key, device): decode_value(value) for key, device, value in data["expected"]}
        needed = {
            (p.key(i), d)
            for p in plans
            if p.check.rule is None and p.check.expected is None
            for i in range(len(p.cases))
            for d in data["devices"]
        }
        if needed - set(expected):
            raise BundleError(
                f"{assignment_id}: {len(needed - set(expected))} stored reference results are "
                "missing; rebuild the bundle"
            )
        parameters = {name: tuple(names) for name, names in data["parameters"].items()}
        return cls(assignment_id, int(data["base_seed"]), list(data["devices"]), plans, expected, parameters)


def compute(assignment_id: str, base_seed: int) -> StoredAssignment:
    """Draw every check's cases and run the reference on each, on the CPU (TensorFlow is
    imported here, in the builder's process)."""
    _configure_once()
    cpu = [d for d in graded_devices() if short_device_name(d) == "CPU:0"]
    planned = plan(assignment_id, base_seed)
    expected: dict[tuple[str, str], Any] = {}
    for p in planned:
        if p.check.rule is not None or p.check.expected is not None:
            continue  # a rule runs nothing; a public check's answer is written in the check
        for index, case in enumerate(p.cases):
            for device in cpu:
                expected[(p.key(index), device)] = reference_result(p.check, case, device)
    module = reference_module(assignment_id)
    parameters = {p.check.function: context_of(getattr(module, p.check.function)).parameters for p in planned}
    return StoredAssignment(assignment_id, base_seed, cpu, planned, expected, parameters)


_configured = False


def _configure_once() -> None:
    global _configured
    if not _configured:
        configure_devices()
        _configured = True


def save(stored: StoredAssignment, folder: Path) -> Path:
    path = folder / f"{stored.assignment}.json"
    path.write_text(json.dumps(stored.to_json(), separators=(",", ":")))
    return path


def load(folder: Path, assignment_id: str) -> StoredAssignment:
    path = folder / f"{assignment_id}.json"
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise BundleError(f"cannot read the stored reference results of {assignment_id}: {error}") from None
    return StoredAssignment.from_json(data)


class StoredGrader(Grader):
    """A `Grader` whose cases and reference results come from the bundle (so this process
    neither sets TensorFlow up nor runs the reference). `grade` waits for every submission
    process and closes the fork server before judging, so that a judge that imports
    TensorFlow never shares the container's memory with the fork server."""

    def __init__(self, stored: Iterable[StoredAssignment], hidden: Iterable[Path] = ()):
        stored = list(stored)
        if not stored:
            raise BundleError("the bundle grades no assignment")
        known = Known(
            devices=list(stored[0].devices),
            plans={s.assignment: s.plans for s in stored},
            expected={key: value for s in stored for key, value in s.expected.items()},
            parameters={
                (s.assignment, function): names for s in stored for function, names in s.parameters.items()
            },
        )
        super().__init__(stored[0].base_seed, workers=1, hidden=hidden, known=known)
        self.containment: set[str] = set()

    def plan_for(self, assignment_id: str) -> list[PlannedCheck]:
        if assignment_id not in self._plans:
            raise BundleError(f"this bundle does not grade {assignment_id}")
        return self._plans[assignment_id]

    def grade(self, sources: list[Source], timeout: float | None = None) -> list[AssignmentResult]:
        """Grade one submission: one process per assignment, judged once all have ended.
        `timeout` caps each process's own limit (which follows from its checks)."""
        started = []
        for source in sources:
            own = self.time_limit([source])
            started.append(self.start([source], own if timeout is None else min(own, timeout)))
        outcomes = [pair for pending in started for pair in self.collect(pending)]
        self.server.close()
        self.containment = {o.containment for _, o in outcomes if o.containment}
        return [self.judge(source, outcome) for source, outcome in outcomes]

    def environment(self) -> dict[str, Any]:
        """As Grader.environment, without importing TensorFlow; `containment` is what the
        submission's processes reported, `sandbox` what this machine is expected to give."""
        try:
            version = metadata.version("tensorflow")
        except metadata.PackageNotFoundError:
            version = "not installed"
        return {
            "tensorflow": version,
            "devices": [short_device_name(d) for d in self.devices],
            "skipped_devices": {"GPU": "graded on the CPU only: the bundle holds the CPU's reference"},
            "sandbox": describe_containment(),
            "containment": sorted(self.containment),
        }
