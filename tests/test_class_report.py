"""The class report (`python -m graders report`): from the sample class graded by a real batch
run and from the nbgrader course it was imported into, and from hand-made result files for
what a real class rarely shows (unreadable files, missing fields, 200 students, HTML in
messages, a check nobody passed, timings)."""

import base64
import csv
import hashlib
import json
import re
import statistics

import pytest
from class_results import Page, check, copy_class, copy_course, records, write_result
from conftest import run_kit

from graders.instructor.results import split_message

pytestmark = pytest.mark.slow


def _report(results, tmp_path, name="report.html"):
    out = tmp_path / name
    done = run_kit("report", str(results), "--out", str(out), timeout=300)
    assert done.returncode == 0, done.stderr
    return out.read_text(encoding="utf-8"), done


def _grades(results):
    with open(results / "grades.csv", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["assignment"]]


def _section(html, section_id):
    start = html.index(f'id="{section_id}"')
    return html[start : html.index("</section>", start)]


def _table_numbers(html, assignment):
    """The score table's row of one assignment: submissions, mean, median, min, max, of, not loaded."""
    row = re.search(rf"<tr><td>{assignment}</td>(.*?)</tr>", _section(html, "scores"), re.DOTALL).group(1)
    return [float(x) for x in re.findall(r'<td class="n">([^<]*)</td>', row)]


