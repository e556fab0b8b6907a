"""Grade submissions: draw the cases, run each submission in a contained child of the fork
server and the reference here, on every device, then judge and score every check.

A `Grader` keeps its fork server and the reference results between submissions: the
cases of a check depend only on the base seed and the check, so the reference runs once
per case and device for a whole class.
"""

from __future__ import annotations

import re
import sys
import time
import traceback
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from graders import paths
from graders.checks import checks_for
from graders.checks.reference import reference_module, reference_result
from graders.engine import containment, wire
from graders.engine import devices as device_setup
from graders.engine.forkserver_client import ForkServer, WorkerOutcome
from graders.engine.references import PlannedCheck, ReferenceCache, StoredAssignment, needed
from graders.engine.report import FAULT_NOTE, AssignmentResult, CheckResult, GradeReport
from graders.engine.sources import Source, find_sources
from graders.engine.static_rules import NOT_IMPLEMENTED, submission_text, violation
from selfcheck.compare import GPU_TOLERANCES
from selfcheck.hints import Context, Diagnosis
from selfcheck.local import case_verdict, context_of, with_hint
from selfcheck.model import Case, Check
from selfcheck.values import Raised

BASE_SEED = 20261127
CONFIGURED: Any = object()  # the reference cache the environment configures (see references)
SEVERITY = {"passed": 0, "failed": 1, "error": 2, "timeout": 3}
MISSING = object()  # no result came back for a case (None is a legitimate result)
# What a student sees where the grader itself failed; the details go to the report's notes.
GRADER_FAULT = (
    "the grader could not judge this case: a problem of the grader, not of your code "
    "(your instructor has the details)"
)
# What a submission must never see: the answers, the hidden checks, the kit's tests.
SECRET_FOLDERS = [paths.SOLUTIONS, paths.SOURCE, paths.TESTS, paths.BUILD, paths.HIDDEN_CHECKS]


def check_seed(check: Check, base_seed: int) -> int:
    """A seed of its own for every check, the same on every run."""
    return (base_seed * 1_000_003 + zlib.crc32(f"{check.assignment}/{check.id}".encode())) % 2**31


def shared_runs(checks: Iterable[Check]) -> dict[str, str]:
    """Check id -> the id of the check whose run it shares (its own id if none).

    Checks of one function that judge different parts (`part`) of the same protocol's
    output, on cases drawn by the same function under the same limits, share one run: the
    first of them draws the cases and the others judge that run's parts. A training run
    judged on its losses and on its parameters then runs once, not twice."""
    first: dict[tuple, str] = {}
    runs = {}
    for check in checks:
        if (
            check.part is None
            or check.rule is not None
            or check.expected is not None
            or not callable(check.cases)
        ):
            runs[check.id] = check.id
            continue
        same = (check.function, check.protocol, check.cases, check.judge_data, check.timeout, check.cpu_limit)
        runs[check.id] = first.setdefault(same, check.id)
    return runs


def plan(assignment_id: str, base_seed: int = BASE_SEED) -> list[PlannedCheck]:
    """Every check of an assignment with its cases drawn, as they travel: the reference
    and the judges use the very values the submission's process receives (and that a
    stored plan gives back). Checks that share a run get its cases."""
    checks = checks_for(assignment_id)
    runs = shared_runs(checks)
    planned: dict[str, PlannedCheck] = {}
    for check in checks:
        run = runs[check.id]
        if run != check.id:
            leader = planned[run]
            planned[check.id] = PlannedCheck(check, leader.cases, leader.seed, run)
            continue
        seed = check_seed(check, base_seed)
        cases = check.draw_cases(np.random.default_rng(seed))
        if check.rule is None:
            cases = wire.decode(wire.encode(list(cases)))
        planned[check.id] = PlannedCheck(check, cases, seed)
    return list(planned.values())


def tasks(planned: list[PlannedCheck]) -> list[dict]:
    """What a submission's process is asked to run: each case once, however many checks
    judge its result."""
    found: dict[str, dict] = {}
    for p in planned:
        if p.check.rule is not None:
            continue
        for i, case in enumerate(p.cases):
            key = p.key(i)
            if key not in found:
                found[key] = {
                    "key": key,
                    "assignment": p.check.assignment,
                    "function": p.check.function,
                    "protocol": p.check.protocol,
                    "case": wire.encode(case),
                    "seed": p.seed + i,
                    "timeout": p.check.timeout,
                    "cpu_limit": p.check.cpu_limit,
                }
    return list(found.values())


