"""A variant of a reference module: one function changed the way a student might."""

from __future__ import annotations

import ast
from dataclasses import dataclass


class VariantError(Exception):
    """The variant does not apply to the reference module any more."""


@dataclass(frozen=True)
class Variant:
    """One function of the reference module, changed.

    Attributes:
        function: the function that is changed.
        name: what the student did, in a few words ("sum instead of mean").
        replace: (old, new) text edits inside that function's source; each `old` must occur.
        source: or the whole new source of the function (its `def` and body, unindented);
            it may define helpers of its own before the `def`.
        caught_by: ids of checks that must lose points on this variant ("mean_squared_error.values"),
            for mutants whose catching check is part of what the corpus asserts.
    """

    function: str
    name: str
    replace: tuple[tuple[str, str], ...] = ()
    source: str | None = None
    caught_by: tuple[str, ...] = ()

    def apply(self, module_text: str) -> str:
        """The reference module's text with this variant applied."""
        tree = ast.parse(module_text)
        found = [
            node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == self.function
        ]
        if not found:
            raise VariantError(f"{self.name}: the module has no function {self.function}")
        node = found[0]
        start = (node.decorator_list[0].lineno if node.decorator_list else node.lineno) - 1
        lines = module_text.split("\n")
        before, body, after = (
            lines[:start],
            "\n".join(lines[start : node.end_lineno]),
            lines[node.end_lineno :],
        )
        if self.source is not None:
            body = self.source.strip("\n")
        for old, new in self.replace:
            if old not in body:
                raise VariantError(f"{self.name}: {old!r} is not in {self.function}")
            body = body.replace(old, new)
        return "\n".join(before + [body] + after)
