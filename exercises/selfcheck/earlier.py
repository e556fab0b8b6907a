"""Your own functions from an earlier assignment, to use them again in a later notebook.

A notebook runs in its own folder. The earlier module is found next to it (the
plain-Python student folder: data.py beside deep.py) or in the folder of the earlier
assignment beside it (a course folder, one folder per assignment: ../04_data/data.ipynb).
Only your functions and the given code of a notebook run, never its experiments or checks.
"""

from __future__ import annotations

import importlib.util
import types
from pathlib import Path

from .assignments import assignment
from .notebooks import NotebookError, code_cells, metadata, tags

MODULE_TAG = "module"


class EarlierWorkMissing(LookupError):
    """No copy of the earlier assignment's module was found, or it could not be loaded."""


def earlier_work(assignment_id: str, folder: str | Path | None = None) -> types.ModuleType:
    """The module of an earlier assignment as you wrote it (its stubs raise NotImplementedError).

    Looks in `folder` (the working directory, which is the notebook's folder in Jupyter) for
    `<module>.py`, then for `../<assignment id>/<module>.ipynb`; raises EarlierWorkMissing
    saying where it looked."""
    a = assignment(assignment_id)
    here = Path.cwd() if folder is None else Path(folder)
    script, notebook = here / a.script, here.parent / a.id / a.notebook
    if script.is_file():
        return _load_script(a.module, script)
    if notebook.is_file():
        return _load_notebook(a.module, notebook)
    raise EarlierWorkMissing(
        f"{a.id} was not found: neither {script} nor {notebook} exists. Put your {a.script} next "
        f"to this notebook, or keep your {a.id} folder (with {a.notebook}) beside this notebook's folder."
    )


def _load_script(name: str, path: Path) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(f"earlier_{name}", path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # the student's file: anything can go wrong in it
        raise EarlierWorkMissing(f"{path} could not be loaded: {type(error).__name__}: {error}") from error
    return module


def _load_notebook(name: str, path: Path) -> types.ModuleType:
    module = types.ModuleType(f"earlier_{name}")
    module.__file__ = str(path)
    try:
        cells = list(code_cells(path))
    except NotebookError as error:
        raise EarlierWorkMissing(f"{path} is not a readable notebook ({error.why})") from None
    for number, cell, source in cells:
        if not _is_module_cell(cell):
            continue
        try:
            exec(compile(source, f"{path.name} cell {number}", "exec"), module.__dict__)
        except Exception as error:  # the student's notebook: anything can go wrong in it
            problem = f"cell {number} raised {type(error).__name__}: {error}"
            raise EarlierWorkMissing(f"{path} could not be loaded: {problem}") from error
    return module


def _is_module_cell(cell: dict) -> bool:
    """A cell of the module: tagged so, or an nbgrader cell that is not a test."""
    nbgrader = metadata(cell, "nbgrader")
    return MODULE_TAG in tags(cell) or (bool(nbgrader) and not nbgrader.get("grade"))
