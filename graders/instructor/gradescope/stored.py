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

from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

from graders.checks.reference import reference_module, reference_result
from graders.engine import (
    AssignmentResult,
    Grader,
    Known,
    PlannedCheck,
    Source,
    StoredAssignment,
    StoredError,
    configure_devices,
    describe_containment,
    graded_devices,
    load_stored,
    plan,
    short_device_name,
)
from selfcheck.local import context_of


class BundleError(StoredError):
    """The bundle's stored data is missing or does not match its checks."""


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


def load(folder: Path, assignment_id: str) -> StoredAssignment:
    try:
        return load_stored(folder / f"{assignment_id}.json")
    except StoredError as error:
        raise BundleError(f"{error}; rebuild the bundle") from None


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
