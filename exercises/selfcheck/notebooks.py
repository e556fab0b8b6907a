"""A student's notebook read without Jupyter: its code cells as plain Python source.

Used where a notebook runs as a module (an earlier assignment's work, the grader's notebook
form). Anything that is not a notebook is refused by name, never half-read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any


class NotebookError(ValueError):
    """The file is not a notebook whose code cells can be read."""

    def __init__(self, path: Path, why: str):
        super().__init__(path, why)  # the arguments, so that it pickles
        self.path, self.why = Path(path), why

    def __str__(self) -> str:
        return f"{self.path.name} is not a readable notebook ({self.why})"


def code_cells(path: Path) -> Iterator[tuple[int, dict[str, Any], str]]:
    """(number, cell, source) of each code cell, in order; magics and shell escapes become
    `pass`. Cells are numbered among all cells, from 1, as Jupyter shows them."""
    try:
        cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise NotebookError(path, str(error)) from None
    if not isinstance(cells, list):
        raise NotebookError(path, "its cells are not a list")
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(line, str) for line in source):
            source = "".join(source)
        if not isinstance(source, str):
            raise NotebookError(path, f"cell {number}'s source is not text")
        yield number, cell, without_magics(source)


def _entry(cell: dict[str, Any], key: str) -> Any:
    """The cell's metadata entry `key`, or None when the metadata is missing or malformed."""
    found = cell.get("metadata")
    return found.get(key) if isinstance(found, dict) else None


def metadata(cell: dict[str, Any], key: str) -> dict[str, Any]:
    """The cell's metadata under `key` (e.g. "nbgrader"), or {} when it is missing or malformed."""
    found = _entry(cell, key)
    return found if isinstance(found, dict) else {}


def tags(cell: dict[str, Any]) -> list[str]:
    """The cell's tags, or [] when they are missing or malformed."""
    found = _entry(cell, "tags")
    return [tag for tag in found if isinstance(tag, str)] if isinstance(found, list) else []


def without_magics(source: str) -> str:
    """IPython magics and shell escapes become `pass`, at their own indentation."""
    lines = []
    for line in source.splitlines():
        code = line.lstrip()
        lines.append(line[: len(line) - len(code)] + "pass" if code.startswith(("%", "!")) else line)
    return "\n".join(lines) + "\n"
