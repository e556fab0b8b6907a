"""TensorFlow set-up for grading: which devices, and reproducible numerics on each.

Both the grader (reference results) and the submission's process call `configure()`
before TensorFlow initialises. Every check runs on every device listed by `devices()`:
the CPU always, and every GPU TensorFlow can see. Without a GPU, setting
GRADERS_LOGICAL_CPUS=N splits the CPU into N logical devices, so the multi-device path
runs (and is tested) anyway.
"""

from __future__ import annotations

import contextlib
import os
import random
import tempfile

import numpy as np

LOGICAL_CPUS_ENV = "GRADERS_LOGICAL_CPUS"
# For tests: devices graded as GPUs (e.g. "CPU:1"), and the size of the GPU-like numeric
# differences the submission's process adds to their results ("gpu": what TF32 and
# reduction order cause; "beyond": ten times more than GPU tolerances allow).
GPU_LIKE_ENV = "GRADERS_GPU_LIKE"
PERTURB_ENV = "GRADERS_PERTURB"
PERTURBATION = {"gpu": {"float32": 1e-3, "float64": 1e-13}, "beyond": {"float32": 2e-2, "float64": 1e-5}}

# TensorFlow's start-up lines on stderr; nbgrader zeroes a grade cell with stderr output.
QUIET_ENV = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}


def quiet_environment() -> None:
    """Silence TensorFlow's C++ logging (must run before TensorFlow is imported)."""
    for key, value in QUIET_ENV.items():
        os.environ.setdefault(key, value)


def configure() -> None:
    """Import and set up TensorFlow: logical CPUs if asked, TF32 off, determinism on."""
    quiet_environment()
    with _startup_lines_hidden():
        import tensorflow as tf

        tf.config.list_physical_devices()
    tf.get_logger().setLevel("ERROR")
    count = int(os.environ.get(LOGICAL_CPUS_ENV, "1") or "1")
    if count > 1:
        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration() for _ in range(count)]
        )
    # GPUs would otherwise run float32 matmuls in TF32 (~1e-3 relative error) and may
    # reduce in a different order on every run.
    tf.config.experimental.enable_tensor_float_32_execution(False)
    tf.config.experimental.enable_op_determinism()


@contextlib.contextmanager
def _startup_lines_hidden():
    """Keep the lines TensorFlow writes to stderr before its logging is set up (they cannot
    be silenced otherwise) out of the grader's output; show them if the import fails."""
    saved = os.dup(2)
    with tempfile.TemporaryFile() as capture:
        os.dup2(capture.fileno(), 2)
        try:
            yield
        except BaseException:
            os.dup2(saved, 2)
            capture.seek(0)
            os.write(2, capture.read())
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def devices() -> list[str]:
    """The devices every check runs on: each logical CPU, then each GPU."""
    import tensorflow as tf

    cpus = [d.name for d in tf.config.list_logical_devices("CPU")]
    gpus = [d.name for d in tf.config.list_logical_devices("GPU")]
    return cpus + gpus


def skipped_devices() -> dict[str, str]:
    """Device kinds that were not graded on, with the reason."""
    import tensorflow as tf

    if tf.config.list_physical_devices("GPU"):
        return {}
    return {"GPU": "no GPU visible to TensorFlow on this machine; graded on CPU only"}


def is_gpu(device: str) -> bool:
    """Whether results from `device` are held to the GPU tolerances."""
    name = short_name(device)
    like = {d.strip() for d in os.environ.get(GPU_LIKE_ENV, "").split(",") if d.strip()}
    return name.startswith("GPU") or name in like


def perturbation(device: str) -> dict[str, float] | None:
    """Relative noise per dtype to add to a GPU-like test device's results, or None."""
    level = os.environ.get(PERTURB_ENV)
    if level and is_gpu(device) and not short_name(device).startswith("GPU"):
        return PERTURBATION[level]
    return None


def short_name(device: str) -> str:
    """'/job:localhost/replica:0/task:0/device:CPU:0' -> 'CPU:0'."""
    return device.rsplit("device:", 1)[-1]


def seed_everything(seed: int) -> None:
    """Seed Python's, NumPy's and TensorFlow's global generators."""
    import tensorflow as tf

    random.seed(seed)
    np.random.seed(seed % 2**32)
    tf.random.set_seed(seed)
