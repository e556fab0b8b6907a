"""Results for the tests of the class report, the feedback pages and the Canvas export.

The real thing is the main job's course (the `graded_class` fixture): the sample class
autograded by nbgrader into gradebook.db and graded by `python -m graders batch` into
kit-results/. The helpers here copy it or write small hand-made result files for the edge
cases.
"""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path


def records(results: Path) -> list[dict]:
    """Every result file of a batch folder, as JSON."""
    return [json.loads(p.read_text()) for p in sorted((results / "results").glob("*/*.json"))]


def check(
    check_id: str,
    status: str = "passed",
    score: float | None = None,
    max_score: float = 1.0,
    visibility: str = "hidden",
    message: str | None = None,
    **extra,
) -> dict:
    """One check of a hand-written result."""
    passed = status == "passed"
    if message is None:
        message = (
            "2 case(s) passed on CPU:0" if passed else "the result: wrong (on CPU:0; 1 of 1 runs failed)"
        )
    return {
        "id": check_id,
        "function": check_id.split(".")[0],
        "visibility": visibility,
        "description": f"what {check_id} checks",
        "max_score": max_score,
        "score": (max_score if passed else 0.0) if score is None else score,
        "status": status,
        "message": message,
        "devices": {"CPU:0": status},
        **extra,
    }


def write_result(
    out: Path,
    student: str,
    assignment: str,
    checks: list[dict],
    folder: str | None = None,
    file: str | None = None,
    **fields,
) -> Path:
    """out/results/<student>/<assignment>.json as `batch` writes it (extra fields in the
    assignment object)."""
    entry = {
        "id": assignment,
        "source": f"submitted/{student}/{assignment}/x.ipynb",
        "score": sum(c["score"] for c in checks if isinstance(c["score"], (int, float))),
        "max_score": sum(c["max_score"] for c in checks),
        "error": None,
        "notes": [],
        "checks": checks,
        **fields,
    }
    record = {
        "student": student,
        "environment": {
            "tensorflow": "2.21.0",
            "devices": ["CPU:0"],
            "skipped_devices": {},
            "sandbox": "test",
        },
        "assignment": entry,
    }
    path = out / "results" / (folder or student) / f"{file or assignment}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record))
    return path


def copy_class(results: Path, out: Path, students: int) -> list[str]:
    """A class of `students` made of the real results, each new student taking one real
    student's files in turn."""
    real = sorted(p for p in (results / "results").iterdir() if p.is_dir())
    names = [f"s{i:03d}" for i in range(students)]
    for i, name in enumerate(names):
        for path in real[i % len(real)].glob("*.json"):
            record = json.loads(path.read_text())
            record["student"] = name
            target = out / "results" / name / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(record))
    return names


def copy_course(course: Path, target: Path, kit_results: bool = True) -> Path:
    left_out = ("submitted", "release", "source", *(() if kit_results else ("kit-results",)))
    ignore = shutil.ignore_patterns(*left_out)
    shutil.copytree(course, target, ignore=ignore)
    return target


class Page(HTMLParser):
    """What the tests look at in a page: elements by id and attributes, text by block."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: dict[str, list[str]] = {}  # data-check / data-student -> text inside
        self.rows: list[str] = []  # data-student of the heat map's rows
        self.cells: dict[str, list[str]] = {}  # student -> classes of the heat map's cells
        self._open: list[tuple[str, str | None]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        key = attributes.get("data-check") or attributes.get("data-student")
        if "data-student" in attributes:
            self.rows.append(attributes["data-student"])
            self.cells[attributes["data-student"]] = []
        if tag == "td" and "cell" in (attributes.get("class") or "").split() and self.rows:
            self.cells[self.rows[-1]].append(attributes["class"].split()[1])
        if tag not in ("br", "img", "meta", "link", "input"):
            self._open.append((tag, key))
            if key:
                self.text.setdefault(key, [])

    def handle_endtag(self, tag):
        while self._open:
            name, _ = self._open.pop()
            if name == tag:
                break

    def handle_data(self, data):
        for _, key in self._open:
            if key:
                self.text[key].append(data)

    def block_text(self, key: str) -> str:
        return " ".join(" ".join(self.text[key]).split())
