"""Rules about how a function is written, checked on its source without running it.

The contract forbids some tools in some exercises (no Keras losses in mean_squared_error,
no automatic differentiation in mse_gradients) and requires others (tf.GradientTape in
gradients and minimize_loss). A rule is checked on the function and on every function of
the submission it calls, directly or not, with names resolved through aliases:
`import tensorflow as t`, `from keras import losses as L`, `k = tf.keras; k.losses.mse`,
`getattr(tf, "keras")`, and `__import__`/`importlib.import_module` of a module by name.
tf.keras and tf_keras count as keras.
"""

from __future__ import annotations

import ast
from pathlib import Path

from graders.engine.sources import notebook_code_cells, script_text
from selfcheck.model import Rule


def submission_text(path: Path) -> list[str]:
    """The code of a submission: one module, or the code cells of a notebook."""
    if path.suffix == ".ipynb":
        return notebook_code_cells(path)
    try:
        return [script_text(path)]
    except SyntaxError:  # its load failed already, and says why
        return [path.read_text(encoding="utf-8", errors="replace")]


def violation(texts: list[str], function: str, rule: Rule) -> str | None:
    """None if `function` keeps to `rule`, else a sentence saying how it does not."""
    module = _parse(texts)
    functions = {
        node.name: node
        for node in ast.walk(module)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    if function not in functions:
        return f"{function} is not defined, so the rule '{rule.what}' cannot hold"
    if is_stub(functions[function]):
        return f"{function} {NOT_IMPLEMENTED}"
    aliases = _aliases(module)
    used: set[str] = set()
    for node in _reachable(functions[function], functions):
        used |= _names_used(node, {**aliases, **_aliases(node)})
    for name in sorted(used):
        for banned in rule.forbid:
            if name == banned or name.startswith(banned + "."):
                return f"{function} uses {_display(name)}: {rule.what}"
    if rule.require and not any(n == r or n.startswith(r + ".") for n in used for r in rule.require):
        return f"{function} does not use {' or '.join(_display(r) for r in rule.require)}: {rule.what}"
    return None


NOT_IMPLEMENTED = "is not implemented yet (it raises NotImplementedError)"


def is_stub(function: ast.AST) -> bool:
    """Whether a function's body is only a docstring and `raise NotImplementedError...`."""
    body = [
        node
        for node in function.body
        if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
    ]
    if len(body) != 1 or not isinstance(body[0], ast.Raise) or body[0].exc is None:
        return False
    raised = body[0].exc.func if isinstance(body[0].exc, ast.Call) else body[0].exc
    return isinstance(raised, ast.Name) and raised.id == "NotImplementedError"


def _parse(texts: list[str]) -> ast.Module:
    """All the code that parses (a cell with a syntax error is left out)."""
    body = []
    for text in texts:
        try:
            body.extend(ast.parse(text).body)
        except SyntaxError:
            continue
    return ast.Module(body=body, type_ignores=[])


def _canonical(name: str) -> str:
    for prefix, replacement in (
        ("tensorflow.keras", "keras"),
        ("tensorflow.python.keras", "keras"),
        ("tf_keras", "keras"),
        ("tensorflow.compat.v2", "tensorflow"),
        ("tensorflow.compat.v1", "tensorflow"),
    ):
        if name == prefix or name.startswith(prefix + "."):
            return replacement + name[len(prefix) :]
    return name


def _display(name: str) -> str:
    return name.replace("tensorflow.", "tf.")


def _aliases(scope: ast.AST) -> dict[str, str]:
    """Local names bound to modules or attributes of them in `scope` (not nested functions)."""
    aliases: dict[str, str] = {}
    nodes = list(_own_nodes(scope))
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    aliases[alias.asname] = _canonical(alias.name)
                else:
                    aliases[alias.name.split(".")[0]] = _canonical(alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                aliases[alias.asname or alias.name] = _canonical(f"{node.module}.{alias.name}")
    for _ in range(5):  # assignments of aliases to aliases, to a fixpoint
        changed = False
        for node in nodes:
            if (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
            ):
                resolved = _resolve(node.value, aliases)
                if resolved and aliases.get(node.targets[0].id) != resolved:
                    aliases[node.targets[0].id] = resolved
                    changed = True
        if not changed:
            break
    return aliases


def _own_nodes(scope: ast.AST):
    """The nodes of a module or function, not descending into nested functions or classes."""
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))


def _resolve(node: ast.AST, aliases: dict[str, str]) -> str | None:
    """The dotted name an expression refers to, through aliases, or None."""
    if isinstance(node, ast.Name):
        return aliases.get(node.id)
    if isinstance(node, ast.Attribute):
        base = _resolve(node.value, aliases)
        return _canonical(f"{base}.{node.attr}") if base else None
    if isinstance(node, ast.Call) and node.args:
        func = node.func
        first = node.args[0]
        name = (
            func.id if isinstance(func, ast.Name) else (func.attr if isinstance(func, ast.Attribute) else "")
        )
        if name == "getattr" and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant):
            base = _resolve(first, aliases)
            return _canonical(f"{base}.{node.args[1].value}") if base else None
        if (
            name in ("__import__", "import_module")
            and isinstance(first, ast.Constant)
            and isinstance(first.value, str)
        ):
            return _canonical(first.value)
    return None


def _names_used(scope: ast.AST, aliases: dict[str, str]) -> set[str]:
    used = set()
    for node in ast.walk(scope):
        if isinstance(node, (ast.Name, ast.Attribute, ast.Call)):
            resolved = _resolve(node, aliases)
            if resolved:
                used.add(resolved)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            used |= set(_aliases(ast.Module(body=[node], type_ignores=[])).values())
    return used


def _reachable(start: ast.AST, functions: dict[str, ast.AST]) -> list[ast.AST]:
    """`start` and every submission function it calls by name, directly or not."""
    seen, todo = [], [start]
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.append(node)
        for inner in ast.walk(node):
            if isinstance(inner, ast.Name) and inner.id in functions:
                todo.append(functions[inner.id])
    return seen
