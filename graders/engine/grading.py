"""Grade a submission: draw the cases, run the submission in its own process and the
reference here, on every device, then judge and score every check."""

from __future__ import annotations

import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from graders.checks import checks_for
from graders.engine import devices as device_setup
from graders.engine import wire
from graders.engine.reference import reference_result
from graders.engine.report import AssignmentResult, CheckResult, GradeReport
from graders.engine.sandbox import SubmissionProcess, WorkerOutcome
from graders.engine.sources import Source, find_sources
from selfcheck.local import case_problem
from selfcheck.model import Case, Check
from selfcheck.values import Raised

BASE_SEED = 20261127
SEVERITY = {"passed": 0, "failed": 1, "error": 2, "timeout": 3}
MISSING = object()  # no result came back for a case (None is a legitimate result)


@dataclass
class PlannedCheck:
    source: Source
    check: Check
    cases: list[Case]
    seed: int

    def key(self, index: int) -> str:
        return f"{self.check.assignment}|{self.check.id}|{index}"


def check_seed(check: Check, base_seed: int) -> int:
    """A seed of its own for every check, the same on every run."""
    return (base_seed * 1_000_003 + zlib.crc32(f"{check.assignment}/{check.id}".encode())) % 2**31


def plan(sources: list[Source], base_seed: int = BASE_SEED) -> list[PlannedCheck]:
    """Every check of every source with its cases drawn."""
    planned = []
    for source in sources:
        for check in checks_for(source.assignment.id):
            seed = check_seed(check, base_seed)
            cases = check.draw_cases(np.random.default_rng(seed))
            planned.append(PlannedCheck(source, check, cases, seed))
    return planned


def tasks(planned: list[PlannedCheck]) -> list[dict]:
    """What the submission's process is asked to run."""
    return [
        {
            "key": p.key(i), "assignment": p.check.assignment, "function": p.check.function,
            "protocol": p.check.protocol, "case": wire.encode(case), "seed": p.seed + i,
            "timeout": p.check.timeout,
        }
        for p in planned
        for i, case in enumerate(p.cases)
    ]


def grade_path(path: Path, base_seed: int = BASE_SEED, timeout: float | None = None) -> GradeReport:
    """Grade everything gradable at `path` (see sources.find_sources)."""
    return grade_sources(find_sources(Path(path)), base_seed, timeout)


def grade_sources(sources: list[Source], base_seed: int = BASE_SEED, timeout: float | None = None) -> GradeReport:
    started = time.perf_counter()
    # Start the submission's process first: its TensorFlow import overlaps with our work.
    process = SubmissionProcess()
    try:
        planned = plan(sources, base_seed)
        if timeout is None:
            timeout = 60.0 + sum(p.check.timeout for p in planned) / 2
        process.send(sources, tasks(planned), devices=[], timeout=timeout)
        device_setup.configure()
        device_list = device_setup.devices()
        expected = {
            (p.key(i), device): _expected(p.check, i, case, device)
            for p in planned for i, case in enumerate(p.cases) for device in device_list
        }
    finally:
        outcome = process.finish()
    results = []
    for source in sources:
        mine = [p for p in planned if p.source is source]
        results.append(_judge_assignment(source, mine, outcome, expected, device_list))
    import tensorflow as tf

    environment = {
        "tensorflow": tf.__version__,
        "devices": [device_setup.short_name(d) for d in device_list],
        "skipped_devices": device_setup.skipped_devices(),
    }
    return GradeReport(environment, results, time.perf_counter() - started)


def _expected(check: Check, index: int, case: Case, device: str) -> Any:
    """A public check's written-down answer (what students check against), or else the
    reference solution's result on this device."""
    if check.expected is not None:
        return check.expected[index]
    return reference_result(check, case, device)


def _judge_assignment(source: Source, planned: list[PlannedCheck], outcome: WorkerOutcome,
                      expected: dict, device_list: list[str]) -> AssignmentResult:
    result = AssignmentResult(id=source.assignment.id, source=str(source.path))
    load = outcome.loads.get(source.assignment.id)
    if load is None:
        result.error = f"could not load {source.path.name}: " + (outcome.ended_early() or "no result came back")
    elif load["error"]:
        result.error = f"could not load {source.path.name}: {load['error']}"
    else:
        result.notes.extend(load["problems"])
    if not planned:
        result.notes.append("no checks exist for this assignment yet")
    for p in planned:
        result.checks.append(_judge_check(p, source, outcome, expected, device_list, result.error))
    return result


def _judge_check(p: PlannedCheck, source: Source, outcome: WorkerOutcome, expected: dict,
                 device_list: list[str], load_error: str | None) -> CheckResult:
    check = p.check
    per_device: dict[str, str] = {}
    first_problem: tuple[str, str, str] | None = None  # (device, case label, problem)
    bad_cases = 0
    for device in device_list:
        device_status = "passed"
        for index, case in enumerate(p.cases):
            if load_error:
                status, problem = "error", load_error
            else:
                actual = outcome.values.get((p.key(index), device), MISSING)
                status, problem = _judge_case(check, case, actual, expected[(p.key(index), device)],
                                              outcome, source)
            if status != "passed":
                bad_cases += 1
                if first_problem is None:
                    first_problem = (device, case.label, problem)
            if SEVERITY[status] > SEVERITY[device_status]:
                device_status = status
        per_device[device_setup.short_name(device)] = device_status
    status = max(per_device.values(), key=SEVERITY.get) if per_device else "error"
    total = len(p.cases) * len(device_list)
    if status == "passed":
        message = f"{len(p.cases)} case(s) passed on {', '.join(per_device)}"
    else:
        device, label, problem = first_problem
        where = f"case {label}, " if label and not load_error else ""
        message = f"{problem} ({where}on {device_setup.short_name(device)}; {bad_cases} of {total} runs failed)"
    return CheckResult(
        id=check.id, function=check.function, visibility=check.visibility, description=check.description,
        score=float(check.points) if status == "passed" else 0.0, max_score=float(check.points),
        status=status, message=message, devices=per_device,
    )


def _judge_case(check: Check, case: Case, actual: Any, expected: Any, outcome: WorkerOutcome,
                source: Source) -> tuple[str, str]:
    if actual is MISSING:
        reason = outcome.ended_early() or "no result came back for this case"
        return ("timeout" if outcome.timed_out else "error"), f"{reason} before this case finished"
    if isinstance(actual, Raised):
        if "CaseTimeout" in actual.types:
            return "timeout", f"{check.function} {actual.message}"
        if "MissingFunction" in actual.types:
            return "error", f"{source.path.name} defines no function named {check.function}"
        if "NotImplementedError" in actual.types:
            return "error", f"{check.function} is not implemented yet (it raises NotImplementedError)"
        if not isinstance(expected, Raised) and not (isinstance(expected, dict) and check.part):
            return "error", f"{check.function} raised {actual.type}: {actual.message}"
    if check.judge is not None:
        problem = check.judge(actual, expected, case)
    else:
        problem = case_problem(check, actual, expected)
    return ("failed", problem) if problem else ("passed", "")
