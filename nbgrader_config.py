"""nbgrader configuration of the kit: run nbgrader from the folder that holds this file
(the repository root, or a course folder with a copy of it and of source/)."""

import os

c = get_config()

c.CourseDirectory.course_id = "hello-tensorflow"

# What nbgrader releases next to each source notebook and the repository does not track (a
# copy of the public selfcheck package, the assignment's data files): written before any
# nbgrader command runs, so that a fresh clone or a copied course folder is ready.
from pathlib import Path

from graders.instructor.build import write_release_files

_course = Path(globals().get("__file__", "nbgrader_config.py")).resolve().parent
if (_course / "source").is_dir():
    write_release_files(_course)

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

# Outside autograde (an instructor running a source notebook, `nbgrader validate`), the first
# hidden grade cell grades the whole notebook in separate processes (a TensorFlow import for
# the reference and one for the submission): allow for it, and for the notebooks' training.
c.Execute.timeout = 300

# The notebook runs in a kernel the kit contains as it contains its own grading (see
# graders/instructor/provisioner.py): a root holding only the Python environment and the
# public selfcheck package, a throwaway copy of the submission's folder, no network, no
# course files (solutions, gradebook, other students), a user id and PID namespace of its
# own; forked from a server that has imported TensorFlow already. A cell past the timeout
# ends that kernel and everything it started. `nbgrader validate` keeps an ordinary kernel.
# Files handed in as symbolic links are not copied, nor notebooks read through them.
#
# The kernel still runs the student's code: it could patch the check functions and forge
# what a check cell prints. The kit's check cells are graded outside it, by the contained
# grader, whose outcome replaces their outputs before nbgrader saves the grades. In the
# kernel those cells then skip their own grading.
from nbgrader.converters import Autograde
from nbgrader.preprocessors import Execute, IgnorePattern, SaveAutoGrades

from graders.instructor.autograde import ContainedGrades
from graders.instructor.execute import ContainedExecute
from graders.instructor.submissions import refuse_links
from selfcheck.graded import OUTSIDE_KERNEL

os.environ[OUTSIDE_KERNEL] = "1"
refuse_links()
# nbgrader's own list, with its Execute in the contained kernel, and the kit's step after the
# output clean-up, before grades are saved
_steps = Autograde.class_traits()["autograde_preprocessors"].default()
_steps[_steps.index(Execute)] = ContainedExecute
_steps.insert(_steps.index(IgnorePattern) + 1, ContainedGrades)
assert _steps.index(ContainedGrades) < _steps.index(SaveAutoGrades)
c.Autograde.autograde_preprocessors = _steps

# Feedback pages: nbconvert's HTML, without re-serialising each page (half of generate_feedback's time).
c.GenerateFeedback.exporter_class = "graders.instructor.feedback_exporter.FeedbackExporter"
