"""Where a submission's code is, and how it becomes a module.

A script-form submission is `<module>.py`; a notebook-form one is `<module>.ipynb`, whose
code cells run in order in one namespace, as in nbgrader's autograde, except the grade
cells (the tests). A cell that raises does not stop the cells after it; IPython magics
and shell escapes are skipped, and IPython's `display` shows nothing.
"""

from __future__ import annotations

import sys
import tokenize
import types
from dataclasses import dataclass
from pathlib import Path

from selfcheck.assignments import ASSIGNMENTS, Assignment
from selfcheck.notebooks import code_cells, metadata


@dataclass(frozen=True)
class Source:
    """One gradable file: which assignment it answers, and where it is."""

    assignment: Assignment
    path: Path

    @property
    def kind(self) -> str:
        return "notebook" if self.path.suffix == ".ipynb" else "module"


class NothingToGrade(Exception):
    """A path holds no file the grader knows how to grade."""


SKIP_DIRS = {"__pycache__", ".ipynb_checkpoints", "selfcheck", ".git"}


def find_sources(path: Path) -> list[Source]:
    """The gradable files at `path`: a module or notebook file, or a folder holding them
    directly or one level down (nbgrader's `<student>/<assignment id>/<notebook>`)."""
    path = Path(path)
    if not path.exists():
        raise NothingToGrade(f"{path} does not exist")
    known = {a.script: a for a in ASSIGNMENTS} | {a.notebook: a for a in ASSIGNMENTS}
    if path.is_file():
        if path.name not in known:
            raise NothingToGrade(f"{path.name} is not a file of any assignment ({_expected_names()})")
        return [Source(known[path.name], path)]
    found: dict[str, list[Path]] = {}
    for candidate in sorted(_candidates(path)):
        if candidate.name in known:
            found.setdefault(known[candidate.name].id, []).append(candidate)
    if not found:
        raise NothingToGrade(
            f"{path} holds nothing to grade: expected {_expected_names()}, directly or in "
            "nbgrader's <assignment id>/ folders"
        )
    sources = []
    for assignment in ASSIGNMENTS:
        paths = found.get(assignment.id, [])
        if paths:
            # Several copies (e.g. loss.py and loss.ipynb): grade the notebook, which is
            # what nbgrader grades too; the others are reported by the caller.
            notebooks = [p for p in paths if p.suffix == ".ipynb"]
            sources.append(Source(assignment, (notebooks or paths)[0]))
    return sources


def _candidates(folder: Path):
    for child in folder.iterdir():
        if child.is_file():
            yield child
        elif child.is_dir() and child.name not in SKIP_DIRS:
            for grandchild in child.iterdir():
                if grandchild.is_file():
                    yield grandchild


def _expected_names() -> str:
    return ", ".join(f"{a.script} or {a.notebook}" for a in ASSIGNMENTS)


def notebook_code_cells(path: Path) -> list[str]:
    """The code of the cells of a notebook that a grading run executes, in order: all but the
    instructor's test cells. Raises NotebookError (a ValueError) naming what is wrong."""
    return [source for _, cell, source in code_cells(path) if not _is_test_cell(metadata(cell, "nbgrader"))]


def _is_test_cell(nbgrader: dict) -> bool:
    return bool(nbgrader.get("grade")) and not nbgrader.get("solution")


def load(source: Source) -> tuple[types.ModuleType, list[str]]:
    """Run the submission's code as a module named after the assignment's module.

    Returns the module and the problems met while loading (a notebook cell that raised).
    Raises whatever a script-form module raises at import (SyntaxError, ...)."""
    module = types.ModuleType(source.assignment.module)
    module.__file__ = str(source.path)
    sys.modules[source.assignment.module] = module
    folder = str(source.path.parent.resolve())
    if folder not in sys.path:
        sys.path.insert(0, folder)
    problems = []
    if source.kind == "module":
        code = compile(script_text(source.path), str(source.path), "exec")
        exec(code, module.__dict__)
        return module, problems
    module.display = _display  # a builtin of IPython that notebooks call; its output is not graded
    for number, cell in enumerate(notebook_code_cells(source.path), start=1):
        try:
            exec(compile(cell, f"{source.path.name} code cell {number}", "exec"), module.__dict__)
        except Exception as error:  # a broken cell must not stop the cells after it
            problems.append(f"code cell {number} raised {type(error).__name__}: {_first_line(error)}")
    return module, problems


def _display(*objects: object, **options: object) -> None:
    """IPython's `display`, which a notebook may call anywhere in a cell: here it shows nothing,
    so that the definitions after the call still run, as they do in Jupyter."""


def script_text(path: Path) -> str:
    """A script's text, decoded as Python's import decodes a module: by its encoding declaration
    (PEP 263) or byte order mark, else as UTF-8. So a file that imports in the student's own
    pytest run loads in the grader too, and one that does not is refused with the reason."""
    try:
        with tokenize.open(path) as file:
            return file.read()
    except (SyntaxError, UnicodeDecodeError) as error:
        why = error.msg if isinstance(error, SyntaxError) else str(error)
        raise SyntaxError(
            f"{path.name} cannot be read as Python source ({why}); save it as UTF-8, "
            "or declare its encoding on its first line (# -*- coding: latin-1 -*-)"
        ) from None


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0][:200] if lines else ""
