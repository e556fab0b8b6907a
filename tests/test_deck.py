"""The notebooks carry the deck: its vocabulary is defined where the deck uses it, every
notebook draws at least one figure (the deck's own figures without any student code), and
every cross-reference points at something that exists. Reads the source notebooks only."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "source").glob("0*/*.ipynb"))
IDS = [path.parent.name for path in NOTEBOOKS]

# The deck's vocabulary: (term, pattern, the notebooks that define it). A notebook defines a
# term when the term stands in a heading or in emphasis (*...* or **...**) of its markdown,
# the way every notebook introduces a word it then explains.
VOCABULARY = [
    ("tensor", r"tensors?", ["01_tensors"]),
    ("shape", r"shapes?", ["01_tensors"]),
    ("rank", r"rank", ["01_tensors"]),
    ("dtype", r"dtype", ["01_tensors"]),
    ("directed graph", r"directed graph", ["02_flow"]),
    ("eager execution", r"eager execution", ["02_flow"]),
    ("artificial intelligence", r"artificial intelligence", ["03_rules_vs_learning", "07_deep"]),
    ("machine learning", r"machine learning", ["03_rules_vs_learning"]),
    ("supervised learning", r"supervised learning", ["03_rules_vs_learning", "04_data"]),
    ("label", r"labels?", ["03_rules_vs_learning", "04_data"]),
    ("function approximation", r"function approximation", ["03_rules_vs_learning", "07_deep"]),
    ("data point", r"data points?", ["04_data"]),
    ("feature", r"features?", ["04_data"]),
    ("z-score", r"z-score", ["04_data"]),
    ("linear regression", r"linear regression", ["05_loss", "06_gradient_tape"]),
    ("trainable parameters", r"(?:trainable|learnable) parameters?", ["05_loss", "07_deep"]),
    ("mean squared error", r"mean squared error", ["05_loss"]),
    ("gradient", r"gradient", ["05_loss"]),
    ("gradient descent", r"gradient descent", ["05_loss"]),
    ("gradient-based learning", r"gradient-based learning", ["05_loss"]),
    ("linear classifier", r"linear classifier", ["06_gradient_tape"]),
    ("backpropagation", r"backpropagation", ["06_gradient_tape", "07_deep"]),
    ("linearly separable", r"linearly separable", ["06_gradient_tape"]),
    ("neuron", r"neurons?", ["07_deep"]),
    ("neural network", r"neural networks?", ["07_deep"]),
    ("activation", r"activations?", ["07_deep"]),
    ("deep learning", r"deep learning", ["07_deep"]),
    ("mini-batch", r"mini-batch(?:es)?", ["07_deep"]),
]

# The figures the deck itself draws, by cell id: they must render in the release notebook
# too, so they may not call any function the student writes.
DECK_FIGURES = {
    "03_rules_vs_learning": ["fig-two-ways"],
    "05_loss": ["fig-tangent", "fig-broadcast-trap"],
    "07_deep": ["fig-network", "fig-ai-ml-dl"],
}

DRAWING = {
    "plot",
    "scatter",
    "imshow",
    "hist",
    "bar",
    "barh",
    "contour",
    "contourf",
    "pcolormesh",
    "matshow",
    "text",
    "annotate",
    "add_patch",
    "fill_between",
    "axvline",
    "axhline",
    "step",
    "errorbar",
}


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _text(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _markdown(path: Path) -> str:
    return "\n\n".join(_text(c) for c in _cells(path) if c["cell_type"] == "markdown")


def _prose(markdown: str) -> str:
    """Markdown without fenced code blocks and inline code."""
    return re.sub(r"`[^`\n]*`", "", re.sub(r"```.*?```", "", markdown, flags=re.S))


def _emphasised(markdown: str) -> list[str]:
    """The headings and the emphasised spans of a notebook's markdown."""
    prose = _prose(markdown)
    headings = re.findall(r"^#+ (.*)$", prose, flags=re.M)
    bold = re.findall(r"\*\*(.+?)\*\*", prose, flags=re.S)
    italic = re.findall(r"(?<![*\w])\*(?!\s)([^*\n]+?)\*(?![*\w])", prose)
    return headings + bold + italic


def test_the_notebooks_are_all_here():
    assert IDS == [
        "01_tensors",
        "02_flow",
        "03_rules_vs_learning",
        "04_data",
        "05_loss",
        "06_gradient_tape",
        "07_deep",
    ]


@pytest.mark.parametrize("term, pattern, homes", VOCABULARY, ids=[t for t, _, _ in VOCABULARY])
def test_the_deck_vocabulary_is_defined_where_the_deck_uses_it(term, pattern, homes):
    word = re.compile(rf"(?<![\w-]){pattern}(?![\w-])", re.I)
    for home in homes:
        markdown = _markdown(ROOT / "source" / home / _notebook_name(home))
        assert word.search(_prose(markdown)), f"{home}: the deck's term {term!r} is gone from its markdown"
        assert any(word.search(span) for span in _emphasised(markdown)), (
            f"{home}: {term!r} is used but never introduced (in a heading, *emphasis* or **bold**)"
        )


def _notebook_name(assignment_id: str) -> str:
    return NOTEBOOKS[IDS.index(assignment_id)].name


