"""Where the kit's parts are, defined once for every module (it imports nothing of the kit,
so any layer may use it)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"  # the reference modules, generated from source/
SOURCE = ROOT / "source"  # the nbgrader source notebooks: the single source of truth
EXERCISES = ROOT / "exercises"  # the student folder (stubs, public checks, selfcheck/)
SELFCHECK = EXERCISES / "selfcheck"  # the public package students get
ENGINE = ROOT / "graders"  # the grader's code (its engine is visible to a submission's process)
HIDDEN_CHECKS = ROOT / "graders" / "checks"
TESTS = ROOT / "tests"
BUILD = ROOT / "build"
