"""Try an autograder zip here, as Gradescope would run it, before uploading it.

`python -m graders.instructor.gradescope.trial autograder.zip SUBMISSION` unpacks the zip into
a temporary folder that stands in for /autograder (source/, submission/, results/, and venv/
pointing at this Python environment instead of the one setup.sh would make), runs its
run_autograder with GRADERS_AUTOGRADER_ROOT set to that folder, and prints the score and the
output a student would see. The tests and the measurements use the same steps.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from graders.engine import NO_NAMESPACES_ENV, run_then_exit
from graders.instructor.gradescope.layout import ROOT_ENV, Layout


def prepare(bundle: Path, submission: Path, root: Path | None = None) -> Layout:
    """A fresh root: the zip unpacked in source/ (with its file modes), the submission's
    files in submission/, an empty results/, and venv/ linked to this Python environment."""
    root = Path(root or tempfile.mkdtemp(prefix="autograder-"))
    layout = Layout(root)
    root.mkdir(parents=True, exist_ok=True)
    os.chmod(root, 0o755)
    with zipfile.ZipFile(bundle) as archive:
        for info in archive.infolist():
            target = layout.source / info.filename
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(info))
            os.chmod(target, (info.external_attr >> 16) & 0o777 or 0o644)
    layout.results.mkdir()
    if submission.is_dir():
        shutil.copytree(submission, layout.submission)
    else:
        layout.submission.mkdir()
        shutil.copy(submission, layout.submission / submission.name)
    (root / "venv").symlink_to(Path(sys.prefix))
    return layout


def run(
    layout: Layout, namespaces: bool = True, timeout: float = 900
) -> tuple[subprocess.CompletedProcess, Any]:
    """Run the bundle's run_autograder; (the finished process, results.json or None)."""
    env = {**os.environ, ROOT_ENV: str(layout.root)}
    env.pop(NO_NAMESPACES_ENV, None)
    if not namespaces:
        env[NO_NAMESPACES_ENV] = "1"
    done = subprocess.run(
        ["bash", str(layout.source / "run_autograder")],
        cwd=layout.root,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        timeout=timeout,
    )
    try:
        content = json.loads(layout.results_file.read_text())
    except (OSError, ValueError):
        content = None
    return done, content


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, help="the autograder zip")
    parser.add_argument("submission", type=Path, help="a submission: a folder, a .py or an .ipynb")
    parser.add_argument(
        "--no-namespaces",
        action="store_true",
        help="contain the submission as where namespaces are refused (file permissions)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary root and print where it is")
    args = parser.parse_args(argv)
    layout = prepare(args.bundle, args.submission)
    try:
        done, content = run(layout, namespaces=not args.no_namespaces)
        print(done.stdout, end="")
        if content is None:
            print("no results.json was written", file=sys.stderr)
            return 1
        maximum = sum(t.get("max_score", 0) for t in content.get("tests", []))
        print(f"\nscore {content['score']:g} / {maximum:g}\n\n{content['output']}")
        return 0
    finally:
        if args.keep:
            print(f"root kept: {layout.root}")
        else:
            shutil.rmtree(layout.root, ignore_errors=True)


if __name__ == "__main__":
    run_then_exit(main)
