"""Write the kit's batch results into nbgrader's gradebook.

After `python -m graders batch submitted --out DIR`, `python -m graders gradebook DIR` sets
the score of every test cell of every graded notebook in nbgrader's SQLite gradebook from
the kit's results: `<function>_public` gets the points of that function's public checks,
`<function>_hidden` those of its hidden checks. `nbgrader export`, formgrader and
`nbgrader generate_feedback` then show the scores of the contained grader, whatever a
submission did inside its own kernel during `nbgrader autograde`.
"""

from __future__ import annotations

import json
from pathlib import Path

from selfcheck.assignments import assignment


def import_results(
    results: Path, db_url: str = "sqlite:///gradebook.db", course_id: str = "hello-tensorflow"
) -> int:
    """Copy every result under `results` (a batch --out folder) into the gradebook; return
    how many submissions were written."""
    from nbgrader.api import Gradebook, MissingEntry

    written = 0
    with Gradebook(db_url, course_id) as gradebook:
        for path in sorted(Path(results).glob("results/*/*.json")):
            record = json.loads(path.read_text())
            student, entry = record["student"], record["assignment"]
            notebook = assignment(entry["id"]).module
            try:
                gradebook.find_assignment(entry["id"])
            except MissingEntry:
                raise SystemExit(
                    f"the gradebook has no assignment {entry['id']}: run nbgrader generate_assignment first"
                ) from None
            gradebook.update_or_create_student(student)
            try:
                gradebook.find_submission(entry["id"], student)
            except MissingEntry:
                gradebook.add_submission(entry["id"], student)
            scores: dict[str, float] = {}
            for check in entry["checks"]:
                cell = f"{check['function']}_{check['visibility']}"
                scores[cell] = scores.get(cell, 0.0) + check["score"]
            for cell, score in scores.items():
                grade = gradebook.find_grade(cell, notebook, entry["id"], student)
                grade.auto_score = score
                grade.manual_score = None
            gradebook.db.commit()
            written += 1
    return written
