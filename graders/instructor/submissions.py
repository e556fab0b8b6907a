"""What `nbgrader autograde` takes from a submission's folder: only what was handed in.

nbgrader copies every file of submitted/<student>/<assignment>/ into autograded/ (and from
there into feedback/) with `shutil.copy`, and reads each notebook with nbformat: both follow
symbolic links, as the instructor. A link handed in as `answers.py -> ../../../source/...`
or `loss.ipynb -> ../../alice/05_loss/loss.ipynb` would put the course's solutions, or
another student's work, into the student's own autograded folder and feedback, before any
kernel runs. `refuse_links()` (the kit's nbgrader_config.py calls it) makes autograde skip
such files, and grade a notebook handed in as a link as a notebook not handed in (0
points, and a logged error): only regular files reached without a link are taken.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.converters import Autograde
from nbgrader.converters import base as converter_base

_installed = False


def handed_in(path: str, submitted: str) -> bool:
    """Whether `path` (under the submitted/ folder `submitted`, by name) is a regular file
    that no symbolic link leads to: its real path is the one its name says."""
    path, submitted = os.path.abspath(path), os.path.abspath(submitted)
    expected = os.path.join(os.path.realpath(submitted), os.path.relpath(path, submitted))
    return os.path.isfile(path) and os.path.realpath(path) == expected


def refuse_links() -> None:
    """Install the check into nbgrader's Autograde (once per process)."""
    global _installed
    if _installed:
        return
    original = Autograde.init_assignment

    def init_assignment(self: Autograde, assignment_id: str, student_id: str) -> None:
        submitted = os.path.join(self.coursedir.root, self.coursedir.submitted_directory)
        linked = [n for n in self.notebooks if not handed_in(n, submitted)]
        with _only_handed_in(submitted, self.log.warning):
            original(self, assignment_id, student_id)
        for notebook in linked:
            self.log.error("%s is a symbolic link (or not a regular file): not graded, 0 points", notebook)
        self.notebooks = [n for n in self.notebooks if n not in linked]
        _zero(self, assignment_id, student_id, linked)

    Autograde.init_assignment = init_assignment
    _installed = True


@contextlib.contextmanager
def _only_handed_in(submitted: str, warn: Callable[..., None]) -> Iterator[None]:
    """While nbgrader copies a submission's other files: skip the ones links lead to."""
    find = converter_base.find_all_files

    def find_handed_in(path: str, exclude: list[str] | None = None) -> list[str]:
        found = find(path, exclude)
        if not os.path.abspath(path).startswith(os.path.abspath(submitted) + os.sep):
            return found
        kept = [f for f in found if handed_in(f, submitted)]
        for skipped in sorted(set(found) - set(kept)):
            warn("not copied: %s is a symbolic link (or not a regular file)", skipped)
        return kept

    converter_base.find_all_files = find_handed_in
    try:
        yield
    finally:
        converter_base.find_all_files = find


def _zero(converter: Autograde, assignment_id: str, student_id: str, notebooks: list[str]) -> None:
    """What nbgrader does for a notebook that was not handed in: every grade 0."""
    if not notebooks:
        return
    with Gradebook(converter.coursedir.db_url, converter.coursedir.course_id) as gb:
        for notebook in notebooks:
            name = os.path.splitext(os.path.basename(notebook))[0]
            try:
                submission = gb.find_submission_notebook(name, assignment_id, student_id)
            except MissingEntry:
                continue
            for grade in submission.grades:
                grade.auto_score = 0
                grade.needs_manual_grade = False
        gb.db.commit()