@dataclass
class Known:
    """Cases and reference results computed elsewhere (when a Gradescope bundle is built):
    a grader given them runs neither TensorFlow nor the reference in its own process."""

    devices: list[str]
    plans: dict[str, list[PlannedCheck]]
    expected: dict[tuple[str, str], Any]
    parameters: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)  # for hints


@dataclass
class Pending:
    """A submission whose processes are running: what `Grader.collect` waits for."""

    jobs: list[tuple[list[Source], Any]]
    functions: frozenset[str] | None = None  # only these functions' checks, or all


class Grader:
    """Grades submissions one after another or many at once, sharing one fork server, one
    TensorFlow set-up and the reference results.

    Every (student, assignment) runs in a process of its own, so that a submission's module
    that ends its process (os._exit, a segfault, the memory or time limit) costs that
    assignment only. `isolate="submission"` runs a student's assignments in one process
    instead (for the benchmark, which measures the difference).
    """

    def __init__(
        self,
        base_seed: int = BASE_SEED,
        workers: int = 1,
        hidden: Iterable[Path] = (),
        isolate: str = "assignment",
        known: Known | None = None,
        cache: ReferenceCache | None = CONFIGURED,
    ):
        if isolate not in ("assignment", "submission"):
            raise ValueError(f"isolate must be 'assignment' or 'submission', not {isolate!r}")
        self.base_seed = base_seed
        self.isolate = isolate
        self.known = known
        self._plans: dict[str, list[PlannedCheck]] = dict(known.plans) if known else {}
        self._expected: dict[tuple[str, str], Any] = dict(known.expected) if known else {}
        self._faults: dict[tuple[str, str], str] = {}  # reference runs that failed: the grader's problem
        self._contexts: dict[tuple[str, str], Context] = {
            key: Context(names) for key, names in (known.parameters if known else {}).items()
        }
        self.cache = (
            None if known is not None else (ReferenceCache.configured() if cache is CONFIGURED else cache)
        )
        self._tensorflow_ready = False
        self._workers = workers
        self._secrets = [*SECRET_FOLDERS, *([self.cache.folder] if self.cache else []), *hidden]
        self._server: ForkServer | None = None
        if known is not None:
            self._machine: dict[str, Any] = {}
            self.devices = list(known.devices)
            return
        self._machine = (self.cache.machine() if self.cache else None) or {}
        if self._machine:
            self.devices = list(self._machine["devices"])  # TensorFlow waits until a reference must run
            return
        self.start_server()  # first, so that its TensorFlow import overlaps with ours
        try:
            self._set_up_tensorflow()
        except BaseException:
            self.close()
            raise

    @property
    def server(self) -> ForkServer:
        """The fork server of the submissions' processes, started on first use."""
        return self.start_server()

    def start_server(self) -> ForkServer:
        """Start the fork server now if it is not running (it dies with the thread that
        started it: see ForkServer)."""
        if self._server is None:
            self._server = ForkServer(self._workers, hidden=self._secrets)
        return self._server

    def prepare(self, assignment_ids: Iterable[str]) -> None:
        """Draw the cases of these assignments and run their reference now, not at the first
        submission (a grader with a reference cache stores them for the graders to come)."""
        for assignment_id in assignment_ids:
            self._reference(assignment_id)

    def _set_up_tensorflow(self) -> None:
        """Import and configure TensorFlow in this process, once: before a reference runs,
        a case is drawn with it, or a judge uses it."""
        if self._tensorflow_ready or self.known is not None:
            return
        device_setup.configure()
        found = device_setup.devices()
        self._tensorflow_ready = True
        if self._machine and found != self.devices:
            raise RuntimeError(
                f"TensorFlow sees the devices {found}, the reference cache {self.devices}: "
                f"remove {self.cache.folder} and grade again"
            )
        self.devices = found
        if self.cache and not self._machine:
            import tensorflow as tf

            self._machine = {
                "devices": found,
                "skipped_devices": device_setup.skipped_devices(),
                "tensorflow": tf.__version__,
            }
            self.cache.store_machine(self._machine)

    def environment(self) -> dict[str, Any]:
        return {
            "tensorflow": self._machine.get("tensorflow") or _tensorflow_version(),
            "devices": [device_setup.short_name(d) for d in self.devices],
            "skipped_devices": (
                self._machine["skipped_devices"] if self._machine else device_setup.skipped_devices()
            ),
            "sandbox": containment.describe(),
        }

    def plan_for(self, assignment_id: str) -> list[PlannedCheck]:
        if assignment_id not in self._plans:
            if self.known is not None:
                raise LookupError(f"this grader holds no cases of {assignment_id}")
            stored = self.cache.load(assignment_id, self.base_seed, self.devices) if self.cache else None
            if stored is not None:
                self._plans[assignment_id] = stored.plans
                self._expected.update(stored.expected)
                for function, names in stored.parameters.items():
                    self._contexts[(assignment_id, function)] = Context(names)
            else:
                self._set_up_tensorflow()  # drawing a case may use it
                self._plans[assignment_id] = plan(assignment_id, self.base_seed)
        return self._plans[assignment_id]

    def grade(self, sources: list[Source], timeout: float | None = None) -> list[AssignmentResult]:
        """Grade one submission (one or several assignments of one student)."""
        return next(self.grade_many([(None, sources)], timeout))[1]

    def grade_many(
        self, submissions: list[tuple[Any, list[Source]]], timeout: float | None = None
    ) -> Iterator[tuple[Any, list[AssignmentResult]]]:
        """Grade many submissions, as many processes at once as the fork server has workers;
        yields (key, results) in the order given. `timeout` bounds each process (default:
        from the checks' own limits)."""
        pending = [(key, self.start(sources, timeout)) for key, sources in submissions]
        for key, started in pending:
            yield key, self.finish(started)

    def start(
        self, sources: list[Source], timeout: float | None = None, functions: Iterable[str] | None = None
    ) -> Pending:
        """Start grading one submission: its processes run while this returns (and the
        reference results of its assignments are computed here meanwhile). `functions`
        limits the grading to those functions' checks (a regrade of one function)."""
        only = frozenset(functions) if functions is not None else None
        groups = [[s] for s in sources] if self.isolate == "assignment" else [list(sources)]
        jobs = []
        for group in (g for g in groups if g):
            planned = [p for s in group for p in self._chosen(s.assignment.id, only)]
            limit = timeout if timeout is not None else self.time_limit(group)
            jobs.append((group, self.server.submit(group, tasks(planned), limit, self.devices)))
        for group, _ in jobs:
            for source in group:
                self._reference(source.assignment.id)
        return Pending(jobs, only)

    def time_limit(self, sources: list[Source]) -> float:
        """The wall-clock limit of a process grading `sources`, from their checks' limits."""
        return 60.0 + sum(p.check.timeout for s in sources for p in self.plan_for(s.assignment.id)) / 2

    def collect(self, pending: Pending) -> list[tuple[Source, WorkerOutcome]]:
        """Wait for a started submission's processes; what each assignment's produced."""
        outcomes = []
        for group, job in pending.jobs:
            outcome = self.server.wait(job)
            outcomes.extend((source, outcome) for source in group)
        return outcomes

    def finish(self, pending: Pending) -> list[AssignmentResult]:
        """Wait for a started submission and judge it."""
        return [self.judge(source, outcome, pending.functions) for source, outcome in self.collect(pending)]

    def _chosen(self, assignment_id: str, functions: frozenset[str] | None) -> list[PlannedCheck]:
        planned = self.plan_for(assignment_id)
        return planned if functions is None else [p for p in planned if p.check.function in functions]

    def _reference(self, assignment_id: str) -> None:
        planned = self.plan_for(assignment_id)
        computed = False
        for p in planned:
            if p.check.rule is not None:
                continue
            for index, case in enumerate(p.cases):
                for device in self.devices:
                    key = (p.key(index), device)
                    if key not in self._expected and key not in self._faults:
                        if p.check.expected is None:
                            self._set_up_tensorflow()
                            computed = True
                        try:
                            self._expected[key] = _expected(p.check, index, case, device)
                        except Exception:  # the kit's own failure: judged as "could not judge"
                            self._faults[key] = traceback.format_exc(limit=8)
        if computed and self.cache:
            self._store(assignment_id, planned)

    def _store(self, assignment_id: str, planned: list[PlannedCheck]) -> None:
        """Keep a complete reference run for the next grader (one with a fault is not kept)."""
        keys = needed(planned, self.devices)
        if keys - set(self._expected):
            return
        parameters = {}
        for p in planned:
            parameters[p.check.function] = self._context(p.check).parameters
        expected = {key: self._expected[key] for key in keys}
        self.cache.store(
            StoredAssignment(assignment_id, self.base_seed, list(self.devices), planned, expected, parameters)
        )

    def close(self) -> None:
        if self._server is not None:
            self._server.close()

    def __enter__(self) -> Grader:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def judge(
        self, source: Source, outcome: WorkerOutcome, functions: frozenset[str] | None = None
    ) -> AssignmentResult:
        """The assignment's result (of `functions`' checks only, if given); never raises (a
        grader failure is reported, not thrown)."""
        try:
            return self._judge_assignment(source, outcome, functions)
        except Exception:
            result = AssignmentResult(id=source.assignment.id, source=str(source.path))
            result.error = (
                "the grader could not grade this assignment: a problem of the grader, not of your code"
            )
            result.notes.append(f"{FAULT_NOTE}: {traceback.format_exc(limit=8)}")
            result.checks = [
                CheckResult.of(p.check, "error", GRADER_FAULT, {})
                for p in self._chosen(source.assignment.id, functions)
            ]
            return result

    def _judge_assignment(
        self, source: Source, outcome: WorkerOutcome, functions: frozenset[str] | None = None
    ) -> AssignmentResult:
        result = AssignmentResult(id=source.assignment.id, source=str(source.path))
        load = outcome.loads.get(source.assignment.id)
        if load is None:
            why = outcome.ended_early() or (
                f"the submission's process exited (status {outcome.returncode}) while loading it"
            )
            result.error = f"could not load {source.path.name}: {why}"
        elif load["error"]:
            result.error = f"could not load {source.path.name}: {load['error']}"
        else:
            result.notes.extend(load["problems"])
        result.notes.extend(outcome.notes)
        if outcome.crash:
            _note_fault(result.notes, "the submission's process", outcome.crash)
        planned = self._chosen(source.assignment.id, functions)
        if not planned:
            result.notes.append("no checks exist for this assignment yet")
        for p in planned:
            result.checks.append(self._judge_check(p, source, outcome, result.error, result.notes))
        _rules_need_a_working_function(result, planned)
        return result

    def _judge_check(
        self,
        p: PlannedCheck,
        source: Source,
        outcome: WorkerOutcome,
        load_error: str | None,
        notes: list[str],
    ) -> CheckResult:
        check = p.check
        if check.rule is not None:
            return _judge_rule(check, source, load_error)
        context = self._context(check)
        per_device: dict[str, str] = {}
        first_problem: tuple[str, str, str] | None = None  # (device, case label, problem)
        diagnoses: list[list[Diagnosis]] = []  # of every failing case, for a hint they all agree on
        bad_runs = 0
        for device in self.devices:
            device_status = "passed"
            for index, case in enumerate(p.cases):
                if load_error:
                    status, problem, found = "error", load_error, []
                else:
                    status, problem, found = self._judge_one(
                        p, index, case, device, source, outcome, context, notes
                    )
                if status != "passed":
                    bad_runs += 1
                    diagnoses.append(found)
                    if first_problem is None:
                        first_problem = (device, case.label, problem)
                if SEVERITY[status] > SEVERITY[device_status]:
                    device_status = status
            per_device[device_setup.short_name(device)] = device_status
        status = max(per_device.values(), key=SEVERITY.get) if per_device else "error"
        total = len(p.cases) * len(self.devices)
        if status == "passed":
            message = f"{len(p.cases)} case(s) passed on {', '.join(per_device)}"
        else:
            device, label, problem = first_problem
            if status == "failed":
                problem = with_hint(problem, diagnoses)
            where = f"case {label}, " if label and not load_error else ""
            message = (
                f"{problem} ({where}on {device_setup.short_name(device)}; {bad_runs} of {total} runs failed)"
            )
        return CheckResult.of(check, status, message, per_device)

    def _context(self, check: Check) -> Context:
        """What hints may know of the function under test (the reference's parameter names)."""
        key = (check.assignment, check.function)
        if key not in self._contexts:
            try:
                self._set_up_tensorflow()  # the reference module imports it
                self._contexts[key] = context_of(getattr(reference_module(check.assignment), check.function))
            except Exception:
                self._contexts[key] = Context()
        return self._contexts[key]

    def _judge_one(
        self,
        p: PlannedCheck,
        index: int,
        case: Case,
        device: str,
        source: Source,
        outcome: WorkerOutcome,
        context: Context,
        notes: list[str],
    ) -> tuple[str, str, list[Diagnosis]]:
        """(status, problem, diagnoses) of one case on one device; a failure of the grader's
        own code here becomes "error" with a message that does not blame the student, and
        its traceback goes to the instructor's notes."""
        key = (p.key(index), device)
        where = f"{p.check.id}, case {index} ({case.label or 'no label'}), {device_setup.short_name(device)}"
        if key in self._faults:
            _note_fault(notes, where, self._faults[key])
            return "error", GRADER_FAULT, []
        try:
            actual = outcome.values.get(key, MISSING)
            table = GPU_TOLERANCES if device_setup.is_gpu(device) else None
            return _judge_case(p.check, case, actual, self._expected[key], outcome, source, table, context)
        except Exception:
            _note_fault(notes, where, traceback.format_exc(limit=8))
            return "error", GRADER_FAULT, []


