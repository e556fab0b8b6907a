"""Graders that are strict and fair: every mutant (a realistic wrong answer) loses points on
the checks of its function, and only there; every alternate (a right answer written
differently) gets full marks. `./kit python tests/corpus/report.py -v` prints the rates."""

import pytest

from corpus.grading import corpus, grade_corpus, rates


@pytest.fixture(scope="module")
def outcomes():
    return grade_corpus()


def test_corpus_is_large_enough():
    kinds = [kind for kind, *_ in corpus()]
    assert kinds.count("mutant") >= 120 and kinds.count("alternate") >= 50


def test_every_mutant_is_caught_where_it_should_be(outcomes):
    bad = [o.describe() for o in outcomes if o.kind == "mutant" and not o.ok]
    assert not bad, "\n".join(bad)


def test_no_alternate_is_penalised(outcomes):
    bad = [o.describe() for o in outcomes if o.kind == "alternate" and not o.ok]
    assert not bad, "\n".join(bad)


def test_every_graded_assignment_has_a_corpus(outcomes):
    assert len(rates(outcomes)) == 7