def figure_cells(cells: list[dict]) -> dict[str, set[str]]:
    """cell id -> the names a cell calls, for every code cell that draws a matplotlib figure:
    it calls a drawing method (plot, scatter, imshow, ...) and shows it with pyplot.show()."""
    pyplot = {"matplotlib.pyplot"}
    parsed = []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        code = "\n".join(
            "pass" if line.lstrip().startswith(("%", "!")) else line for line in _text(cell).splitlines()
        )
        tree = ast.parse(code)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                pyplot |= {a.asname for a in node.names if a.name == "matplotlib.pyplot" and a.asname}
            elif isinstance(node, ast.ImportFrom) and node.module == "matplotlib":
                pyplot |= {a.asname or a.name for a in node.names if a.name == "pyplot"}
        parsed.append((cell.get("id", "?"), tree))
    found = {}
    for cell_id, tree in parsed:
        calls = [n.func for n in ast.walk(tree) if isinstance(n, ast.Call)]
        shows = any(
            isinstance(f, ast.Attribute)
            and f.attr == "show"
            and isinstance(f.value, ast.Name)
            and f.value.id in pyplot
            for f in calls
        )
        draws = any(isinstance(f, ast.Attribute) and f.attr in DRAWING for f in calls)
        if shows and draws:
            found[cell_id] = {f.id for f in calls if isinstance(f, ast.Name)}
    return found


def _code_cell(source: str, cell_id: str) -> dict:
    return {"cell_type": "code", "id": cell_id, "source": source, "metadata": {}, "outputs": []}


def test_the_figure_finder_tells_a_figure_from_other_code():
    cells = [
        _code_cell("import matplotlib.pyplot as pl\nimport numpy as np", "imports"),
        _code_cell("print(np.ones(3))", "no-figure"),
        _code_cell("fig, ax = pl.subplots()\npl.show()", "empty-figure"),
        _code_cell("fig, ax = pl.subplots()\nax.plot(f([1, 2]))\npl.show()", "figure"),
        _code_cell("%matplotlib inline\nfig, ax = plt.subplots()\nax.plot([1])\nplt.show()", "other-name"),
    ]
    assert figure_cells(cells) == {"figure": {"f"}}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_notebook_draws_a_figure(path):
    assert figure_cells(_cells(path)), f"{path.name} draws no figure (a plot shown with plt.show())"


@pytest.mark.parametrize("assignment_id, cell_ids", sorted(DECK_FIGURES.items()))
def test_the_deck_figures_need_no_student_code(assignment_id, cell_ids):
    cells = _cells(ROOT / "source" / assignment_id / _notebook_name(assignment_id))
    student_functions = set()
    for cell in cells:
        if (cell.get("metadata", {}).get("nbgrader") or {}).get("solution"):
            tree = ast.parse(_text(cell))
            student_functions |= {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    assert student_functions, f"{assignment_id} has no solution cells"
    figures = figure_cells(cells)
    for cell_id in cell_ids:
        assert cell_id in figures, f"{assignment_id}: cell {cell_id} is missing or draws no figure"
        assert not figures[cell_id] & student_functions, (
            f"{assignment_id}: {cell_id} calls {sorted(figures[cell_id] & student_functions)}, "
            "so it draws nothing until the student's work is done"
        )


SECTION_REFERENCE = re.compile(r"(?:\b(0\d)'s\s+)?\b[Ss]ections?\s+(\d+)((?:\s*(?:,|and|or)\s*\d+)*)")
ASSIGNMENT_MENTION = re.compile(r"\b0\d_[a-z_]+[a-z]\b")


def _sections(path: Path) -> set[int]:
    return {int(n) for n in re.findall(r"^## (\d+)\. ", _markdown(path), flags=re.M)}


def references(text: str) -> list[tuple[str | None, int]]:
    """(notebook number or None for "this notebook", section number) of every reference."""
    found = []
    for match in SECTION_REFERENCE.finditer(text):
        numbers = [match.group(2), *re.findall(r"\d+", match.group(3))]
        found += [(match.group(1), int(n)) for n in numbers]
    return found


def test_the_reference_finder_reads_the_ways_the_notebooks_refer():
    text = "as in section 1; sections 2 and 3; Section 4 needs it; 05's section 2; the next section"
    assert references(text) == [(None, 1), (None, 2), (None, 3), (None, 4), ("05", 2)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_section_reference_names_an_existing_section(path):
    by_number = {p.parent.name[:2]: p for p in NOTEBOOKS}
    own = _sections(path)
    assert own, f"{path.name} has no numbered sections (## 1. ...)"
    texts = [_text(c) for c in _cells(path)]
    for notebook, number in [ref for text in texts for ref in references(text)]:
        target = by_number.get(notebook, path) if notebook else path
        assert notebook is None or notebook in by_number, f"{path.name} refers to a notebook {notebook}: none"
        assert number in _sections(target), (
            f"{path.name} refers to section {number} of {target.name}, "
            f"which has sections {sorted(_sections(target))}"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_assignment_named_exists(path):
    named = {m for cell in _cells(path) for m in ASSIGNMENT_MENTION.findall(_text(cell))}
    assert named <= set(IDS), f"{path.name} names assignments that do not exist: {sorted(named - set(IDS))}"
