"""Per-student feedback pages (`python -m graders feedback`): one page per result file, every
check with its points, message and hint, nothing about a hidden check beyond its
description and message, and every value escaped."""

import json
import re

import pytest
from class_results import Page, check, copy_course, records, write_result
from conftest import run_kit

from graders.instructor.results import split_message
from graders.instructor.templating import number

pytestmark = pytest.mark.slow


def _feedback(results, out):
    done = run_kit("feedback", str(results), "--out", str(out), timeout=300)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def pages(graded_class, tmp_path_factory):
    out = tmp_path_factory.mktemp("feedback")
    done = _feedback(graded_class / "kit-results", out)
    return graded_class / "kit-results", out, done


def _expected_text(c):
    """All a check's block may say: status, description, points, visibility, id, and the
    message in its parts (devices only for public checks)."""
    parts = split_message(c["message"])
    words = [
        c["status"],
        c["description"] or c["id"],
        f"{number(c['score'])} / {number(c['max_score'])}",
        f"{c['visibility']} check",
        c["id"],
    ]
    if c["status"] == "passed":
        words.append(c["message"])
    else:
        words += [parts.problem, *([f"Hint: {parts.hint}"] if parts.hint else []), parts.where]
    if c["visibility"] == "public" and c["devices"]:
        words.append("devices: " + ", ".join(f"{d} {s}" for d, s in c["devices"].items()))
    return " ".join(" ".join(w for w in words if w).split())


def test_one_page_per_result_file_and_an_index(pages):
    results, out, done = pages
    files = sorted(
        p.relative_to(results / "results").with_suffix(".html")
        for p in (results / "results").glob("*/*.json")
    )
    written = sorted(p.relative_to(out) for p in out.glob("*/*.html"))
    assert written == files
    index = (out / "index.html").read_text()
    links = re.findall(r'<a href="([^"]+)">', index)
    assert sorted(links) == sorted(str(f) for f in files)
    assert f"{len(files)} feedback page(s)" in done.stdout


def test_every_check_is_listed_with_its_points_message_and_hint_and_nothing_else(pages):
    results, out, _ = pages
    hints = 0
    for record in records(results):
        entry = record["assignment"]
        html = (out / record["student"] / f"{entry['id']}.html").read_text()
        page = Page(html)
        shown = [a["data-check"] for tag, a in page.tags if "data-check" in a]
        functions = list(dict.fromkeys(c["function"] for c in entry["checks"]))
        assert shown == [c["id"] for f in functions for c in entry["checks"] if c["function"] == f]
        for c in entry["checks"]:
            assert page.block_text(c["id"]) == _expected_text(c), (record["student"], c["id"])
            hints += '<div class="hint">' in html and split_message(c["message"]).hint is not None
        assert f"{number(entry['score'])} / {number(entry['max_score'])}" in html
        assert "<script" not in html.lower() and "http:" not in html and "https:" not in html
    assert hints >= 5  # the sample mistakes are recognised


def test_hidden_checks_show_no_devices_and_public_ones_do(pages):
    results, out, _ = pages
    html = (out / "ben" / "05_loss.html").read_text()
    page = Page(html)
    record = next(r for r in records(results) if r["student"] == "ben" and r["assignment"]["id"] == "05_loss")
    for c in record["assignment"]["checks"]:
        assert ("devices:" in page.block_text(c["id"])) == (c["visibility"] == "public")
    assert "Hint: your result is" in page.block_text("mean_squared_error.values")
    assert "loss.ipynb" in html and "submitted/" not in html  # the file's name, not the grader's path


def test_html_in_every_field_is_escaped_and_ids_cannot_escape_the_folder(tmp_path):
    out = tmp_path / "batch"
    attack = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    write_result(
        out,
        attack,
        "05_loss",
        [
            check(
                "predict.values",
                "failed",
                message=f"predict raised ValueError: {attack}. Hint: {attack}",
                description=attack,
            ),
            check("predict.public", "failed", visibility="public", message=attack),
        ],
        folder="eve",
        notes=[attack],
        error=attack,
    )
    write_result(out, "../../outside", "../05_loss", [check("predict.values")], folder="amy", file="05_loss")
    pages = tmp_path / "pages"
    _feedback(out, pages)
    written = sorted(p for p in tmp_path.rglob("*.html"))
    assert all(pages in p.parents for p in written)
    assert len(written) == 3  # two pages and the index
    for path in written:
        html = path.read_text()
        assert "<script" not in html and "<img" not in html
    eve = next(p for p in written if "script" in p.parent.name)
    html = eve.read_text()
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 6  # title, id, error, note, message...


def test_a_course_without_kit_results_has_no_pages_and_says_so(graded_class, tmp_path):
    course = copy_course(graded_class, tmp_path / "course", kit_results=False)
    done = _feedback(course, tmp_path / "pages")
    assert "0 feedback page(s)" in done.stdout
    assert "no page for ada 05_loss: no kit result" in done.stderr
    assert "ada" in (tmp_path / "pages" / "index.html").read_text()


def test_unreadable_result_files_are_listed_in_the_index(tmp_path):
    out = tmp_path / "batch"
    write_result(out, "amy", "05_loss", [check("predict.values")])
    (out / "results" / "bob").mkdir()
    (out / "results" / "bob" / "05_loss.json").write_text(json.dumps({"student": "bob", "assignment": 3}))
    done = _feedback(out, tmp_path / "pages")
    index = (tmp_path / "pages" / "index.html").read_text()
    assert "results/bob/05_loss.json" in index and "no `assignment` object" in index
    assert (tmp_path / "pages" / "amy" / "05_loss.html").exists()
    assert "1 result file(s) could not be read" in done.stderr
