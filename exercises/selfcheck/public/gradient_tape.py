"""Public checks of 06_gradient_tape: small worked examples. The hidden checks compare with
the reference on many more inputs and check that training separates the blobs."""

from ..expect import f32, raises, tensor, variable
from ..model import As, Case, Check

A = "06_gradient_tape"


CHECKS = (
    Check(
        id="make_blobs.public",
        assignment=A,
        function="make_blobs",
        points=1,
        visibility="public",
        description="two points per class for seed 0",
        cases=(Case(args=(2, 0), label="n_per_class=2, seed=0"),),
        expected=(
            (
                tensor(
                    [
                        [-0.04283313453197479, 2.8250620365142822],
                        [-0.6070723533630371, 2.4978277683258057],
                        [3.2831058502197266, 0.644700825214386],
                        [1.3971623182296753, -0.6557567119598389],
                    ],
                    "float32",
                ),
                tensor([[0.0], [0.0], [1.0], [1.0]], "float32"),
            ),
        ),
    ),
    Check(
        id="gradients.public",
        assignment=A,
        function="gradients",
        points=1,
        visibility="public",
        description="GradientTape gradients at w = 0, b = 0",
        cases=(
            Case(
                args=(
                    As("tensor", f32([[1, 2], [3, 4]])),
                    As("tensor", f32([[1], [0]])),
                    As("variable", f32([[0], [0]])),
                    As("variable", f32([0])),
                ),
                label="float32, x (2, 2)",
            ),
        ),
        expected=((tensor([[-1.0], [-2.0]], "float32"), tensor([-1.0], "float32")),),
    ),
    Check(
        id="minimize_loss.public",
        assignment=A,
        function="minimize_loss",
        points=1,
        visibility="public",
        description="two training steps: the losses returned and the updated w and b",
        protocol="training_steps",
        cases=(
            Case(
                args=(
                    As("tensor", f32([[1], [2]])),
                    As("tensor", f32([[2], [4]])),
                    f32([[0]]),
                    f32([0]),
                    0.1,
                ),
                options={"steps": 2},
                label="float32, x (2, 1), learning_rate 0.1, 2 steps",
            ),
        ),
        expected=(
            {
                "losses": [tensor(10.0, "float32"), tensor(1.06, "float32")],
                "w": variable([[1.32]], "float32"),
                "b": variable([0.78], "float32"),
            },
        ),
    ),
    Check(
        id="train.public",
        assignment=A,
        function="train",
        points=1,
        visibility="public",
        description="three steps from zero weights",
        cases=(
            Case(
                args=(As("tensor", f32([[1], [2]])), As("tensor", f32([[2], [4]])), 3, 0.1),
                label="float32, x (2, 1), 3 steps, learning_rate 0.1",
            ),
        ),
        expected=(
            (
                variable([[1.426]], "float32"),
                variable([0.828], "float32"),
                tensor([10.0, 1.06, 0.1732], "float32"),
            ),
        ),
    ),
    Check(
        id="accuracy.public",
        assignment=A,
        function="accuracy",
        points=1,
        visibility="public",
        description="labels shaped (N,) against scores shaped (N, 1)",
        cases=(Case(args=(f32([0, 1, 1, 0]), f32([[0.2], [0.7], [0.4], [0.9]])), label="N = 4"),),
        expected=(0.5,),
    ),
    Check(
        id="decision_line.public",
        assignment=A,
        function="decision_line",
        points=1,
        visibility="public",
        description="slope and intercept of the boundary; a vertical boundary raises ValueError",
        cases=(
            Case(args=(f32([[1], [2]]), f32([0.5])), label="w = (1, 2), b = 0.5"),
            Case(args=(f32([[1], [2]]), f32([0.5])), kwargs={"threshold": 1.5}, label="threshold 1.5"),
            Case(args=(f32([[1], [0]]), f32([0.5])), label="w1 = 0"),
        ),
        expected=((-0.5, 0.0), (-0.5, 0.5), raises("ValueError")),
    ),
)
