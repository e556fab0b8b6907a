"""Grading results and their two forms: the JSON document and the readable summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from selfcheck.model import Check

# Notes that start so hold the details of a failure of the grader itself (a traceback):
# they are for the instructor, and never shown to students.
FAULT_NOTE = "grader problem"


def student_notes(notes: list[str]) -> list[str]:
    """The notes a student may see: all but the grader's own failures."""
    return [n for n in notes if not str(n).startswith(FAULT_NOTE)]


@dataclass
class CheckResult:
    id: str
    function: str
    visibility: str
    description: str
    score: float
    max_score: float
    status: str
    message: str
    devices: dict[str, str]

    @classmethod
    def of(cls, check: Check, status: str, message: str, devices: dict[str, str]) -> CheckResult:
        """The result of `check`: its points only if it passed."""
        return cls(
            id=check.id,
            function=check.function,
            visibility=check.visibility,
            description=check.description,
            score=float(check.points) if status == "passed" else 0.0,
            max_score=float(check.points),
            status=status,
            message=message,
            devices=dict(devices),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "function": self.function,
            "visibility": self.visibility,
            "description": self.description,
            "score": self.score,
            "max_score": self.max_score,
            "status": self.status,
            "message": self.message,
            "devices": dict(self.devices),
        }


@dataclass
class AssignmentResult:
    id: str
    source: str
    checks: list[CheckResult] = field(default_factory=list)
    error: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        return round(sum(c.score for c in self.checks), 6)

    @property
    def max_score(self) -> float:
        return round(sum(c.max_score for c in self.checks), 6)

    def function_score(self, function: str, visibility: str) -> tuple[float, float]:
        """(score, max_score) of one function's checks of one visibility."""
        chosen = [c for c in self.checks if c.function == function and c.visibility == visibility]
        return round(sum(c.score for c in chosen), 6), round(sum(c.max_score for c in chosen), 6)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "score": self.score,
            "max_score": self.max_score,
            "error": self.error,
            "notes": list(self.notes),
            "checks": [c.to_json() for c in self.checks],
        }


@dataclass
class GradeReport:
    environment: dict[str, Any]
    assignments: list[AssignmentResult]
    seconds: float = 0.0

    @property
    def score(self) -> float:
        return round(sum(a.score for a in self.assignments), 6)

    @property
    def max_score(self) -> float:
        return round(sum(a.max_score for a in self.assignments), 6)

    def to_json(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "max_score": self.max_score,
            "environment": self.environment,
            "execution_time": round(self.seconds, 3),
            "assignments": [a.to_json() for a in self.assignments],
        }

    def summary(self) -> str:
        """The readable form: one line per check, a total per assignment."""
        lines = []
        env = self.environment
        lines.append(f"TensorFlow {env['tensorflow']} on {', '.join(env['devices'])}")
        for kind, reason in env["skipped_devices"].items():
            lines.append(f"skipped {kind}: {reason}")
        for result in self.assignments:
            lines.append("")
            lines.append(f"{result.id} ({result.source}): {_num(result.score)} / {_num(result.max_score)}")
            if result.error:
                lines.append(f"  ! {result.error}")
            for note in result.notes:
                lines.append(f"  note: {note}")
            for check in result.checks:
                mark = {"passed": "ok", "failed": "FAIL", "error": "ERROR", "timeout": "TIMEOUT"}[
                    check.status
                ]
                lines.append(
                    f"  {mark:7} {check.id:40} {_num(check.score):>4} / {_num(check.max_score):<4} {check.visibility}"
                )
                if check.status != "passed":
                    lines.append(f"          {_message(check.message, result.error)}")
        lines.append("")
        lines.append(f"total: {_num(self.score)} / {_num(self.max_score)}  ({self.seconds:.1f} s)")
        return "\n".join(lines)


def _message(message: str, error: str | None) -> str:
    """A check's message, without the assignment's load error that the summary already shows
    once above its checks (the JSON keeps each message whole, for the doors that show one alone)."""
    if error and message.startswith(error):
        return "(the error above)" + message[len(error) :]
    return message


def _num(x: float) -> str:
    return f"{x:g}"
