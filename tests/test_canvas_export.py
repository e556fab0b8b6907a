"""The Canvas export (`python -m graders export RESULTS --canvas FILE.csv`), against the layout
Canvas documents for its gradebook import (and writes in its own gradebook export): the
columns Student, ID, SIS User ID, SIS Login ID, Section, then one column per assignment,
and a second row "Points Possible" holding each assignment's points."""

import csv

import pytest
from class_results import check, copy_course, write_result
from conftest import run_kit

pytestmark = pytest.mark.slow

CANVAS_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]

# Canvas's own gradebook export, with the student_id column an instructor adds to use it as
# the map: its "Points Possible" row and its test student have no student_id.
CANVAS_EXPORT = """\ufeffStudent,ID,SIS User ID,SIS Login ID,Section,student_id,Quiz 1 (23)
    Points Possible,,,,,,10.00
"Lovelace, Ada",1001,S-1,alovelace,Tensors 101 - A,ada,8.00
"Bit, Ben",1002,S-2,bbit,Tensors 101 - A,ben,
"O'Neil, Cleo",1003,S-3,coneil,Tensors 101 - B,cleo,
"Dev, Dana",1004,,ddev,Tensors 101 - B,dev,
"Ito, Eli",1008,S-8,eito,Tensors 101 - A,eli,
"Student, Test",1099,,test_student,Tensors 101 - A,,
"Lee, Fay",1005,S-5,flee,Tensors 101 - B,fay,
"Ref, Erence",1006,S-6,reference,Tensors 101 - A,ref,
"Nobody, Hand-in",1007,S-7,nhandin,Tensors 101 - B,nina,
"Gus, Gus",1009,S-9,ggus,Tensors 101 - B,gus,
"""


def _export(results, tmp_path, *args):
    out = tmp_path / "canvas.csv"
    done = run_kit("export", str(results), "--canvas", str(out), *args)
    if not out.exists():
        return done, []
    with open(out, newline="", encoding="utf-8") as handle:
        return done, list(csv.reader(handle))


def _grades(results):
    with open(results / "grades.csv", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["assignment"]]


def _check_layout(rows, assignments, maxima):
    header, points = rows[0], rows[1]
    assert header[:5] == CANVAS_HEADER
    assert header[5:] == assignments
    assert points[0].strip() == "Points Possible" and points[1:5] == ["", "", "", ""]
    assert [float(p) for p in points[5:]] == maxima
    assert all(len(row) == len(header) for row in rows)


