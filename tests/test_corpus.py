"""Graders that are strict and fair: every mutant (a realistic wrong answer) loses points on
the checks of its function, and only there; every alternate (a right answer written
differently) gets full marks; a mutant that names the checks that must catch it loses points
on each of them; and grading the corpus raises nothing in the grader.
`./kit python tests/corpus/report.py -v` prints the rates."""

import pytest
from corpus.grading import corpus, grade_corpus, rates

from graders.checks import checks_for

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def outcomes():
    return grade_corpus()


def test_corpus_is_large_enough():
    kinds = [kind for kind, *_ in corpus()]
    named = [variant for kind, _, variant, _ in corpus() if kind == "mutant" and variant.caught_by]
    assert kinds.count("mutant") >= 171 and kinds.count("alternate") >= 50
    assert len(named) >= 51


def test_named_checks_exist():
    """A `caught_by` names checks of the variant's own assignment (a typo would never lose points)."""
    unknown = []
    for kind, assignment, variant, allowed in corpus():
        ids = {check.id: check.function for check in checks_for(assignment)}
        unknown += [
            f"{assignment} {variant.name}: {name}"
            for name in variant.caught_by
            if ids.get(name) not in allowed or kind != "mutant"
        ]
    assert not unknown, "\n".join(unknown)


def test_every_mutant_is_caught_where_it_should_be(outcomes):
    bad = [o.describe() for o in outcomes if o.kind == "mutant" and not o.ok]
    assert not bad, "\n".join(bad)


def test_every_named_check_loses_points(outcomes):
    bad = [o.describe() for o in outcomes if o.missed]
    assert not bad, "\n".join(bad)


def test_grading_raises_nothing(outcomes):
    """No result carries an error or a note of the grader's own failure (the grader turns its
    exceptions into such notes instead of stopping)."""
    bad = ["\n".join([o.describe(), *o.faults]) for o in outcomes if o.error or o.faults]
    assert not bad, "\n".join(bad)


def test_no_alternate_is_penalised(outcomes):
    bad = [o.describe() for o in outcomes if o.kind == "alternate" and not o.ok]
    assert not bad, "\n".join(bad)


def test_every_graded_assignment_has_a_corpus(outcomes):
    assert len(rates(outcomes)) == 7
