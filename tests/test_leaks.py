"""No message of a hidden check gives away a hidden input or an expected value.

Every hidden input drawn from `normal` gets a planted, recognisable value; the mutants of
05_loss and 06_gradient_tape (and one that puts its inputs into its exception message) are
graded; no message may contain the planted digits, nor any number printed with more
significant digits than the grader's own summaries use."""

import re
import sys

import pytest
from conftest import ROOT
from corpus import gradient_tape as tape_corpus
from corpus import loss as loss_corpus
from corpus.grading import affected
from corpus.variant import Variant

from graders.engine import Grader, Source
from selfcheck.assignments import assignment

pytestmark = pytest.mark.slow

PLANTED = 31337.125
LEAKY = Variant(
    "predict",
    "puts its inputs into the exception message",
    source="def predict(x, w, b):\n    raise ValueError(f'bad inputs {x} {w} {b} {float(tf.reduce_sum(x))}')\n",
)


@pytest.fixture()
def planted(monkeypatch):
    import graders.checks.draw as draw

    original = draw.normal

    def normal(rng, shape, dtype, scale=1.0):
        values = original(rng, shape, dtype, scale)
        if values.size:
            values.flat[0] = PLANTED
        return values

    for name, module in list(sys.modules.items()):
        if name.startswith("graders.checks") and getattr(module, "normal", None) is original:
            monkeypatch.setattr(module, "normal", normal)


def test_hidden_messages_never_show_inputs_or_expected_values(planted, tmp_path):
    submissions = []
    for assignment_id, _corpus, variants in (
        ("05_loss", loss_corpus, (LEAKY, *loss_corpus.MUTANTS)),
        ("06_gradient_tape", tape_corpus, tape_corpus.MUTANTS),
    ):
        a = assignment(assignment_id)
        reference = (ROOT / "solutions" / a.script).read_text()
        # the reference itself on every check: what the functions a variant leaves alone print
        (tmp_path / assignment_id).mkdir()
        (tmp_path / assignment_id / a.script).write_text(reference)
        submissions.append((Source(a, tmp_path / assignment_id / a.script), None))
        for number, variant in enumerate(variants):
            path = tmp_path / f"{assignment_id}-{number}" / a.script
            path.parent.mkdir()
            path.write_text(variant.apply(reference))
            # the other functions are the reference's own code: graded once, above
            submissions.append((Source(a, path), affected(reference, variant.function)))
    messages = []
    with Grader(workers=2, cache=None) as grader:  # the planted inputs, never stored ones
        started = [grader.start([source], functions=functions) for source, functions in submissions]
        for pending in started:
            results = grader.finish(pending)
            messages += [c.message for r in results for c in r.checks if c.visibility == "hidden"]
    assert len(messages) > 100, len(messages)
    for message in messages:
        assert "31337" not in message and "1337" not in message, message
        assert not [n for n in NUMBER.findall(message) if _too_precise(n)], message


NUMBER = re.compile(r"\d*\.?\d+(?:[eE][-+]?\d+)?")


def _too_precise(token: str) -> bool:
    """More digits than the grader's summaries print (3 significant, or a 4-digit count)."""
    mantissa = re.split(r"[eE]", token)[0]
    if "." not in mantissa and "e" not in token.lower():
        return len(mantissa) >= 5
    return len(mantissa.replace(".", "").lstrip("0")) > 4


def test_the_request_holds_no_secret_of_a_judge():
    """A submission's process reads its request (the cases it runs): for 07_deep's training
    check it must not find the seed of the circles the judge tests the trained network on,
    or it could draw them and fit them."""
    import json

    import numpy as np

    from graders.checks import checks_for
    from graders.checks.deep import fresh_circles_seed
    from graders.engine import BASE_SEED, PlannedCheck, grading

    (check,) = [c for c in checks_for("07_deep") if c.id == "train.circles"]
    seed = grading.check_seed(check, BASE_SEED)
    planned = [PlannedCheck(check, check.draw_cases(np.random.default_rng(seed)), seed)]
    (request,) = grading.tasks(planned)
    numbers = set()

    def collect(node):
        if isinstance(node, bool):
            return
        if isinstance(node, int):
            numbers.add(node)
        elif isinstance(node, dict):
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(json.loads(json.dumps(request)))
    (case,) = planned[0].cases
    assert case.args[5] in numbers  # what the judge's seed is made from is sent; it is not
    assert fresh_circles_seed(case.args[5]) not in numbers, sorted(numbers)
