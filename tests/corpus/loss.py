"""Mutants and alternates of 05_loss."""

from corpus.variant import Variant

CALLERS = {"predict": ("mse_gradients",)}

MUTANTS = (
    Variant("predict", "bias ignored", replace=(("return x @ w + b", "return x @ w"),)),
    Variant(
        "predict", "weights transposed", replace=(("return x @ w + b", "return x @ tf.transpose(w) + b"),)
    ),
    Variant(
        "predict",
        "elementwise product summed over the wrong axis",
        replace=(("return x @ w + b", "return tf.reduce_sum(x * tf.transpose(w), axis=0) + b"),),
    ),
    Variant(
        "predict", "float32 forced", replace=(("x = tf.convert_to_tensor(x)", "x = tf.cast(x, tf.float32)"),)
    ),
    Variant(
        "predict", "NumPy result returned", replace=(("return x @ w + b", "return (x @ w + b).numpy()"),)
    ),
    Variant(
        "predict",
        "graph-unsafe NumPy conversion",
        replace=(("return x @ w + b", "return tf.constant(x.numpy() @ w.numpy() + b.numpy())"),),
    ),
    Variant("mean_squared_error", "sum instead of mean", replace=(("tf.reduce_mean(", "tf.reduce_sum("),)),
    Variant(
        "mean_squared_error", "no square", replace=(("tf.square(y_true - y_pred)", "(y_true - y_pred)"),)
    ),
    Variant(
        "mean_squared_error",
        "absolute error",
        replace=(("tf.square(y_true - y_pred)", "tf.abs(y_true - y_pred)"),),
    ),
    Variant(
        "mean_squared_error",
        "root of the mean (RMSE)",
        replace=(
            (
                "return tf.reduce_mean(tf.square(y_true - y_pred))",
                "return tf.sqrt(tf.reduce_mean(tf.square(y_true - y_pred)))",
            ),
        ),
    ),
    Variant(
        "mean_squared_error",
        "broadcasts (N,) against (N, 1)",
        replace=(
            (
                "if y_true.shape != y_pred.shape:",
                "if y_true.shape.rank == y_pred.shape.rank and y_true.shape != y_pred.shape:",
            ),
        ),
    ),
    Variant(
        "mean_squared_error",
        "mean over the first axis only",
        replace=(
            (
                "tf.reduce_mean(tf.square(y_true - y_pred))",
                "tf.reduce_mean(tf.reduce_sum(tf.square(y_true - y_pred), axis=-1))",
            ),
        ),
    ),
    Variant(
        "mean_squared_error",
        "y_true not cast (float64 labels make float64 loss)",
        replace=(
            (
                "y_true = tf.cast(tf.convert_to_tensor(y_true), y_pred.dtype)",
                "y_true = tf.convert_to_tensor(y_true)\n    y_pred = tf.cast(y_pred, y_true.dtype)",
            ),
        ),
    ),
    Variant(
        "mean_squared_error",
        "message without the shapes",
        source="""def mean_squared_error(y_true, y_pred):
    y_pred = tf.convert_to_tensor(y_pred)
    y_true = tf.cast(tf.convert_to_tensor(y_true), y_pred.dtype)
    if y_true.shape != y_pred.shape:
        raise ValueError("shapes differ")
    return tf.reduce_mean(tf.square(y_true - y_pred))
""",
    ),
    Variant(
        "mean_squared_error",
        "NumPy inside: not differentiable",
        replace=(
            (
                "return tf.reduce_mean(tf.square(y_true - y_pred))",
                "return tf.constant(np.mean((y_true.numpy() - y_pred.numpy()) ** 2), y_pred.dtype)",
            ),
        ),
    ),
    Variant(
        "mean_squared_error",
        "Keras loss instead of tensor ops",
        source="""def mean_squared_error(y_true, y_pred):
    y_pred = tf.convert_to_tensor(y_pred)
    y_true = tf.cast(y_true, y_pred.dtype)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"{y_true.shape} vs {y_pred.shape}")
    return tf.keras.losses.MeanSquaredError(reduction="sum_over_batch_size")(
        tf.reshape(y_true, [-1, 1]), tf.reshape(y_pred, [-1, 1]))
""",
    ),
    Variant(
        "mse_gradients",
        "GradientTape instead of the derivation",
        source="""def mse_gradients(x, y, w, b):
    x = tf.convert_to_tensor(x)
    y = tf.cast(y, x.dtype)
    w, b = tf.convert_to_tensor(w, x.dtype), tf.convert_to_tensor(b, x.dtype)
    pred = predict(x, w, b)
    if y.shape != pred.shape:
        raise ValueError(f"y {y.shape} vs predictions {pred.shape}")
    with tf.GradientTape() as tape:
        tape.watch([w, b])
        loss = tf.reduce_mean(tf.square(predict(x, w, b) - y))
    return tuple(tape.gradient(loss, [w, b]))
""",
    ),
    Variant("mse_gradients", "gradient sign flipped", replace=(("e = pred - y", "e = y - pred"),)),
    Variant(
        "mse_gradients",
        "missing 2/N",
        replace=(("dw = (2.0 / n) * ", "dw = "), ("db = (2.0 / n) * ", "db = ")),
    ),
    Variant("mse_gradients", "1/N instead of 2/N", replace=(("(2.0 / n)", "(1.0 / n)"),)),
    Variant("mse_gradients", "db not summed over the batch", replace=(("tf.reduce_sum(e, axis=0)", "e[0]"),)),
    Variant(
        "mse_gradients",
        "transposed dw",
        replace=(
            ("dw = (2.0 / n) * tf.transpose(x) @ e", "dw = tf.transpose((2.0 / n) * tf.transpose(x) @ e)"),
        ),
    ),
    Variant(
        "mse_gradients",
        "y (N,) accepted and broadcast",
        replace=(("if y.shape != pred.shape:", "if False:"),),
    ),
    Variant(
        "numeric_gradient",
        "one-sided difference",
        replace=(
            (
                "(f_plus - f_minus) / (2.0 * eps)",
                "(f_plus - tf.cast(f(tf.reshape(flat, tf.shape(w))), w.dtype)) / eps",
            ),
        ),
    ),
    Variant("numeric_gradient", "divides by eps, not 2 eps", replace=(("/ (2.0 * eps)", "/ eps"),)),
    Variant(
        "numeric_gradient", "eps ignored", replace=(("* eps\n", "* 1e-3\n"), ("(2.0 * eps)", "(2.0 * 1e-3)"))
    ),
    Variant(
        "numeric_gradient",
        "flattened result",
        replace=(("return tf.reshape(tf.stack(slopes), tf.shape(w))", "return tf.stack(slopes)"),),
    ),
    # A vector where a scalar belongs and the reverse, reductions over the wrong axis, and odd
    # values; each names the check that must catch it.
    Variant(
        "predict",
        "predictions flattened to (N,)",
        replace=(("return x @ w + b", "return tf.reshape(x @ w + b, [-1])"),),
        caught_by=("predict.values",),
    ),
    Variant(
        "mean_squared_error",
        "mean over the last axis only: one value per row",
        replace=(("tf.square(y_true - y_pred))", "tf.square(y_true - y_pred), axis=-1)"),),
        caught_by=("mean_squared_error.values",),
    ),
    Variant(
        "mean_squared_error",
        "mean over axis 0: one value per column",
        replace=(("tf.square(y_true - y_pred))", "tf.square(y_true - y_pred), axis=0)"),),
        caught_by=("mean_squared_error.values",),
    ),
    Variant(
        "mean_squared_error",
        "keepdims=True: shape (1, 1) for a column",
        replace=(("tf.square(y_true - y_pred))", "tf.square(y_true - y_pred), keepdims=True)"),),
        caught_by=("mean_squared_error.values",),
    ),
    Variant(
        "mean_squared_error",
        "return forgotten: None",
        replace=(("    return tf.reduce_mean(", "    loss = tf.reduce_mean("),),
        caught_by=("mean_squared_error.values",),
    ),
    Variant(
        "mean_squared_error",
        "the loss as a string",
        replace=(
            (
                "return tf.reduce_mean(tf.square(y_true - y_pred))",
                "return str(tf.reduce_mean(tf.square(y_true - y_pred)).numpy())",
            ),
        ),
        caught_by=("mean_squared_error.values",),
    ),
    Variant(
        "mean_squared_error",
        "a generator of squared errors",
        replace=(
            (
                "return tf.reduce_mean(tf.square(y_true - y_pred))",
                "return (e for e in tf.reshape(tf.square(y_true - y_pred), [-1]))",
            ),
        ),
        caught_by=("mean_squared_error.values",),
    ),
    Variant(
        "mean_squared_error",
        "an empty tensor",
        replace=(
            ("return tf.reduce_mean(tf.square(y_true - y_pred))", "return tf.zeros((0,), y_pred.dtype)"),
        ),
        caught_by=("mean_squared_error.values",),
    ),
    Variant(
        "mean_squared_error",
        "a bool tensor (is the loss positive?)",
        replace=(
            (
                "return tf.reduce_mean(tf.square(y_true - y_pred))",
                "return tf.reduce_mean(tf.square(y_true - y_pred)) > 0",
            ),
        ),
        caught_by=("mean_squared_error.values",),
    ),
    Variant(
        "mean_squared_error",
        "a complex tensor",
        replace=(
            (
                "return tf.reduce_mean(tf.square(y_true - y_pred))",
                "return tf.cast(tf.reduce_mean(tf.square(y_true - y_pred)), tf.complex128)",
            ),
        ),
        caught_by=("mean_squared_error.values",),
    ),
    Variant(
        "mse_gradients",
        "db summed over axis 1: one value per point",
        replace=(("tf.reduce_sum(e, axis=0)", "tf.reduce_sum(e, axis=1)"),),
        caught_by=("mse_gradients.values",),
    ),
    Variant(
        "mse_gradients",
        "db summed to a scalar: shape () instead of (1,)",
        replace=(("tf.reduce_sum(e, axis=0)", "tf.reduce_sum(e)"),),
        caught_by=("mse_gradients.values",),
    ),
)

