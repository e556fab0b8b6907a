"""Public checks of 01_tensors: small worked examples whose answers students can verify by
hand. The hidden checks compare with the reference on many more inputs."""

import numpy as np

from ..expect import tensor
from ..model import As, Case, Check

A = "01_tensors"

TABLE = np.asarray([[5, 12, 17, 9, 3], [13, 4, 8, 14, 1], [9, 6, 3, 7, 21]], dtype=np.int32)


def u8(values):
    return np.asarray(values, dtype=np.uint8)


CHECKS = (
    Check(
        id="table.public",
        assignment=A,
        function="table",
        points=1,
        visibility="public",
        description="the deck's 3x5 int32 table",
        cases=(Case(label="no arguments"),),
        expected=(tensor([[5, 12, 17, 9, 3], [13, 4, 8, 14, 1], [9, 6, 3, 7, 21]], "int32"),),
    ),
    Check(
        id="describe.public",
        assignment=A,
        function="describe",
        points=1,
        visibility="public",
        description="shape, rank, size and dtype as plain Python values",
        cases=(
            Case(args=(As("tensor", TABLE),), label="int32 tensor (3, 5)"),
            Case(args=(np.zeros((2, 3, 4)),), label="float64 NumPy array (2, 3, 4)"),
            Case(args=(As("tensor", np.asarray(3.5, np.float32)),), label="float32 scalar tensor"),
        ),
        expected=(
            {"shape": (3, 5), "rank": 2, "size": 15, "dtype": "int32"},
            {"shape": (2, 3, 4), "rank": 3, "size": 24, "dtype": "float64"},
            {"shape": (), "rank": 0, "size": 1, "dtype": "float32"},
        ),
    ),
    Check(
        id="pick.public",
        assignment=A,
        function="pick",
        points=1,
        visibility="public",
        description="single elements of the table, with positive and negative indices",
        cases=(
            Case(args=(As("tensor", TABLE), 0, 2), label="int32 tensor (3, 5), row 0, col 2"),
            Case(args=(As("tensor", TABLE), 1, 3), label="int32 tensor (3, 5), row 1, col 3"),
            Case(args=(As("tensor", TABLE), -1, -1), label="int32 tensor (3, 5), row -1, col -1"),
        ),
        expected=(tensor(17, "int32"), tensor(14, "int32"), tensor(21, "int32")),
    ),
    Check(
        id="column.public",
        assignment=A,
        function="column",
        points=1,
        visibility="public",
        description="columns of the table, with positive and negative indices",
        cases=(
            Case(args=(As("tensor", TABLE), 1), label="int32 tensor (3, 5), j = 1"),
            Case(args=(As("tensor", TABLE), -1), label="int32 tensor (3, 5), j = -1"),
        ),
        expected=(tensor([12, 4, 6], "int32"), tensor([3, 1, 21], "int32")),
    ),
    Check(
        id="first_image.public",
        assignment=A,
        function="first_image",
        points=1,
        visibility="public",
        description="the first image of a batch of two 2x3 images",
        cases=(
            Case(
                args=(As("tensor", u8([[[0, 10, 20], [30, 40, 50]], [[255, 1, 2], [3, 4, 5]]])),),
                label="uint8 tensor (2, 2, 3)",
            ),
        ),
        expected=(tensor([[0, 10, 20], [30, 40, 50]], "uint8"),),
    ),
    Check(
        id="flatten_images.public",
        assignment=A,
        function="flatten_images",
        points=1,
        visibility="public",
        description="two 2x3 images become two rows of 6 pixels, read row by row",
        cases=(
            Case(
                args=(As("tensor", u8([[[0, 10, 20], [30, 40, 50]], [[255, 1, 2], [3, 4, 5]]])),),
                label="uint8 tensor (2, 2, 3)",
            ),
        ),
        expected=(tensor([[0, 10, 20, 30, 40, 50], [255, 1, 2, 3, 4, 5]], "uint8"),),
    ),
    Check(
        id="scale_pixels.public",
        assignment=A,
        function="scale_pixels",
        points=1,
        visibility="public",
        description="uint8 pixels divided by 255 as float32",
        cases=(
            Case(args=(As("tensor", u8([[0, 51, 255], [102, 204, 153]])),), label="uint8 tensor (2, 3)"),
            Case(args=(u8([[[0, 51], [102, 153]]]),), label="uint8 NumPy array (1, 2, 2)"),
        ),
        expected=(
            tensor([[0.0, 0.2, 1.0], [0.4, 0.8, 0.6]], "float32"),
            tensor([[[0.0, 0.2], [0.4, 0.6]]], "float32"),
        ),
    ),
    Check(
        id="column_means.public",
        assignment=A,
        function="column_means",
        points=1,
        visibility="public",
        description="float32 column means of the int32 table and of a float64 array",
        cases=(
            Case(args=(As("tensor", TABLE),), label="int32 tensor (3, 5)"),
            Case(args=(np.asarray([[1.0, 2.0], [3.0, 5.0]]),), label="float64 NumPy array (2, 2)"),
        ),
        expected=(
            tensor([9.0, 7.3333335, 9.333333, 10.0, 8.333333], "float32"),
            tensor([2.0, 3.5], "float32"),
        ),
    ),
    Check(
        id="stack.public",
        assignment=A,
        function="stack",
        points=1,
        visibility="public",
        description="K matrices of shape (R, C) stacked into (K, R, C)",
        cases=(
            Case(
                args=(
                    [
                        As("tensor", np.asarray([[1, 2], [3, 4]], np.int32)),
                        As("tensor", np.asarray([[5, 6], [7, 8]], np.int32)),
                    ],
                ),
                label="two int32 tensors (2, 2)",
            ),
            Case(
                args=(
                    [
                        np.asarray([[1.0, 2.0]], np.float32),
                        np.asarray([[3.0, 4.0]], np.float32),
                        np.asarray([[5.0, 6.0]], np.float32),
                    ],
                ),
                label="three float32 NumPy arrays (1, 2)",
            ),
        ),
        expected=(
            tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]], "int32"),
            tensor([[[1.0, 2.0]], [[3.0, 4.0]], [[5.0, 6.0]]], "float32"),
        ),
    ),
)
