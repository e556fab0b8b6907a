"""Public checks of 04_data: small worked examples whose answers students can verify by
hand. The hidden checks compare with the reference on many more inputs."""

from ..expect import f32, f64, tensor
from ..model import As, Case, Check

A = "04_data"

HEADER = "age,secondary_marks,higher_secondary_marks,admission\n"
DECK_TABLE = [[20, 356, 471, 0], [18, 421, 405, 1], [19, 321, 300, 0], [18, 423, 400, 1]]


CHECKS = (
    Check(
        id="load_table.public",
        assignment=A,
        function="load_table",
        points=1,
        visibility="public",
        description="the deck's four rows from a CSV file, and a file with a single row",
        protocol="load_table_from_text",
        cases=(
            Case(
                args=(HEADER + "20,356,471,0\n18,421,405,1\n19,321,300,0\n18,423,400,1\n",),
                label="header and the deck's four rows",
            ),
            Case(args=(HEADER + "18,421,405,1",), label="header and one row, no final newline"),
        ),
        expected=(tensor(DECK_TABLE, "float32"), tensor([[18, 421, 405, 1]], "float32")),
    ),
    Check(
        id="split_features_labels.public",
        assignment=A,
        function="split_features_labels",
        points=1,
        visibility="public",
        description="every column but the last are the features, the last column is the label",
        cases=(
            Case(args=(As("tensor", f32(DECK_TABLE)),), label="the deck's table, float32 (4, 4)"),
            Case(args=(f64([[1.5, 1.0], [2.5, 0.0]]),), label="float64 NumPy array (2, 2)"),
        ),
        expected=(
            (
                tensor([[20, 356, 471], [18, 421, 405], [19, 321, 300], [18, 423, 400]], "float32"),
                tensor([0, 1, 0, 1], "float32"),
            ),
            (tensor([[1.5], [2.5]], "float64"), tensor([1.0, 0.0], "float64")),
        ),
    ),
    Check(
        id="standardize.public",
        assignment=A,
        function="standardize",
        points=1,
        visibility="public",
        description="z-scores with the population std; a constant column gets std 1.0",
        cases=(
            Case(
                args=(As("tensor", f32([[1, 10], [3, 10]])),), label="float32 (2, 2), second column constant"
            ),
            Case(
                args=(f64([[2], [4], [4], [4], [5], [5], [7], [9]]),), label="float64 (8, 1): mean 5, std 2"
            ),
        ),
        expected=(
            (tensor([[-1, 0], [1, 0]], "float32"), tensor([2, 10], "float32"), tensor([1, 1], "float32")),
            (
                tensor([[-1.5], [-0.5], [-0.5], [-0.5], [0.0], [0.0], [1.0], [2.0]], "float64"),
                tensor([5.0], "float64"),
                tensor([2.0], "float64"),
            ),
        ),
    ),
    Check(
        id="apply_standardize.public",
        assignment=A,
        function="apply_standardize",
        points=1,
        visibility="public",
        description="(features - mean) / std, column by column",
        cases=(
            Case(
                args=(
                    As("tensor", f32([[4, 10], [0, 12]])),
                    As("tensor", f32([2, 10])),
                    As("tensor", f32([2, 1])),
                ),
                label="float32, features (2, 2)",
            ),
        ),
        expected=(tensor([[1, 0], [-1, 2]], "float32"),),
    ),
    Check(
        id="train_test_split.public",
        assignment=A,
        function="train_test_split",
        points=1,
        visibility="public",
        description="default_rng(0).permutation(5) is [2, 4, 3, 0, 1]: test rows 2, 4; train rows 3, 0, 1",
        cases=(
            Case(
                args=(
                    As("tensor", f32([[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]])),
                    As("tensor", f32([0, 1, 2, 3, 4])),
                    0.4,
                    0,
                ),
                label="float32, features (5, 2), test_fraction 0.4, seed 0",
            ),
        ),
        expected=(
            (
                tensor([[6, 7], [0, 1], [2, 3]], "float32"),
                tensor([[4, 5], [8, 9]], "float32"),
                tensor([3, 0, 1], "float32"),
                tensor([2, 4], "float32"),
            ),
        ),
    ),
    Check(
        id="make_batches.public",
        assignment=A,
        function="make_batches",
        points=1,
        visibility="public",
        description="a tf.data.Dataset of (x, y) batches in row order, the last smaller batch kept",
        protocol="dataset_batches",
        cases=(
            Case(
                args=(As("tensor", f32([[0], [1], [2], [3], [4]])), As("tensor", f32([0, 1, 0, 1, 0])), 2),
                label="float32, features (5, 1), batch_size 2",
            ),
        ),
        expected=(
            [
                (tensor([[0], [1]], "float32"), tensor([0, 1], "float32")),
                (tensor([[2], [3]], "float32"), tensor([0, 1], "float32")),
                (tensor([[4]], "float32"), tensor([0], "float32")),
            ],
        ),
    ),
)