ALTERNATES = (
    Variant(
        "predict",
        "tf.matmul and tf.add",
        source="""def predict(x, w, b):
    x = tf.convert_to_tensor(x)
    return tf.add(tf.matmul(x, tf.cast(w, x.dtype)), tf.cast(b, x.dtype))
""",
    ),
    Variant(
        "predict",
        "einsum",
        source="""def predict(x, w, b):
    x = tf.convert_to_tensor(x)
    return tf.einsum("nd,dk->nk", x, tf.cast(w, x.dtype)) + tf.cast(b, x.dtype)
""",
    ),
    Variant(
        "predict",
        "tensordot",
        source="""def predict(x, w, b):
    x = tf.convert_to_tensor(x)
    return tf.tensordot(x, tf.cast(w, x.dtype), axes=1) + tf.cast(b, x.dtype)
""",
    ),
    Variant(
        "mean_squared_error",
        "sum divided by the size",
        source="""def mean_squared_error(y_true, y_pred):
    y_pred = tf.convert_to_tensor(y_pred)
    y_true = tf.cast(y_true, y_pred.dtype)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"shapes {y_true.shape} and {y_pred.shape} differ")
    diff = y_true - y_pred
    return tf.reduce_sum(diff * diff) / tf.cast(tf.size(diff), y_pred.dtype)
""",
    ),
    Variant(
        "mean_squared_error",
        "tf.math.squared_difference, list shapes in the message",
        source="""def mean_squared_error(y_true, y_pred):
    y_pred = tf.convert_to_tensor(y_pred)
    y_true = tf.cast(y_true, dtype=y_pred.dtype)
    if y_true.shape.as_list() != y_pred.shape.as_list():
        raise ValueError(f"cannot compare {y_true.shape.as_list()} with {y_pred.shape.as_list()}")
    return tf.math.reduce_mean(tf.math.squared_difference(y_true, y_pred))
""",
    ),
    Variant(
        "mse_gradients",
        "tf.matmul with transpose_a and a mean",
        source="""def mse_gradients(x, y, w, b):
    x = tf.convert_to_tensor(x)
    y = tf.cast(y, x.dtype)
    e = predict(x, w, b) - y
    if y.shape != e.shape:
        raise ValueError(f"y has shape {y.shape}, predictions {e.shape}")
    n = tf.cast(tf.shape(x)[0], x.dtype)
    return 2.0 * tf.matmul(x, e, transpose_a=True) / n, 2.0 * tf.reduce_mean(e, axis=0)
""",
    ),
    Variant(
        "mse_gradients",
        "a loop over the data points",
        source="""def mse_gradients(x, y, w, b):
    x = tf.convert_to_tensor(x)
    y = tf.cast(y, x.dtype)
    if len(y.shape) != 2 or y.shape[1] != 1:
        raise ValueError(f"y has shape {tuple(y.shape)}, expected ({x.shape[0]}, 1)")
    e = predict(x, w, b) - y
    dw = tf.zeros((x.shape[1], 1), x.dtype)
    db = tf.zeros((1,), x.dtype)
    for i in range(x.shape[0]):
        dw += tf.reshape(x[i], (-1, 1)) * e[i]
        db += e[i]
    n = x.shape[0]
    return dw * (2.0 / n), db * (2.0 / n)
""",
    ),
    Variant(
        "numeric_gradient",
        "NumPy loop over a copy",
        source="""def numeric_gradient(f, w, eps=1e-3):
    values = np.array(w, dtype=np.asarray(w).dtype)
    grad = np.zeros_like(values)
    for i in np.ndindex(values.shape):
        up, down = values.copy(), values.copy()
        up[i] += eps
        down[i] -= eps
        grad[i] = (float(f(tf.constant(up))) - float(f(tf.constant(down)))) / (2 * eps)
    return tf.constant(grad)
""",
    ),
)
