"""The same submission gets the same grade, word for word, on every run, with the reference
run again or read back from the reference cache."""

import os

import pytest
from conftest import ROOT, grade_json
from corpus.loss import MUTANTS

pytestmark = pytest.mark.slow


def test_two_runs_give_identical_json(tmp_path):
    folder = tmp_path / "submission"
    folder.mkdir()
    text = (ROOT / "solutions" / "loss.py").read_text()
    for mutant in MUTANTS[:: max(1, len(MUTANTS) // 6)]:  # several functions wrong at once
        try:
            text = mutant.apply(text)
        except Exception:
            continue
    (folder / "loss.py").write_text(text)
    runs = []
    # the first without the reference cache (the reference runs), the second with the test
    # run's (whatever it holds by then; tests/test_reference_cache.py fills one and reads it)
    for number, cache in enumerate(("off", os.environ["GRADERS_REFERENCE_CACHE"])):
        (tmp_path / f"run{number}").mkdir()
        result = grade_json(folder, tmp_path / f"run{number}", env={"GRADERS_REFERENCE_CACHE": cache})
        result.pop("execution_time")
        runs.append(result)
    assert 0 < runs[0]["score"] < runs[0]["max_score"]
    assert runs[0] == runs[1]
