"""The student folder stands alone: every stub whose answer depends on a random generator
names, in its docstring, the generator calls it makes, in the order it makes them.

The random functions are found in the reference modules (solutions/*.py) by their calls:
seeding a generator (np.random.default_rng(seed), tf.random.set_seed, ...), drawing from
a random module (tf.random.stateless_uniform(...)) or from a generator object
(rng.permutation(...)), or calling another random function of the module. A new random
exercise is covered without touching this file. Functions given to students in full
(PROVIDED helpers, whose code is the answer) are left out."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from conftest import ROOT

RANDOM_MODULES = ("numpy.random", "tensorflow.random", "random", "keras.random")
SEEDERS = {
    "default_rng",
    "RandomState",
    "Generator",
    "from_seed",
    "from_non_deterministic_state",
    "get_global_generator",
    "seed",
    "set_seed",
    "SeedGenerator",
}
CANONICAL = {"np": "numpy", "tf": "tensorflow"}


def _aliases(tree: ast.Module) -> dict[str, str]:
    aliases = dict(CANONICAL)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            aliases.update(
                {
                    a.asname or a.name.split(".")[0]: a.name if a.asname else a.name.split(".")[0]
                    for a in node.names
                }
            )
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            aliases.update({a.asname or a.name: f"{node.module}.{a.name}" for a in node.names})
    return aliases


def _dotted(node: ast.AST, aliases: dict[str, str]) -> str | None:
    if isinstance(node, ast.Name):
        return aliases.get(node.id)
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value, aliases)
        return f"{base}.{node.attr}" if base else None
    return None


def _in_random_module(name: str | None) -> bool:
    return bool(name) and any(name == m or name.startswith(m + ".") for m in RANDOM_MODULES)


def _calls_in_order(node: ast.AST):
    """The calls under `node` in the order Python evaluates them (a call after its parts)."""
    if isinstance(node, ast.Call):
        yield from _calls_in_order(node.func)
        for part in [*node.args, *node.keywords]:
            yield from _calls_in_order(part)
        yield node
        return
    if isinstance(node, ast.Assign):  # the value is evaluated before the targets
        yield from _calls_in_order(node.value)
        for target in node.targets:
            yield from _calls_in_order(target)
        return
    for child in ast.iter_child_nodes(node):
        yield from _calls_in_order(child)


class RandomCalls:
    """The generator calls of every function of one reference module."""

    def __init__(self, source: str):
        self.source = source
        self.tree = ast.parse(source)
        self.aliases = _aliases(self.tree)
        self.functions = {n.name: n for n in self.tree.body if isinstance(n, ast.FunctionDef)}
        self.random: dict[str, list[str]] = {}
        for _ in range(len(self.functions) + 1):  # calls of random functions, to a fixpoint
            found = {name: self._tokens(node) for name, node in self.functions.items()}
            found = {name: tokens for name, tokens in found.items() if tokens}
            if found == self.random:
                break
            self.random = found

    def _is_seeder(self, call: ast.Call) -> bool:
        name = _dotted(call.func, self.aliases)
        return _in_random_module(name) and name.rsplit(".", 1)[-1] in SEEDERS

    def _tokens(self, function: ast.FunctionDef) -> list[str]:
        """What the docstring must name, in order, for every generator call of `function`."""
        generators: set[str] = set()
        for node in ast.walk(function):  # names bound to a generator object
            seeded = isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
            if seeded and self._is_seeder(node.value):
                generators |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        tokens = []
        for call in _calls_in_order(function):
            func, text = call.func, ast.get_source_segment(self.source, call)
            on_generator = isinstance(func, ast.Attribute) and (
                (isinstance(func.value, ast.Name) and func.value.id in generators)
                or (isinstance(func.value, ast.Call) and self._is_seeder(func.value))
            )
            if self._is_seeder(call):
                tokens.append(text)  # the seeding itself, with its argument: np.random.default_rng(seed)
            elif on_generator:
                tokens.append(f".{func.attr}(")  # a draw from the generator: .permutation(
            elif _in_random_module(_dotted(func, self.aliases)):
                tokens.append(ast.get_source_segment(self.source, func) + "(")  # tf.random.stateless_uniform(
            elif isinstance(func, ast.Name) and func.id in self.random and func.id != function.name:
                simple = all(isinstance(a, (ast.Name, ast.Constant)) for a in call.args) and not call.keywords
                tokens.append(text if simple else f"{func.id}(")  # init_params(layer_sizes, seed)
            else:
                continue
            tokens += [
                f"seed={ast.get_source_segment(self.source, k.value)}"
                for k in call.keywords
                if k.arg == "seed"
            ]
        return tokens


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _body_without_docstring(function: ast.FunctionDef) -> str:
    body = function.body[1:] if ast.get_docstring(function) is not None else function.body
    return "\n".join(ast.dump(node) for node in body)


def docstring_problems(reference: str, stub: str) -> list[str]:
    """What the stub's docstrings fail to say about the reference's generator calls."""
    calls = RandomCalls(reference)
    stubs = {n.name: n for n in ast.parse(stub).body if isinstance(n, ast.FunctionDef)}
    problems = []
    for name, tokens in calls.random.items():
        if name not in stubs:
            problems.append(f"{name}: no such function in the stub")
            continue
        if _body_without_docstring(stubs[name]) == _body_without_docstring(calls.functions[name]):
            continue  # given in full: its code says it all
        docstring, position = _flat(ast.get_docstring(stubs[name]) or ""), 0
        for token in tokens:
            found = docstring.find(_flat(token), position)
            if found < 0:
                where = "at all" if _flat(token) not in docstring else "in this order"
                problems.append(
                    f"{name}: the docstring does not name {token!r} {where} (the calls: {tokens})"
                )
                break
            position = found + len(_flat(token))
    return problems


def random_functions() -> dict[str, list[str]]:
    """module file -> the names of its random functions that students write."""
    found = {}
    for reference in sorted((ROOT / "solutions").glob("*.py")):
        stub = ROOT / "exercises" / reference.name
        calls = RandomCalls(reference.read_text())
        stubs = {n.name: n for n in ast.parse(stub.read_text()).body if isinstance(n, ast.FunctionDef)}
        written = [
            name
            for name in calls.random
            if name not in stubs
            or _body_without_docstring(stubs[name]) != _body_without_docstring(calls.functions[name])
        ]
        if written:
            found[reference.name] = written
    return found


REFERENCE = '''
import numpy as np
import tensorflow as tf


def blobs(n, seed):
    """Two blobs."""
    rng = np.random.default_rng(seed)
    a = rng.normal(0.0, 1.0, size=n)
    b = rng.uniform(size=n)
    return np.concatenate([a, b])


def weights(shape, seed):
    """Weights."""
    return tf.random.stateless_uniform(shape, seed=[seed, 0])


def fit(shape, seed):
    """Fit."""
    return weights(shape, seed) * 2


def given(seed):
    """PROVIDED."""
    return np.random.default_rng(seed).permutation(3)


def plain(x):
    """Not random."""
    return x + 1
'''


def _stub(
    blobs_doc: str,
    weights_doc: str = "tf.random.stateless_uniform(shape, seed=[seed, 0])",
    fit_doc: str = "weights(shape, seed), doubled",
) -> str:
    return f'''
def blobs(n, seed):
    """{blobs_doc}"""
    raise NotImplementedError()


def weights(shape, seed):
    """{weights_doc}"""
    raise NotImplementedError()


def fit(shape, seed):
    """{fit_doc}"""
    raise NotImplementedError()


def given(seed):
    """PROVIDED."""
    return np.random.default_rng(seed).permutation(3)


def plain(x):
    """Not random."""
    raise NotImplementedError()
'''


def test_the_finder_reads_the_generator_calls_in_order():
    calls = RandomCalls(REFERENCE)
    assert calls.random == {
        "blobs": ["np.random.default_rng(seed)", ".normal(", ".uniform("],
        "weights": ["tf.random.stateless_uniform(", "seed=[seed, 0]"],
        "fit": ["weights(shape, seed)"],
        "given": ["np.random.default_rng(seed)", ".permutation("],
    }


@pytest.mark.parametrize(
    "blobs_doc, expected",
    [
        (
            "rng = np.random.default_rng(seed); a = rng.normal(0, 1, size=n), then b = rng.uniform(size=n)",
            None,
        ),
        (
            "a = rng.normal(0, 1, size=n), then b = rng.uniform(size=n)",
            "'np.random.default_rng(seed)' at all",
        ),
        (
            "rng = np.random.default_rng(seed); b = rng.uniform(size=n), then a = rng.normal(0, 1, size=n)",
            "'.uniform(' in this order",
        ),
        (
            "rng = np.random.default_rng(0); rng.normal(size=n) then rng.uniform(size=n)",
            "'np.random.default_rng(seed)' at all",
        ),
    ],
)
def test_a_docstring_must_name_every_draw_in_order(blobs_doc, expected):
    problems = docstring_problems(REFERENCE, _stub(blobs_doc))
    if expected is None:
        assert problems == []
    else:
        assert len(problems) == 1 and problems[0].startswith("blobs:") and expected in problems[0], problems


def test_a_function_that_calls_a_random_one_must_name_it():
    ok = "rng = np.random.default_rng(seed); rng.normal(), then rng.uniform()"
    stub = _stub(ok, weights_doc="uniform weights", fit_doc="twice the weights")
    problems = docstring_problems(REFERENCE, stub)
    assert [p.split(":")[0] for p in problems] == ["weights", "fit"]


def test_the_stubs_that_draw_random_numbers_are_found():
    found = random_functions()
    assert found, "no random function found in solutions/: the finder is broken"
    # every assignment module with a random exercise has a stub of that name
    assert all((ROOT / "exercises" / module).exists() for module in found)


@pytest.mark.parametrize("reference", sorted((ROOT / "solutions").glob("*.py")), ids=lambda p: p.stem)
def test_every_random_stub_names_its_generator_calls_in_order(reference: Path):
    stub = ROOT / "exercises" / reference.name
    assert stub.exists(), f"no stub for {reference.name}"
    assert docstring_problems(reference.read_text(), stub.read_text()) == []