def _tensorflow_version() -> str:
    """TensorFlow's version, without importing it for that."""
    if "tensorflow" in sys.modules:
        return sys.modules["tensorflow"].__version__
    try:
        return metadata.version("tensorflow")
    except metadata.PackageNotFoundError:
        return "not installed"


def _note_fault(notes: list[str], where: str, details: str) -> None:
    if len(notes) < 100:
        notes.append(f"{FAULT_NOTE} in {where}: {details.strip()}")


def _rules_need_a_working_function(result: AssignmentResult, planned: list[PlannedCheck]) -> None:
    """A rule about how a function is written earns its points only if the function also
    passes one of its other checks: an empty or broken function keeps every rule."""
    rules = {p.check.id for p in planned if p.check.rule is not None}
    working = {c.function for c in result.checks if c.id not in rules and c.status == "passed"}
    for check in result.checks:
        if check.id in rules and check.status == "passed" and check.function not in working:
            check.status, check.score = "failed", 0.0
            check.devices = {"source code": "failed"}
            check.message = (
                f"the source keeps to the rule, but {check.function} passes none of its other "
                "checks: the points for how it is written need a working function"
            )


def _judge_rule(check: Check, source: Source, load_error: str | None) -> CheckResult:
    """A check of how the function is written, from the submission's source."""
    problem = load_error or violation(submission_text(source.path), check.function, check.rule)
    unfinished = bool(problem) and problem.endswith(NOT_IMPLEMENTED)
    status = "error" if load_error or unfinished else ("failed" if problem else "passed")
    return CheckResult.of(check, status, problem or "the source keeps to the rule", {"source code": status})


