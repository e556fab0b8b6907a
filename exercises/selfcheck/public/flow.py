"""Public checks of 02_flow: small worked examples whose answers students can verify by
hand (or by reading the notebook). The functions handed to to_graph, graph_op_types,
graph_edges and count_traces are those of selfcheck.protocols.flow."""

import numpy as np

from ..expect import f32, tensor
from ..model import As, Case, Check

A = "02_flow"


AFFINE_SPECS = (((None, 2), "float32", "x"), ((2, 3), "float32", "w"), ((3,), "float32", "b"))

CHECKS = (
    Check(
        id="affine.public",
        assignment=A,
        function="affine",
        points=1,
        visibility="public",
        description="x @ w + b on two small examples",
        cases=(
            Case(
                args=(
                    As("tensor", f32([[1, 2], [3, 4], [5, 6]])),
                    As("tensor", f32([[1, 0, 2], [0, 1, -1]])),
                    As("tensor", f32([0.5, -0.5, 0])),
                ),
                label="float32 tensors, x (3, 2), w (2, 3)",
            ),
            Case(
                args=(np.asarray([[2.0, -1.0]]), np.asarray([[1.0], [3.0]]), np.asarray([0.25])),
                label="float64 NumPy arrays, x (1, 2), w (2, 1)",
            ),
        ),
        expected=(
            tensor([[1.5, 1.5, 0.0], [3.5, 3.5, 2.0], [5.5, 5.5, 4.0]], "float32"),
            tensor([[-0.75]], "float64"),
        ),
    ),
    Check(
        id="to_graph.public",
        assignment=A,
        function="to_graph",
        points=1,
        visibility="public",
        description="returns a tf.function (PolymorphicFunction) giving the same values",
        protocol="wrap_and_call",
        cases=(
            Case(
                args=(As("tensor", f32([[1, 2]])), As("tensor", f32([[1], [1]])), As("tensor", f32([0.5]))),
                options={"fn": "affine_like"},
                label="affine_like, float32 x (1, 2)",
            ),
            Case(
                args=(As("tensor", f32([3, 4])),),
                options={"fn": "clip_to_unit_length"},
                label="clip_to_unit_length (a Python if on a tensor), float32 (2,)",
            ),
        ),
        expected=(
            {"is_tf_function": True, "values": tensor([[3.5]], "float32")},
            {"is_tf_function": True, "values": tensor([0.6, 0.8], "float32")},
        ),
    ),
    Check(
        id="graph_op_types.public",
        assignment=A,
        function="graph_op_types",
        points=1,
        visibility="public",
        description="the op types of traced graphs, in graph order",
        protocol="trace_with_specs",
        cases=(
            Case(
                options={"fn": "affine_like", "specs": AFFINE_SPECS},
                label="affine_like, specs x (None, 2), w (2, 3), b (3,)",
            ),
            Case(
                options={"fn": "scale_and_shift", "specs": (((3,), "float32", "x"),)},
                label="scale_and_shift, spec x (3,)",
            ),
        ),
        expected=(
            ["Placeholder", "Placeholder", "Placeholder", "MatMul", "AddV2", "Identity"],
            ["Placeholder", "Const", "Mul", "Const", "AddV2", "Identity"],
        ),
    ),
    Check(
        id="graph_edges.public",
        assignment=A,
        function="graph_edges",
        points=1,
        visibility="public",
        description="the set of (producer, consumer) op names of traced graphs",
        protocol="trace_edges_with_specs",
        cases=(
            Case(
                options={"fn": "affine_like", "specs": AFFINE_SPECS},
                label="affine_like, specs x (None, 2), w (2, 3), b (3,)",
            ),
            Case(
                options={"fn": "sum_and_product", "specs": (((2,), "float32", "x"), ((2,), "float32", "y"))},
                label="sum_and_product, specs x (2,), y (2,)",
            ),
        ),
        expected=(
            {
                "type": "set",
                "edges": [
                    ("add", "Identity"),
                    ("b", "add"),
                    ("matmul", "add"),
                    ("w", "matmul"),
                    ("x", "matmul"),
                ],
            },
            {
                "type": "set",
                "edges": [
                    ("add", "Identity"),
                    ("mul", "Identity_1"),
                    ("x", "add"),
                    ("x", "mul"),
                    ("y", "add"),
                    ("y", "mul"),
                ],
            },
        ),
    ),
    Check(
        id="count_traces.public",
        assignment=A,
        function="count_traces",
        points=1,
        visibility="public",
        description="one trace per new shape, dtype or Python value",
        protocol="count_with_calls",
        cases=(
            Case(
                args=(
                    [
                        (As("tensor", f32([1, 2])),),
                        (As("tensor", f32([3, 4])),),
                        (As("tensor", f32([5, 6])),),
                    ],
                ),
                options={"fn": "centered_square"},
                label="3 calls, float32 tensors of one shape",
            ),
            Case(
                args=(
                    [
                        (As("tensor", f32([1, 2])),),
                        (As("tensor", f32([1, 2, 3])),),
                        (As("tensor", f32([4, 5])),),
                        (As("tensor", np.asarray([1.0, 2.0])),),
                    ],
                ),
                options={"fn": "centered_square"},
                label="4 calls, shapes (2,), (3,), (2,) and a float64 (2,)",
            ),
            Case(
                args=(
                    [
                        (As("tensor", f32([1, 2])), 2.0),
                        (As("tensor", f32([1, 2])), 3.0),
                        (As("tensor", f32([1, 2])), 2.0),
                    ],
                ),
                options={"fn": "scale"},
                label="3 calls, a tensor and the Python floats 2.0, 3.0, 2.0",
            ),
        ),
        expected=(1, 3, 2),
    ),
)
