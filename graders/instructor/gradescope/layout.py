"""Where things are in a Gradescope container, and inside the bundle."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT_ENV = "GRADERS_AUTOGRADER_ROOT"  # moves /autograder (to test a bundle outside Gradescope)
DEFAULT_ROOT = Path("/autograder")
KIT = "kit"  # the kit's files inside the bundle (and so in source/)
STORED = "reference"  # kit/reference/<id>.json: cases and reference results
MANIFEST = "bundle.json"  # kit/bundle.json: what the bundle grades, and how long it may take


@dataclass(frozen=True)
class Layout:
    """Gradescope's folders under one root: source/ (the unpacked zip), submission/,
    results/ (results.json), and venv/ (the environment setup.sh made)."""

    root: Path

    @classmethod
    def from_environment(cls) -> Layout:
        return cls(Path(os.environ.get(ROOT_ENV) or DEFAULT_ROOT))

    @property
    def source(self) -> Path:
        return self.root / "source"

    @property
    def submission(self) -> Path:
        return self.root / "submission"

    @property
    def results(self) -> Path:
        return self.root / "results"

    @property
    def results_file(self) -> Path:
        return self.results / "results.json"

    @property
    def kit(self) -> Path:
        return self.source / KIT

    @property
    def public_code(self) -> tuple[Path, ...]:
        """The kit's folders a submission's process must be able to read (the engine and
        the public checks), as the kit's containment binds them."""
        return self.kit / "graders", self.kit / "exercises"

    @property
    def secret_code(self) -> tuple[Path, ...]:
        """Folders under the public ones that hold secrets: the hidden checks."""
        return (self.kit / "graders" / "checks",)
