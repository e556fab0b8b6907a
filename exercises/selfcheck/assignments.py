"""The seven assignments of the kit: nbgrader id, notebook and module names (see the
curriculum contract)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Assignment:
    """One assignment. `data_files` are the files its notebook and stub read, shipped next
    to them (their content comes from the DATA_FILES of its hidden checks' module)."""

    id: str
    module: str
    title: str
    data_files: tuple[str, ...] = ()

    @property
    def notebook(self) -> str:
        return f"{self.module}.ipynb"

    @property
    def script(self) -> str:
        return f"{self.module}.py"


ASSIGNMENTS: tuple[Assignment, ...] = (
    Assignment("01_tensors", "tensors", "Tensors: multi-dimensional arrays"),
    Assignment("02_flow", "flow", "Flow: the directed computational graph"),
    Assignment("03_rules_vs_learning", "rules", "The promise of ML: rules or learning"),
    Assignment("04_data", "data", "Data points, features and labels", data_files=("admissions.csv",)),
    Assignment("05_loss", "loss", "Transform, calculate the error, take the derivative"),
    Assignment("06_gradient_tape", "gradient_tape", "GradientTape and a linear classifier"),
    Assignment("07_deep", "deep", "The meaning of deep: more layers"),
)

BY_ID = {a.id: a for a in ASSIGNMENTS}
BY_MODULE = {a.module: a for a in ASSIGNMENTS}


def assignment(id_or_module: str) -> Assignment:
    """Look an assignment up by its id ("05_loss") or module name ("loss")."""
    found = BY_ID.get(id_or_module) or BY_MODULE.get(id_or_module)
    if found is None:
        known = ", ".join(a.id for a in ASSIGNMENTS)
        raise KeyError(f"no assignment {id_or_module!r}; the assignments are {known}")
    return found
