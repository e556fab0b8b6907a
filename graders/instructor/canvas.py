"""Grades for Canvas: `python -m graders export RESULTS --canvas FILE.csv [--students MAP.csv]`.

Writes the CSV that Canvas's gradebook import takes (the layout of its own gradebook
export): the columns `Student`, `ID`, `SIS User ID`, `SIS Login ID`, `Section`, then one
column per assignment; the second row is `Points Possible` with each assignment's points.
Canvas finds each student by `ID` (its user id), `SIS User ID` or `SIS Login ID`, and an
assignment column by its header: `Name (1234)`, with Canvas's assignment id in parentheses,
fills that assignment; a name it does not know creates a new assignment. An empty cell
leaves Canvas's grade as it is.

The student map (MAP.csv) says who is who: a `student_id` column (the nbgrader or kit id)
and Canvas's columns, under Canvas's names (`Student`, `ID`, `SIS User ID`, `SIS Login ID`,
`Section`, so that Canvas's own gradebook export with a `student_id` column added serves as
a map) or as `name`, `canvas_id`, `sis_user_id`, `sis_login_id`, `section`. Without a map,
every row names its student by `SIS Login ID` = the kit's student id. Students with results
but no row in the map are not in the file and are reported.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from graders.instructor.results import ClassResults, most_common
from graders.instructor.templating import number

HEADER = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
POINTS_POSSIBLE = "    Points Possible"  # as Canvas's own export writes it
FIELDS = ("name", "canvas_id", "sis_user_id", "sis_login_id", "section")
ALIASES = {
    **{h.lower(): f for h, f in zip(HEADER, FIELDS)},
    **{f: f for f in FIELDS},
    "student_id": "student_id",
}
IDENTIFIERS = ("canvas_id", "sis_user_id", "sis_login_id")


class MapError(Exception):
    """A map file that cannot be used, with what is wrong with it."""


@dataclass(frozen=True)
class CanvasStudent:
    name: str = ""
    canvas_id: str = ""
    sis_user_id: str = ""
    sis_login_id: str = ""
    section: str = ""

    def cells(self) -> list[str]:
        return [self.name, self.canvas_id, self.sis_user_id, self.sis_login_id, self.section]


@dataclass
class Export:
    header: list[str]
    points: list[str]
    rows: list[list[str]]
    missing: dict[str, float] = field(default_factory=dict)  # students with results, not in the map -> total
    without_results: list[str] = field(default_factory=list)  # in the map, nothing graded
    notices: list[str] = field(default_factory=list)


def read_student_map(path: Path) -> dict[str, CanvasStudent]:
    """student id -> Canvas identity, from a map file (see the module's docstring)."""
    rows = _read_csv(path)
    if not rows:
        raise MapError(f"{path}: empty (expected a header with student_id and Canvas's columns)")
    columns = {index: ALIASES.get(name.strip().lower()) for index, name in enumerate(rows[0])}
    found = set(columns.values())
    if "student_id" not in found:
        raise MapError(
            f"{path}: no student_id column (the nbgrader or kit student id); columns: " + ", ".join(rows[0])
        )
    if not found & set(IDENTIFIERS):
        raise MapError(f"{path}: none of Canvas's identifying columns (ID, SIS User ID or SIS Login ID)")
    students: dict[str, CanvasStudent] = {}
    for line, row in enumerate(rows[1:], start=2):
        values = {columns[i]: cell.strip() for i, cell in enumerate(row) if columns.get(i)}
        student = values.pop("student_id", "")
        if not student:
            continue  # Canvas's "Points Possible" row, its test student, anyone not in the class
        if student in students:
            raise MapError(f"{path}, line {line}: student_id {student!r} appears twice")
        if not any(values.get(key) for key in IDENTIFIERS):
            raise MapError(f"{path}, line {line}: {student!r} has no ID, SIS User ID or SIS Login ID")
        students[student] = CanvasStudent(**{key: values.get(key, "") for key in FIELDS})
    return students


def read_assignment_map(path: Path) -> dict[str, str]:
    """assignment id -> Canvas column header (e.g. "Loss (4711)"), from a CSV with the
    columns `assignment` and `canvas`."""
    rows = _read_csv(path)
    header = [name.strip().lower() for name in rows[0]] if rows else []
    if "assignment" not in header or "canvas" not in header:
        raise MapError(f"{path}: expected the columns assignment and canvas")
    a, c = header.index("assignment"), header.index("canvas")
    return {row[a].strip(): row[c].strip() for row in rows[1:] if len(row) > max(a, c) and row[a].strip()}


def canvas_export(
    results: ClassResults,
    students: dict[str, CanvasStudent] | None = None,
    columns: dict[str, str] | None = None,
    zero_missing: bool = False,
) -> Export:
    """The rows of the Canvas CSV. Without `students`, SIS Login ID is the kit's student id."""
    assignments = results.assignments
    columns = columns or {}
    export = Export(
        header=[*HEADER, *(columns.get(a, a) for a in assignments)],
        points=[POINTS_POSSIBLE, "", "", "", ""],
        rows=[],
    )
    for assignment in assignments:
        maxima = [s.max_score for s in results.of_assignment(assignment)]
        if len(set(maxima)) > 1:
            export.notices.append(
                f"{assignment}: results with different maximum scores "
                f"{sorted(set(maxima))}; Points Possible is the most common, "
                f"{most_common(maxima):g}"
            )
        export.points.append(number(most_common(maxima)))
    scores = {(s.student, s.assignment): s.score for s in results.submissions}
    graded = {s.student for s in results.submissions}
    roster = sorted(graded | set(students or {}))
    for student in roster:
        if students is None:
            identity = CanvasStudent(sis_login_id=student)
        elif student in students:
            identity = students[student]
        else:
            export.missing[student] = sum(v for (who, _), v in scores.items() if who == student)
            continue
        if student not in graded:
            export.without_results.append(student)
        cells = []
        for assignment in assignments:
            score = scores.get((student, assignment))
            cells.append(number(score) if score is not None else ("0" if zero_missing else ""))
        export.rows.append([*identity.cells(), *cells])
    return export


def to_csv(export: Export) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(export.header)
    writer.writerow(export.points)
    writer.writerows(export.rows)
    return buffer.getvalue()


def write_canvas_csv(
    results: ClassResults,
    out: Path,
    students_map: Path | None = None,
    assignments_map: Path | None = None,
    zero_missing: bool = False,
) -> Export:
    students = read_student_map(students_map) if students_map else None
    columns = read_assignment_map(assignments_map) if assignments_map else None
    export = canvas_export(results, students, columns, zero_missing)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(to_csv(export), encoding="utf-8")
    return export


def _read_csv(path: Path) -> list[list[str]]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:  # Excel adds a byte-order mark
            return [row for row in csv.reader(handle) if any(cell.strip() for cell in row)]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise MapError(f"{path}: cannot be read ({error})") from None
