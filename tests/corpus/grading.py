"""Grade the whole corpus in one batch and say, per variant, what happened."""

from __future__ import annotations

import ast
import importlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from corpus.variant import Variant
from graders.checks import checks_for
from graders.engine import FAULT_NOTE, Grader, Source
from selfcheck.assignments import ASSIGNMENTS

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Outcome:
    kind: str  # "mutant" or "alternate"
    assignment: str
    variant: Variant
    allowed: tuple[str, ...]  # functions whose checks a mutant may cost points on
    lost: dict[str, float] = field(default_factory=dict)  # function -> points lost
    lost_checks: set[str] = field(default_factory=set)  # ids of the checks that lost points
    faults: list[str] = field(default_factory=list)  # the grader's own failures (its notes)
    error: str | None = None

    @property
    def ok(self) -> bool:
        if self.error or self.faults:
            return False
        if self.kind == "alternate":
            return not self.lost
        return self.caught and not self.collateral and not self.missed

    @property
    def caught(self) -> bool:
        return any(f in self.lost for f in self.allowed)

    @property
    def collateral(self) -> list[str]:
        return sorted(f for f in self.lost if f not in self.allowed)

    @property
    def missed(self) -> list[str]:
        """The checks named in the variant's `caught_by` that lost no points."""
        return sorted(set(self.variant.caught_by) - self.lost_checks)

    def describe(self) -> str:
        where = f"{self.assignment} {self.kind} {self.variant.function}: {self.variant.name}"
        if self.error:
            return f"{where}: {self.error}"
        if self.faults:
            lines = self.faults[0].strip().splitlines()
            return f"{where}: the grader failed ({len(self.faults)} note(s)): {lines[0]} ... {lines[-1]}"
        if self.kind == "alternate" and self.lost:
            return f"{where}: penalised on {sorted(self.lost_checks)}"
        if self.kind == "alternate":
            return f"{where}: full marks"
        if not self.caught:
            return f"{where}: NOT CAUGHT"
        if self.collateral:
            return f"{where}: also costs points on {self.collateral}"
        if self.missed:
            return f"{where}: {self.missed} lost no points (caught by {sorted(self.lost_checks)})"
        return f"{where}: caught ({', '.join(sorted(self.lost_checks))})"


def corpus() -> list[tuple[str, str, Variant, tuple[str, ...]]]:
    """(kind, assignment id, variant, functions it may cost points on) for every entry."""
    entries = []
    for a in ASSIGNMENTS:
        try:
            module = importlib.import_module(f"corpus.{a.module}")
        except ModuleNotFoundError:
            continue
        callers = getattr(module, "CALLERS", {})
        for variant in module.MUTANTS:
            entries.append(("mutant", a.id, variant, (variant.function, *callers.get(variant.function, ()))))
        for variant in module.ALTERNATES:
            entries.append(("alternate", a.id, variant, ()))
    return entries


def affected(module_text: str, function: str) -> set[str]:
    """`function` and every function of the module that calls it, directly or through others:
    the only functions whose checks a change to `function` can change (the other functions'
    code is the reference's, byte for byte)."""
    tree = ast.parse(module_text)
    defined = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    calls = {
        name: {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and n.id in defined}
        for name, node in defined.items()
    }
    found, frontier = {function}, [function]
    while frontier:
        callee = frontier.pop()
        for caller, names in calls.items():
            if callee in names and caller not in found:
                found.add(caller)
                frontier.append(caller)
    return found


def grade_corpus(workers: int = 2, entries: list | None = None) -> list[Outcome]:
    """Apply every variant (or those of `entries`, items of corpus()) to its reference module
    and grade them all in one batch, each on the checks of the functions it can affect.

    A mutant is graded first on the functions that decide its verdict whatever the rest
    gives: its own, those it must not cost points on, and those of the checks its `caught_by`
    names. Its allowed callers (a network's `train` over a changed `dense`, the costliest
    checks of the corpus) are graded only if that leaves it uncaught, which is all they
    could change."""
    outcomes, first = [], []
    entries = corpus() if entries is None else entries
    with tempfile.TemporaryDirectory(prefix="corpus-") as folder:
        for number, (kind, assignment_id, variant, allowed) in enumerate(entries):
            a = next(x for x in ASSIGNMENTS if x.id == assignment_id)
            outcome = Outcome(kind, assignment_id, variant, allowed)
            outcomes.append(outcome)
            try:
                text = variant.apply((ROOT / "solutions" / a.script).read_text())
            except Exception as error:  # a variant that no longer applies
                outcome.error = str(error)
                continue
            path = Path(folder) / f"{number:04d}" / a.script
            path.parent.mkdir()
            path.write_text(text)
            functions = affected((ROOT / "solutions" / a.script).read_text(), variant.function)
            deciding = functions if kind == "alternate" else _deciding(outcome, functions)
            first.append((outcome, [Source(a, path)], deciding, functions - deciding))
        with Grader(workers=workers) as grader:
            _grade_into(grader, [(outcome, sources, functions) for outcome, sources, functions, _ in first])
            _grade_into(
                grader,
                [
                    (outcome, sources, rest)
                    for outcome, sources, _, rest in first
                    if rest and not outcome.caught
                ],
            )
    return outcomes


def _deciding(outcome: Outcome, functions: set[str]) -> set[str]:
    """The functions a mutant's verdict depends on whatever its allowed callers give."""
    named = {check.id: check.function for check in checks_for(outcome.assignment)}
    caught_by = {named[name] for name in outcome.variant.caught_by if name in named}
    return (functions - set(outcome.allowed)) | {outcome.variant.function} | (caught_by & functions)


def _grade_into(grader: Grader, submissions: list[tuple[Outcome, list[Source], set[str]]]) -> None:
    """Grade each submission on its functions, adding what it lost to its outcome."""
    started = [
        (outcome, grader.start(sources, functions=functions)) for outcome, sources, functions in submissions
    ]
    for outcome, pending in started:
        for result in grader.finish(pending):
            if result.error:
                outcome.error = result.error
            outcome.faults.extend(note for note in result.notes if note.startswith(FAULT_NOTE))
            for check in result.checks:
                if check.score < check.max_score:
                    outcome.lost[check.function] = (
                        outcome.lost.get(check.function, 0) + check.max_score - check.score
                    )
                    outcome.lost_checks.add(check.id)


def rates(outcomes: list[Outcome]) -> dict[str, dict[str, float]]:
    """Per assignment: mutants, kill rate, alternates, false-rejection rate."""
    table: dict[str, dict[str, float]] = {}
    for o in outcomes:
        row = table.setdefault(o.assignment, {"mutants": 0, "killed": 0, "alternates": 0, "rejected": 0})
        if o.kind == "mutant":
            row["mutants"] += 1
            row["killed"] += o.ok
        else:
            row["alternates"] += 1
            row["rejected"] += not o.ok
    return table
