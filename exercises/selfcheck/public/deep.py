"""Public checks of 07_deep: small worked examples. The hidden checks compare with the
reference on many more inputs and check that the notebook's recipe learns the circles."""

from ..expect import f32, raises, tensor, variable
from ..model import As, Case, Check

A = "07_deep"


# A small network for the worked examples: layer_sizes [2, 3, 1].
W0 = f32([[1, -1, 0], [0, 1, 1]])
B0 = f32([0, 0, -1])
W1 = f32([[1], [1], [-1]])
B1 = f32([0])
X = f32([[1, 2], [0, 0]])  # x @ W0 + B0 = [[1, 1, 1], [0, 0, -1]]

CHECKS = (
    Check(
        id="init_params.public",
        assignment=A,
        function="init_params",
        points=1,
        visibility="public",
        description="layer_sizes [2, 3, 1] and seed 0: two (W, b) pairs of tf.Variables",
        protocol="layer_params",
        cases=(Case(args=([2, 3, 1], 0), label="layer_sizes [2, 3, 1], seed 0"),),
        expected=(
            {
                "weights": [
                    variable(
                        [
                            [-0.6331334114074707, 0.4513453245162964, 0.6574059724807739],
                            [0.5932761430740356, -0.2440900206565857, 0.8114168643951416],
                        ],
                        "float32",
                    ),
                    variable(
                        [[-1.02347993850708], [-0.22221755981445312], [-0.26164311170578003]], "float32"
                    ),
                ],
                "biases": [variable([0.0, 0.0, 0.0], "float32"), variable([0.0], "float32")],
            },
        ),
    ),
    Check(
        id="dense.public",
        assignment=A,
        function="dense",
        points=1,
        visibility="public",
        description="x @ W + b with no activation, relu and sigmoid; another activation raises ValueError",
        cases=(
            Case(args=(As("tensor", X), As("tensor", W0), As("tensor", B0)), label="no activation"),
            Case(args=(As("tensor", X), As("tensor", W0), As("tensor", B0), "relu"), label="relu"),
            Case(
                args=(As("tensor", X), As("tensor", W0), As("tensor", B0)),
                kwargs={"activation": "sigmoid"},
                label="sigmoid",
            ),
            Case(
                args=(As("tensor", X), As("tensor", W0), As("tensor", B0)),
                kwargs={"activation": "tanh"},
                label="activation 'tanh'",
            ),
        ),
        expected=(
            tensor([[1.0, 1.0, 1.0], [0.0, 0.0, -1.0]], "float32"),
            tensor([[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]], "float32"),
            tensor(
                [
                    [0.7310585975646973, 0.7310585975646973, 0.7310585975646973],
                    [0.5, 0.5, 0.2689414322376251],
                ],
                "float32",
            ),
            raises("ValueError"),
        ),
    ),
    Check(
        id="forward.public",
        assignment=A,
        function="forward",
        points=1,
        visibility="public",
        description="relu after the first layer, sigmoid after the last: sigmoid(1) and sigmoid(0)",
        cases=(
            Case(
                args=(
                    As("tensor", X),
                    [(As("variable", W0), As("variable", B0)), (As("variable", W1), As("variable", B1))],
                ),
                label="layer_sizes [2, 3, 1], x (2, 2)",
            ),
        ),
        expected=(tensor([[0.7310585975646973], [0.5]], "float32"),),
    ),
    Check(
        id="train_step.public",
        assignment=A,
        function="train_step",
        points=1,
        visibility="public",
        description="two steps at learning rate 1: the losses returned and every updated W and b",
        protocol="network_training_steps",
        cases=(
            Case(
                args=(
                    As("tensor", f32([[2], [1]])),
                    As("tensor", f32([[1], [0]])),
                    [(f32([[0]]), f32([0]))],
                    1.0,
                ),
                options={"steps": 2},
                label="one layer, x (2, 1), 2 steps",
            ),
            Case(
                args=(
                    As("tensor", f32([[1, 2], [1, -1]])),
                    As("tensor", f32([[0], [1]])),
                    [(W0, B0), (W1, B1)],
                    1.0,
                ),
                options={"steps": 2},
                label="layer_sizes [2, 3, 1], x (2, 2), 2 steps",
            ),
        ),
        expected=(
            {
                "losses": [tensor(0.25, "float32"), tensor(0.23693639039993286, "float32")],
                "params": [
                    (
                        variable([[0.20824162662029266]], "float32"),
                        variable([-0.02452164888381958], "float32"),
                    )
                ],
            },
            {
                "losses": [tensor(0.3033880591392517, "float32"), tensor(0.045576535165309906, "float32")],
                "params": [
                    (
                        variable(
                            [
                                [0.9475986361503601, -1.1548439264297485, 0.1585734784603119],
                                [-0.4141883850097656, 0.6903122663497925, 1.317146897315979],
                            ],
                            "float32",
                        ),
                        variable(
                            [-0.052401356399059296, -0.15484389662742615, -0.8414265513420105], "float32"
                        ),
                    ),
                    (
                        variable(
                            [[0.9713987708091736], [0.8544800877571106], [-1.1678974628448486]], "float32"
                        ),
                        variable([-0.048558108508586884], "float32"),
                    ),
                ],
            },
        ),
    ),
    Check(
        id="train.public",
        assignment=A,
        function="train",
        points=1,
        visibility="public",
        description="three steps of a [2, 2, 1] network from init_params([2, 2, 1], 0)",
        cases=(
            Case(
                args=(
                    As("tensor", f32([[1, 0.5], [-1, 1], [0.5, -1], [-1, -0.5]])),
                    As("tensor", f32([[0], [1], [1], [0]])),
                    [2, 2, 1],
                    3,
                    1.0,
                    0,
                ),
                label="x (4, 2), layer_sizes [2, 2, 1], 3 steps, learning_rate 1, seed 0",
            ),
        ),
        expected=(
            (
                [
                    (
                        variable(
                            [
                                [-0.6685231328010559, 0.6063324809074402],
                                [0.4520430266857147, 0.6334714293479919],
                            ],
                            "float32",
                        ),
                        variable([-0.03934154286980629, -0.005870921537280083], "float32"),
                    ),
                    (
                        variable([[-0.9959120750427246], [-0.37557461857795715]], "float32"),
                        variable([0.05900219827890396], "float32"),
                    ),
                ],
                tensor([0.33374470472335815, 0.3186034858226776, 0.3017536699771881], "float32"),
            ),
        ),
    ),
    Check(
        id="keras_model.public",
        assignment=A,
        function="keras_model",
        points=1,
        visibility="public",
        description="keras_model([2, 3, 1]): its layers, and after set_weights the outputs of forward",
        protocol="keras_model_with_weights",
        cases=(
            Case(
                args=([2, 3, 1],),
                options={"weights": [W0, B0, W1, B1], "x": X},
                label="layer_sizes [2, 3, 1]",
            ),
        ),
        expected=(
            {
                "structure": {"input_width": 2, "layers": [("Dense", 3, "relu"), ("Dense", 1, "sigmoid")]},
                "outputs": tensor([[0.7310585975646973], [0.5]], "float32"),
            },
        ),
    ),
)