def _self_contained(html):
    elsewhere = re.search(r"""(src|href)\s*=\s*["']?(https?:|//|file:)""", html, re.IGNORECASE)
    assert not elsewhere, "the page loads something from elsewhere"
    assert "<script" not in html.lower()
    assert "@import" not in html and "url(" not in html
    images = re.findall(r'<img src="([^"]*)"', html)
    for uri in images:
        assert uri.startswith("data:image/png;base64,")
        assert base64.b64decode(uri.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    return images


@pytest.fixture(scope="module")
def sample_report(graded_class, tmp_path_factory):
    results = graded_class / "kit-results"
    html, done = _report(results, tmp_path_factory.mktemp("report"))
    return results, html, Page(html), done


def test_sample_class_page_is_self_contained_with_one_distribution_per_assignment(sample_report):
    results, html, _, done = sample_report
    assignments = sorted({row["assignment"] for row in _grades(results)})
    images = _self_contained(html)
    timed = any("seconds" in r["assignment"] or "timings" in r["assignment"] for r in records(results))
    assert len(images) == len(assignments) + (1 if timed else 0)
    for assignment in assignments:
        assert f'alt="distribution of the scores of {assignment}"' in html
    students = {row["student"] for row in _grades(results)}
    assert "class report: " in done.stdout and f"{len(students)} students" in done.stdout


def test_score_table_matches_the_batch_class_table(sample_report):
    results, html, _, _ = sample_report
    rows = _grades(results)
    for assignment in sorted({r["assignment"] for r in rows}):
        scores = [float(r["score"]) for r in rows if r["assignment"] == assignment]
        maximum = float(next(r["max_score"] for r in rows if r["assignment"] == assignment))
        expected = [
            len(scores),
            statistics.fmean(scores),
            statistics.median(scores),
            min(scores),
            max(scores),
            maximum,
        ]
        assert _table_numbers(html, assignment)[:6] == pytest.approx(expected, abs=0.006), assignment


def test_heat_map_has_one_row_per_student_and_the_right_states(sample_report):
    results, _, page, _ = sample_report
    students = sorted({r["student"] for r in _grades(results)})
    assert page.rows == students
    by_key = {(r["student"], r["assignment"]["id"]): r["assignment"] for r in records(results)}
    columns = [
        (a, c["function"])
        for a in sorted({k[1] for k in by_key})
        for c in next(v for k, v in by_key.items() if k[1] == a)["checks"]
    ]
    columns = list(dict.fromkeys(columns))
    for student in students:
        assert len(page.cells[student]) == len(columns)
        for (assignment, function), state in zip(columns, page.cells[student]):
            entry = by_key.get((student, assignment))
            if entry is None:
                assert state == "missing"
                continue
            checks = [c for c in entry["checks"] if c["function"] == function]
            earned = sum(c["score"] for c in checks)
            if all(c["status"] == "passed" for c in checks):
                assert state == "pass"
            elif earned:
                assert state == "partial"
            elif entry["error"] or any(c["status"] in ("error", "timeout") for c in checks):
                assert state == "error"
            else:
                assert state == "fail"
    assert set(page.cells["ref"]) == set(page.cells["ada"]) == {"pass"}  # the reference, all correct
    assert set(page.cells["dev"]) == {"error"}  # untouched stubs raise
    assert page.cells["ben"].count("partial") >= 1  # summed loss: some checks hold


def test_misconceptions_name_the_sample_mistakes_and_the_functions_they_hit(sample_report):
    results, html, _, _ = sample_report
    section = _section(html, "misconceptions")
    hints = {}
    for record in records(results):
        for c in record["assignment"]["checks"]:
            hint = split_message(c["message"]).hint if c["status"] != "passed" else None
            if hint:
                function = f"{record['assignment']['id']}/{c['function']}"
                hints.setdefault(re.sub(r"\d+", "#", hint), set()).add(function)
    assert len(hints) >= 4
    assert section.count("<tr>") == len(hints) + 1  # one row per distinct hint, plus the header
    for functions in hints.values():
        for function in functions:
            assert f"<code>{function}</code>" in section
    assert "a sum where the mean" in section and "05_loss/mean_squared_error" in section  # ben
    assert "opposite sign" in section and "05_loss/mse_gradients" in section  # cleo
    assert "sample standard deviation" in section and "04_data/standardize" in section  # eli


def test_pass_rates_and_environment(sample_report):
    results, html, _, _ = sample_report
    rates = _section(html, "pass-rates")
    all_records = records(results)
    for record in all_records:
        for c in record["assignment"]["checks"]:
            assert f"<code>{c['id']}</code>" in rates
    loss = [r["assignment"] for r in all_records if r["assignment"]["id"] == "05_loss"]
    passed = sum(
        1
        for a in loss
        for c in a["checks"]
        if c["id"] == "mean_squared_error.values" and c["status"] == "passed"
    )
    row = re.search(
        r'<code>mean_squared_error.values</code>.*?<em>(\d+)</em>.*?<td class="n">(\d+)</td>',
        rates,
        re.DOTALL,
    )
    assert (int(row.group(1)), int(row.group(2))) == (passed, len(loss))
    assert "Every check was passed by at least one submission" in _section(html, "never-passed")
    environment = _section(html, "environment")
    env = all_records[0]["environment"]
    assert env["tensorflow"] in environment and ", ".join(env["devices"]) in environment
    assert env["sandbox"].split(",")[0] in environment


def test_report_of_the_nbgrader_course_uses_the_gradebook_and_the_kit_results(graded_class, tmp_path):
    results = graded_class / "kit-results"
    before = hashlib.sha256((graded_class / "gradebook.db").read_bytes()).hexdigest()
    html, _ = _report(graded_class, tmp_path)
    assert hashlib.sha256((graded_class / "gradebook.db").read_bytes()).hexdigest() == before  # only read
    page = Page(html)
    assert page.rows == sorted({r["student"] for r in _grades(results)})
    assert "nbgrader course" in html
    assert "05_loss/mean_squared_error" in _section(html, "misconceptions")  # messages from the kit's JSON


def test_report_from_the_gradebook_alone_has_its_scores_and_says_where_they_disagree(graded_class, tmp_path):
    from nbgrader.api import Gradebook

    course = copy_course(graded_class, tmp_path / "course", kit_results=False)
    html, _ = _report(course, tmp_path)
    rows = _grades(graded_class / "kit-results")
    for assignment in sorted({r["assignment"] for r in rows}):
        scores = [float(r["score"]) for r in rows if r["assignment"] == assignment]
        expected = [len(scores), statistics.fmean(scores)]
        assert _table_numbers(html, assignment)[:2] == pytest.approx(expected, abs=0.006)
    page = Page(html)
    assert set(page.cells["ada"]) == {"pass"} and "partial" in page.cells["ben"]
    assert "No failed check carried a hint" in html  # the gradebook keeps scores, not messages

    # a grader's manual change in the gradebook: the report shows it and says the two differ
    changed = copy_course(graded_class, tmp_path / "course2")
    with Gradebook(f"sqlite:///{changed / 'gradebook.db'}", "hello-tensorflow") as gradebook:
        grade = gradebook.find_grade("predict_hidden", "loss", "05_loss", "ada")
        grade.manual_score = 0.0
        gradebook.db.commit()
    html, _ = _report(changed, tmp_path, "changed.html")
    assert "ada 05_loss: the gradebook says 18, the kit&#39;s result 21" in _section(html, "notices")
    loss = [float(r["score"]) for r in rows if r["assignment"] == "05_loss"]
    assert _table_numbers(html, "05_loss")[1] == pytest.approx((sum(loss) - 3) / len(loss), abs=0.006)


# hand-made results -----------------------------------------------------------------------


def test_unreadable_files_and_missing_fields_are_reported_and_the_rest_shown(tmp_path):
    out = tmp_path / "batch"
    write_result(
        out, "amy", "05_loss", [check("predict.public", visibility="public"), check("predict.values")]
    )
    (out / "results" / "bad").mkdir()
    (out / "results" / "bad" / "05_loss.json").write_text("{not json")
    (out / "results" / "list").mkdir()
    (out / "results" / "list" / "05_loss.json").write_text("[1, 2]")
    write_result(out, "odd", "05_loss", [check("predict.values", score="lots")])
    # a file from another version: no student, no environment, no score, checks without most fields
    bare = out / "results" / "bob" / "05_loss.json"
    bare.parent.mkdir(parents=True)
    bare.write_text(
        json.dumps(
            {
                "assignment": {
                    "id": "05_loss",
                    "checks": [
                        {"id": "predict.values", "score": 2, "max_score": 2},
                        {
                            "id": "predict.public",
                            "score": 0,
                            "max_score": 1,
                            "message": "wrong. Hint: a flipped sign",
                        },
                    ],
                }
            }
        )
    )
    html, done = _report(out, tmp_path)
    page = Page(html)
    assert page.rows == ["amy", "bob"]
    unreadable = _section(html, "unreadable")
    assert "3 result file(s) could not be read" in unreadable
    assert "results/bad/05_loss.json" in unreadable and "not valid JSON" in unreadable
    assert "results/list/05_loss.json" in unreadable and "not a JSON object" in unreadable
    assert "results/odd/05_loss.json" in unreadable and "is not a number" in unreadable
    assert "could not be read" in done.stderr
    assert page.cells["bob"] == ["partial"]
    assert "a flipped sign" in _section(html, "misconceptions")
    assert _table_numbers(html, "05_loss")[:2] == [2, 2.0]


def test_html_in_messages_ids_and_descriptions_is_shown_as_text(tmp_path):
    out = tmp_path / "batch"
    attack = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    write_result(
        out,
        "<b>eve</b>",
        "05_loss",
        [
            check(
                "predict.values",
                "failed",
                description=attack,
                message=f"predict raised ValueError: {attack}. Hint: {attack}",
            )
        ],
        folder="eve",
        notes=[attack],
    )
    write_result(out, "amy", "05_loss", [check("predict.values")])
    html, _ = _report(out, tmp_path)
    assert "<script" not in html and "<img src=x" not in html and "<b>eve</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert Page(html).rows == ["<b>eve</b>", "amy"]


def test_a_check_nobody_passed_is_listed_with_its_usual_problem(tmp_path):
    out = tmp_path / "batch"
    for i, student in enumerate(["amy", "bob", "cy"]):
        write_result(
            out,
            student,
            "05_loss",
            [
                check("predict.values"),
                check(
                    "predict.broken",
                    "failed",
                    message=f"the result: shape ({i + 2},) expected (3, 1) "
                    f"(case float32, on CPU:0; {i + 1} of 4 runs failed)",
                ),
            ],
        )
    html, _ = _report(out, tmp_path)
    section = _section(html, "never-passed")
    assert "<code>predict.broken</code>" in section and "predict.values" not in section
    assert "the result: shape (#,) expected (#, #)" in section
    assert "failed 3" in section


def test_timings_in_either_form_give_the_time_figure(tmp_path):
    out = tmp_path / "batch"
    seconds = {"amy": 2.0, "bob": 4.0, "cy": 9.0}
    write_result(out, "amy", "05_loss", [check("predict.values")], seconds=2.0)
    write_result(out, "bob", "05_loss", [check("predict.values")], timings={"load": 1.0, "checks": 3.0})
    write_result(out, "cy", "05_loss", [check("predict.values")], timings={"total": 9.0, "load": 1.0})
    write_result(out, "dan", "05_loss", [check("predict.values")])  # an older file: no time
    html, _ = _report(out, tmp_path)
    section = _section(html, "timing")
    assert len(_self_contained(html)) == 2  # the distribution and the times
    assert f"3 submissions: median {statistics.median(seconds.values()):g} s, slowest 9 s" in section
    assert section.index("<td>cy</td>") < section.index("<td>bob</td>") < section.index("<td>amy</td>")


def test_a_class_of_200_students(graded_class, tmp_path):
    out = tmp_path / "big"
    names = copy_class(graded_class / "kit-results", out, 200)
    html, done = _report(out, tmp_path)
    page = Page(html)
    assert page.rows == names
    assert len({len(cells) for cells in page.cells.values()}) == 1
    assert len(html.encode()) < 3_000_000
    assert "200 students" in done.stdout


def test_nothing_to_report_is_a_clear_error(tmp_path):
    done = run_kit("report", str(tmp_path), "--out", str(tmp_path / "r.html"))
    assert done.returncode == 2 and "holds no result files" in done.stderr
    (tmp_path / "results" / "amy").mkdir(parents=True)
    (tmp_path / "results" / "amy" / "05_loss.json").write_text("")
    done = run_kit("report", str(tmp_path), "--out", str(tmp_path / "r.html"))
    assert done.returncode == 2 and "none of its 1 result file(s) can be read" in done.stderr
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize(
    "message, problem, hint, where",
    [
        (
            "the result: the value is outside the tolerance. Hint: your result is 4 times the expected one: a sum "
            + "where the mean belongs (case float32, y (4,), on CPU:0; 8 of 8 runs failed)",
            "the result: the value is outside the tolerance",
            "your result is 4 times the expected one: a sum where the mean belongs",
            "case float32, y (4,), on CPU:0; 8 of 8 runs failed",
        ),
        (
            "the result: wrong. Hint: equals an input (`w = w - lr * dw` only rebinds a name) (case float32, "
            + "x (4, 1), 3 steps, on CPU:0; 2 of 2 runs failed)",
            "the result: wrong",
            "equals an input (`w = w - lr * dw` only rebinds a name)",
            "case float32, x (4, 1), 3 steps, on CPU:0; 2 of 2 runs failed",
        ),
        (
            "loss.ipynb defines no function named predict (on CPU:0; 2 of 2 runs failed)",
            "loss.ipynb defines no function named predict",
            None,
            "on CPU:0; 2 of 2 runs failed",
        ),
        ("the source keeps to the rule", "the source keeps to the rule", None, ""),
    ],
)
def test_messages_split_into_problem_hint_and_where(message, problem, hint, where):
    parts = split_message(message)
    assert (parts.problem, parts.hint, parts.where) == (problem, hint, where)
