"""What a check is: which function it calls, how, on which inputs, and what it expects."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class As:
    """An array argument and the form the function receives it in: "tensor" (tf.constant),
    "variable" (tf.Variable), "list" (nested Python lists) or "numpy" (a NumPy array)."""

    kind: str
    data: np.ndarray

    def __post_init__(self) -> None:
        if self.kind not in ("tensor", "variable", "list", "numpy"):
            raise ValueError(f"unknown argument form {self.kind!r}")


@dataclass(frozen=True)
class Case:
    """One set of inputs. `args` and `kwargs` go to the function (arrays as NumPy arrays
    or `As` wrappers); `options` go to the protocol that calls it (e.g. how many steps);
    `label` describes the case in messages without giving its values away."""

    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)
    label: str = ""


@dataclass(frozen=True)
class Rule:
    """A rule about how a function is written, checked on its source without running it.

    `forbid`: dotted names (and everything under them) the function must not use;
    `require`: dotted names it must use at least one of; `what`: the rule in words."""

    what: str
    forbid: tuple[str, ...] = ()
    require: tuple[str, ...] = ()


# A check's cases: a fixed tuple (public checks) or a function drawing them from a seeded
# generator (hidden checks).
Cases = tuple | Callable[[np.random.Generator], list]


@dataclass(frozen=True)
class Check:
    """One graded check of one function.

    Attributes:
        id: unique within its assignment, e.g. "mean_squared_error.shapes".
        assignment: the assignment id, e.g. "05_loss".
        function: the name of the function under test.
        points: what the check is worth; it is earned only if every case passes on
            every device.
        visibility: "public" (students have it) or "hidden" (only the grader has it).
        description: what the check verifies, in a few words, shown to students.
        cases: the inputs, or a function drawing them from a seeded NumPy generator.
        protocol: the name of the function in `selfcheck.protocols` that calls the
            function under test on a case and returns what it produced.
        expected: for public checks, the expected plain value of each case; None means
            "whatever the reference solution gives".
        part: compare only this key of the protocol's output dict.
        tolerance_scale: widens the dtype tolerances (for accumulating computations).
        judge: grader-side alternative to comparing with the reference:
            judge(actual, expected, case) -> None or a message.
        judge_data: what a judge receives as `expected`, instead of the reference's
            result: judge_data(case) -> plain values, computed (and stored) where the
            reference runs, so that the judge itself needs no TensorFlow.
        timeout: seconds one case may take on one device.
        cpu_limit: CPU seconds (process time, all threads) one case may use on one device,
            if it has such a limit: the grader stops it there, however busy the machine.
        rule: a rule about how the function is written, checked by the grader on the
            submission's source without running it (then `cases` is unused).
    """

    id: str
    assignment: str
    function: str
    points: float
    visibility: str
    description: str
    cases: Cases
    protocol: str = "call"
    expected: tuple | None = None
    part: str | None = None
    tolerance_scale: float = 1.0
    judge: Callable[[Any, Any, Case], str | None] | None = None
    judge_data: Callable[[Case], Any] | None = None
    timeout: float = 30.0
    cpu_limit: float | None = None
    rule: Rule | None = None

    def __post_init__(self) -> None:
        if self.visibility not in ("public", "hidden"):
            raise ValueError(f"{self.id}: visibility must be 'public' or 'hidden'")
        if self.visibility == "public":
            if not isinstance(self.cases, tuple) or self.expected is None:
                raise ValueError(f"{self.id}: a public check needs fixed cases and expected values")
            if len(self.cases) != len(self.expected):
                raise ValueError(
                    f"{self.id}: {len(self.cases)} cases but {len(self.expected)} expected values"
                )
        if self.points <= 0:
            raise ValueError(f"{self.id}: points must be positive")

    def draw_cases(self, rng: np.random.Generator) -> list[Case]:
        """The cases of this check; hidden checks draw them from `rng`."""
        return list(self.cases) if isinstance(self.cases, tuple) else list(self.cases(rng))