def without_numbers(message: str) -> str:
    """A submission's exception message with its decimal numbers masked: built from hidden
    inputs, they would give them away. Integers (shapes, indices) stay."""
    return re.sub(r"[-+]?(\d+\.\d*|\.\d+)([eE][-+]?\d+)?|\d{5,}", "#", message)


def grade_path(path: Path, base_seed: int = BASE_SEED, timeout: float | None = None) -> GradeReport:
    """Grade everything gradable at `path` (see sources.find_sources)."""
    started = time.perf_counter()
    sources = find_sources(Path(path))
    with Grader(base_seed) as grader:
        results = grader.grade(sources, timeout)
        return GradeReport(grader.environment(), results, time.perf_counter() - started)


def _expected(check: Check, index: int, case: Case, device: str) -> Any:
    """A public check's written-down answer (what students check against), or else the
    reference solution's result on this device."""
    if check.expected is not None:
        return check.expected[index]
    return reference_result(check, case, device)


def _judge_case(
    check: Check,
    case: Case,
    actual: Any,
    expected: Any,
    outcome: WorkerOutcome,
    source: Source,
    table: dict | None = None,
    context: Context | None = None,
) -> tuple[str, str, list[Diagnosis]]:
    if actual is MISSING:
        reason = outcome.ended_early() or "no result came back for this case"
        return ("timeout" if outcome.timed_out else "error"), f"{reason} before this case finished", []
    if isinstance(actual, Raised):
        if "CaseTimeout" in actual.types:
            return "timeout", f"{check.function} {actual.message}", []
        if "MissingFunction" in actual.types:
            return "error", f"{source.path.name} defines no function named {check.function}", []
        if "NotImplementedError" in actual.types:
            return "error", f"{check.function} is not implemented yet (it raises NotImplementedError)", []
        if not isinstance(expected, Raised) and not (isinstance(expected, dict) and check.part):
            message = actual.message if check.visibility == "public" else without_numbers(actual.message)
            return "error", f"{check.function} raised {actual.type}: {message}", []
    if check.judge is not None:
        problem, found = check.judge(actual, expected, case), []
    else:
        problem, found = case_verdict(check, actual, expected, case, table, context)
    return ("failed", problem, found) if problem else ("passed", "", [])
