"""The grading engine: what the command line and the instructors' tools use of it.

Everything outside the engine imports from here (a test checks it), never from its modules:
`from graders.engine import Grader, grade_class`. Names are imported on first use, so that
the processes the engine starts (the fork server, the kernel server) can import one module
of it without the rest.
"""

from __future__ import annotations

import importlib
from typing import Any

# name -> the engine module that defines it
EXPORTS = {
    # grading one submission or many, with one fork server and the reference cached
    "BASE_SEED": "grading",
    "GRADER_FAULT": "grading",
    "SECRET_FOLDERS": "grading",
    "Grader": "grading",
    "Known": "grading",
    "Pending": "grading",
    "PlannedCheck": "references",
    "grade_path": "grading",
    "plan": "grading",
    "tasks": "grading",
    # reference results stored on disk (the Gradescope bundle, the reference cache)
    "ReferenceCache": "references",
    "StoredAssignment": "references",
    "StoredError": "references",
    "load_stored": "references",
    # a whole class, on this machine or on a Dask cluster
    "discover_class": "batch",
    "grade_class": "batch",
    "result_path": "batch",
    "write_atomically": "batch",
    "write_class_csv": "batch",
    "ClusterError": "cluster",
    "grade_on_cluster": "cluster",
    "submission_files": "cluster",
    # what a submission is and how it is found
    "NothingToGrade": "sources",
    "Source": "sources",
    "find_sources": "sources",
    "load": "sources",
    "notebook_code_cells": "sources",
    # the results and their JSON form
    "FAULT_NOTE": "report",
    "AssignmentResult": "report",
    "CheckResult": "report",
    "GradeReport": "report",
    "student_notes": "report",
    # the submission's process and its containment
    "ForkServer": "forkserver_client",
    "MAX_SUBMISSION_BYTES": "forkserver_client",
    "WorkerOutcome": "forkserver_client",
    "copy_submission_files": "forkserver_client",
    "Limits": "containment",
    "NO_NAMESPACES_ENV": "containment",
    "describe_containment": "containment",
    "system_paths": "containment",
    # devices
    "QUIET_ENV": "devices",
    "configure_devices": "devices",
    "graded_devices": "devices",
    "short_device_name": "devices",
    # ending a process without the interpreter's teardown (TensorFlow's costs about 1.3 s)
    "run_then_exit": "quick_exit",
    # rules about how a function is written
    "NOT_IMPLEMENTED": "static_rules",
    "submission_text": "static_rules",
    "violation": "static_rules",
}
RENAMED = {
    "describe_containment": "describe",
    "configure_devices": "configure",
    "graded_devices": "devices",
    "short_device_name": "short_name",
    "load_stored": "load",
}

__all__ = sorted(EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f"{__name__}.{EXPORTS[name]}")
    return getattr(module, RENAMED.get(name, name))