def test_documented_layout_and_the_class_scores_without_a_map(graded_class, tmp_path):
    results = graded_class / "kit-results"
    grades = _grades(results)
    assignments = sorted({g["assignment"] for g in grades})
    maxima = [float(next(g["max_score"] for g in grades if g["assignment"] == a)) for a in assignments]
    done, rows = _export(results, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "SIS Login ID = the student id" in done.stderr
    _check_layout(rows, assignments, maxima)
    body = {row[3]: row for row in rows[2:]}
    assert sorted(body) == sorted({g["student"] for g in grades})
    for g in grades:
        assert float(body[g["student"]][5 + assignments.index(g["assignment"])]) == float(g["score"])
    for student, row in body.items():
        handed_in = {g["assignment"] for g in grades if g["student"] == student}
        empty = [a for a, cell in zip(assignments, row[5:]) if cell == ""]
        assert empty == [a for a in assignments if a not in handed_in]


def test_a_canvas_export_serves_as_the_map_and_missing_students_are_reported(graded_class, tmp_path):
    results = graded_class / "kit-results"
    students = tmp_path / "students.csv"
    students.write_text(
        CANVAS_EXPORT.replace('"Lee, Fay",1005,S-5,flee,Tensors 101 - B,fay,\n', ""), encoding="utf-8"
    )
    done, rows = _export(results, tmp_path, "--students", str(students))
    assert done.returncode == 1
    assert "1 student(s) with results are not in" in done.stderr and "so not in the CSV: fay" in done.stderr
    assert "nina is in the map but has no graded submission" in done.stderr
    body = {row[0]: row for row in rows[2:]}
    assert sorted(body) == sorted(
        [
            "Lovelace, Ada",
            "Bit, Ben",
            "O'Neil, Cleo",
            "Dev, Dana",
            "Ito, Eli",
            "Ref, Erence",
            "Nobody, Hand-in",
            "Gus, Gus",
        ]
    )  # not fay (reported) nor the test one
    assert body["Lovelace, Ada"][:5] == ["Lovelace, Ada", "1001", "S-1", "alovelace", "Tensors 101 - A"]
    assert body["Dev, Dana"][:5] == ["Dev, Dana", "1004", "", "ddev", "Tensors 101 - B"]
    assert body["Nobody, Hand-in"][5:] == [""] * (len(rows[0]) - 5)
    grades = {(g["student"], g["assignment"]): float(g["score"]) for g in _grades(results)}
    loss = rows[0].index("05_loss")
    assert float(body["Bit, Ben"][loss]) == grades[("ben", "05_loss")]


def test_assignment_columns_zero_for_missing_and_the_nbgrader_course(graded_class, tmp_path):
    results = graded_class / "kit-results"
    assignments = tmp_path / "assignments.csv"
    assignments.write_text("assignment,canvas\n05_loss,Loss (4711)\n06_gradient_tape,GradientTape (4712)\n")
    done, rows = _export(results, tmp_path, "--assignments", str(assignments), "--zero-missing")
    assert done.returncode == 0, done.stderr
    assert "Loss (4711)" in rows[0] and "GradientTape (4712)" in rows[0] and "05_loss" not in rows[0]
    assert "" not in [cell for row in rows[2:] for cell in row[5:]]

    course = copy_course(graded_class, tmp_path / "course", kit_results=False)
    (tmp_path / "from-course").mkdir()
    done, from_course = _export(course, tmp_path / "from-course")
    assert done.returncode == 0, done.stderr
    done, from_batch = _export(results, tmp_path)
    assert from_course == from_batch  # the gradebook holds what the batch wrote into it


@pytest.mark.parametrize(
    "map_text, error",
    [
        ("Student,ID\nAda,1\n", "no student_id column"),
        ("student_id,Student,Section\nada,Ada,A\n", "none of Canvas's identifying columns"),
        ("student_id,ID\nada,1\nada,2\n", "'ada' appears twice"),
        ("student_id,ID,SIS Login ID\nada,,\n", "line 2: 'ada' has no ID, SIS User ID or SIS Login ID"),
        ("", "empty"),
    ],
)
def test_a_map_that_cannot_be_used_is_a_clear_error(tmp_path, map_text, error):
    out = tmp_path / "batch"
    write_result(out, "ada", "05_loss", [check("predict.values")])
    students = tmp_path / "students.csv"
    students.write_text(map_text)
    done, _ = _export(out, tmp_path, "--students", str(students))
    assert done.returncode == 2 and error in done.stderr, done.stderr


def test_names_with_commas_and_quotes_and_fractional_scores_round_trip(tmp_path):
    out = tmp_path / "batch"
    write_result(out, "ada", "05_loss", [check("predict.values", "failed", score=0.5, max_score=1.5)])
    students = tmp_path / "students.csv"
    students.write_text('student_id,name,canvas_id,section\nada,"Lovelace, ""Ada""",7,"Sec, 1"\n')
    done, rows = _export(out, tmp_path, "--students", str(students))
    assert done.returncode == 0, done.stderr
    assert rows[1][5] == "1.5" and rows[2] == ['Lovelace, "Ada"', "7", "", "", "Sec, 1", "0.5"]
    raw = (tmp_path / "canvas.csv").read_bytes()
    assert raw.startswith(b"Student,ID,SIS User ID,SIS Login ID,Section,05_loss\r\n")
