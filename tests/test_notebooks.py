"""A student's notebook read as a module without Jupyter (selfcheck.notebooks), by the grader's
notebook form and by `earlier_work`: which cells run, magics at any indentation, and a file of
any other shape refused by name."""

import json

import pytest
from conftest import load_here
from hypothesis import given, settings
from hypothesis import strategies as st

from graders.engine import notebook_code_cells
from selfcheck.earlier import EarlierWorkMissing, earlier_work
from selfcheck.notebooks import NotebookError, code_cells


def _cell(source, kind="code", **metadata):
    return {"cell_type": kind, "metadata": metadata, "source": source}


SOLUTION = {"grade": False, "solution": True, "grade_id": "standardize", "locked": False}
TEST = {"grade": True, "solution": False, "grade_id": "standardize_test", "points": 1}
GIVEN = {"grade": False, "solution": False, "grade_id": "given", "locked": True}
CELLS = [
    _cell("# Data\n", kind="markdown"),
    _cell(
        ["def standardize(x):\n", "    if x:\n", "        %time y = 1\n", "    return 2 * x\n"],
        nbgrader=SOLUTION,
    ),
    _cell("raise AssertionError('a test cell ran')\n", nbgrader=TEST),
    _cell("SCALE = 3\n!pip install nothing\n", nbgrader=GIVEN),
    _cell("raise RuntimeError('an experiment ran')\n"),
    _cell("def helper():\n    return SCALE\n", tags=["module"]),
]


@pytest.fixture
def course(tmp_path):
    """A course folder: 04_data/data.ipynb beside the 07_deep folder a notebook runs in."""
    (tmp_path / "04_data").mkdir()
    (tmp_path / "07_deep").mkdir()
    return tmp_path


def _write(course, notebook):
    path = course / "04_data" / "data.ipynb"
    path.write_text(json.dumps(notebook))
    return path


def test_earlier_work_runs_the_students_functions_and_the_given_code_only(course):
    _write(course, {"cells": CELLS, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    data = earlier_work("04_data", course / "07_deep")
    assert data.standardize(5) == 10 and data.helper() == 3  # the indented magic kept its block


def test_the_grader_runs_every_code_cell_but_the_tests(course):
    path = _write(course, {"cells": CELLS})
    codes = notebook_code_cells(path)
    assert len(codes) == 4
    assert not any("a test cell ran" in code for code in codes)
    assert "        pass\n" in codes[0] and "pass\n" in codes[1]
    namespace = {}
    exec(compile(codes[0] + codes[1], "cells", "exec"), namespace)  # magics compile at their indentation
    assert namespace["standardize"](1) == 2


def test_a_notebook_that_calls_display_loads_as_in_jupyter(course):
    """`display` is IPython's: a cell that shows a value before its definitions keeps them."""
    path = course / "05_loss" / "loss.ipynb"
    path.parent.mkdir()
    path.write_text(
        json.dumps({"cells": [_cell("display(3, raw=True)\ndef predict(x, w, b):\n    return x\n")]})
    )
    module, problems = load_here(path, "05_loss")
    assert problems == [] and module.predict(2, 0, 0) == 2


@pytest.mark.parametrize(
    "notebook, why",
    [
        ("{not json", "Expecting property name"),
        ({"nbformat": 4}, "'cells'"),
        ({"cells": 5}, "its cells are not a list"),
        ({"cells": [_cell(["x = 1\n", None])]}, "cell 1's source is not text"),
    ],
)
def test_what_is_not_a_notebook_is_named(course, notebook, why):
    path = course / "04_data" / "data.ipynb"
    path.write_text(notebook if isinstance(notebook, str) else json.dumps(notebook))
    with pytest.raises(NotebookError, match=r"data\.ipynb is not a readable notebook") as error:
        list(code_cells(path))
    assert why in str(error.value)
    with pytest.raises(EarlierWorkMissing) as missing:
        earlier_work("04_data", course / "07_deep")
    assert str(missing.value) == f"{path} is not a readable notebook ({error.value.why})"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=10,
)
cells = st.fixed_dictionaries(
    {"cell_type": st.sampled_from(["code", "markdown"])},
    optional={
        "source": st.sampled_from(["x = 1\n", "%time\n", ""])
        | st.lists(st.just("y = 2\n"), max_size=2)
        | json_values,
        "metadata": st.fixed_dictionaries(
            {}, optional={"nbgrader": json_values | st.just(SOLUTION) | st.just(TEST), "tags": json_values}
        )
        | json_values,
    },
)


notebooks = st.fixed_dictionaries(
    {}, optional={"cells": st.lists(cells | json_values, max_size=4) | json_values}
)


@settings(max_examples=300, deadline=None)
@given(notebook=notebooks)
def test_earlier_work_of_any_shape_loads_or_says_why(notebook, tmp_path_factory):
    course = tmp_path_factory.getbasetemp() / "earlier-shapes"
    (course / "04_data").mkdir(parents=True, exist_ok=True)
    (course / "07_deep").mkdir(exist_ok=True)
    _write(course, notebook)
    try:
        earlier_work("04_data", course / "07_deep")
    except EarlierWorkMissing as missing:
        assert "data.ipynb" in str(missing)


@settings(max_examples=300, deadline=None)
@given(notebook=notebooks | json_values)
def test_the_grader_reads_any_json_file_as_a_notebook_or_names_it(notebook, tmp_path_factory):
    path = tmp_path_factory.getbasetemp() / "grader-shapes" / "loss.ipynb"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(notebook))
    try:
        codes = notebook_code_cells(path)
    except NotebookError as error:
        assert str(error).startswith("loss.ipynb is not a readable notebook"), error
    else:
        assert all(isinstance(code, str) for code in codes)
