"""The fork server converts the functions the protocols hand to submissions (02_flow's
programs) with AutoGraph, once, before it forks the first process that is given them, so
that no submission's process converts them again; a job whose protocols hand over nothing
makes it convert nothing."""

import re

import pytest

from graders.engine import SECRET_FOLDERS, ForkServer, Source, plan, tasks
from selfcheck.assignments import assignment
from selfcheck.protocols import HANDED_OVER
from selfcheck.values import Raised

pytestmark = pytest.mark.slow

FLOW = "selfcheck.protocols.flow"
# A submission whose functions only say which handed-over functions AutoGraph holds already,
# under the options a tf.function converts with.
PROBE = """
from tensorflow.python.autograph.core import converter
from tensorflow.python.autograph.impl import api
from selfcheck.protocols import HANDED_OVER

def _report(*args, **kwargs):
    options = converter.ConversionOptions(recursive=True, optional_features=None, user_requested=True)
    held = [f for f in HANDED_OVER[{module!r}] if api._TRANSPILER._cache.has(f, options)]
    raise RuntimeError(f"converted already: {{len(held)}} of {{len(HANDED_OVER[{module!r}])}}")

{function} = _report
"""


def _reports(server, tmp_path, assignment_id, function):
    a = assignment(assignment_id)
    folder = tmp_path / assignment_id
    folder.mkdir()
    (folder / a.script).write_text(PROBE.format(module=FLOW, function=function))
    work = [t for t in tasks(plan(a.id)) if t["function"] == function]
    outcome = server.wait(server.submit([Source(a, folder / a.script)], work, 300))
    assert outcome.ended_early() is None, outcome.log
    # (inside a tf.function the message comes wrapped in TensorFlow's own lines)
    reports = {
        found.group(0)
        for v in outcome.values.values()
        if isinstance(v, Raised) and (found := re.search(r"converted already: \d+ of \d+", v.message))
    }
    assert len(reports) == 1 and len(outcome.values) == len(work), outcome.values
    return reports.pop()


def test_handed_over_functions_are_converted_before_the_fork_that_needs_them(tmp_path):
    count = len(HANDED_OVER[FLOW])
    assert count >= 10
    with ForkServer(1, hidden=SECRET_FOLDERS) as server:
        # 01_tensors' protocols hand nothing over: nothing is converted for its process
        assert _reports(server, tmp_path, "01_tensors", "pick") == f"converted already: 0 of {count}"
        assert _reports(server, tmp_path, "02_flow", "to_graph") == f"converted already: {count} of {count}"
