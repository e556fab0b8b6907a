"""nbgrader configuration of the kit: run nbgrader from the folder that holds this file
(the repository root, or a course folder with a copy of it and of source/)."""

import os

c = get_config()  # noqa: F821 (defined by nbgrader when it loads this file)

c.CourseDirectory.course_id = "hello-tensorflow"

# Kernels inherit this environment: TensorFlow's C++ start-up logging would otherwise write
# to stderr, and nbgrader gives 0 points to a grade cell with any stderr output.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("MPLBACKEND", "Agg")

# The lines TensorFlow prints before its logging is configured cannot be silenced by the
# environment; remove them from cell outputs before grades are computed.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = (
    r"absl::InitializeLog|cudart_stub\.cc|cuda_(dnn|fft|blas)\.cc|Unable to register cu(DNN|FFT|BLAS)"
    r"|oneDNN custom operations|This TensorFlow binary is optimized|TF-TRT Warning"
    r"|computation_placer\.cc|cpu_feature_guard\.cc"
)

# The first hidden grade cell of a notebook grades the whole notebook in separate processes
# (a TensorFlow import for the reference and one for the submission): allow for it.
c.Execute.timeout = 300
