"""Public checks of 05_loss: small worked examples whose answers students can verify by
hand. The hidden checks compare with the reference on many more inputs."""

from ..expect import f32, f64, raises, tensor
from ..model import As, Case, Check

A = "05_loss"


CHECKS = (
    Check(
        id="predict.public",
        assignment=A,
        function="predict",
        points=1,
        visibility="public",
        description="x @ w + b on two small examples",
        cases=(
            Case(
                args=(
                    As("tensor", f32([[1, 2], [3, 4], [5, 6]])),
                    As("tensor", f32([[0.5], [-1]])),
                    As("tensor", f32([2])),
                ),
                label="float32 tensors, x (3, 2)",
            ),
            Case(
                args=(f64([[1.0], [2.0]]), f64([[3.0]]), f64([-1.0])), label="float64 NumPy arrays, x (2, 1)"
            ),
        ),
        expected=(tensor([[0.5], [-0.5], [-1.5]], "float32"), tensor([[2.0], [5.0]], "float64")),
    ),
    Check(
        id="mean_squared_error.public",
        assignment=A,
        function="mean_squared_error",
        points=1,
        visibility="public",
        description="the mean of squared errors; unequal shapes raise ValueError",
        cases=(
            Case(
                args=(As("tensor", f32([1, 2, 3])), As("tensor", f32([1, 2, 5]))), label="float32, shape (3,)"
            ),
            Case(args=(f64([[0], [0]]), f64([[1], [3]])), label="float64, shape (2, 1)"),
            Case(
                args=(As("tensor", f32([1, 2, 3])), As("tensor", f32([[1], [2], [3]]))),
                label="y_true (3,) against y_pred (3, 1)",
            ),
        ),
        expected=(tensor(4.0 / 3.0, "float32"), tensor(5.0, "float64"), raises("ValueError")),
    ),
    Check(
        id="mse_gradients.public",
        assignment=A,
        function="mse_gradients",
        points=1,
        visibility="public",
        description="dw = (2/N) x^T e and db = (2/N) sum(e) on a small example",
        cases=(
            Case(args=(f64([[1], [2]]), f64([[1], [2]]), f64([[0]]), f64([0])), label="float64, x (2, 1)"),
        ),
        expected=((tensor([[-5.0]], "float64"), tensor([-3.0], "float64")),),
    ),
    Check(
        id="numeric_gradient.public",
        assignment=A,
        function="numeric_gradient",
        points=1,
        visibility="public",
        description="central differences of f(v) = sum(c * sin(v) + v**3 / 3)",
        protocol="numeric_gradient_of_test_function",
        cases=(Case(args=(f64([1.0, 2.0]), As("tensor", f64([0.0, 0.5]))), label="float64, w (2,)"),),
        expected=(tensor([1.0000001666666258, 2.0051651645865975], "float64"),),
    ),
)
