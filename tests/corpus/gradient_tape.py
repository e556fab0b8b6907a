"""Mutants and alternates of 06_gradient_tape."""

from corpus.variant import Variant

CALLERS = {"minimize_loss": ("train",)}

MUTANTS = (
    Variant(
        "make_blobs",
        "classes swapped",
        replace=(("np.vstack([class0, class1])", "np.vstack([class1, class0])"),),
    ),
    Variant(
        "make_blobs",
        "identity covariance",
        replace=(("cov = [[1.0, 0.5], [0.5, 1.0]]", "cov = [[1.0, 0.0], [0.0, 1.0]]"),),
    ),
    Variant(
        "make_blobs",
        "labels shaped (2n,)",
        replace=(("y.astype(np.float32).reshape(-1, 1)", "y.astype(np.float32)"),),
    ),
    Variant(
        "make_blobs",
        "float64 points",
        replace=(("x = np.vstack([class0, class1]).astype(np.float32)", "x = np.vstack([class0, class1])"),),
    ),
    Variant(
        "make_blobs",
        "one generator per class",
        replace=(
            (
                "class1 = rng.multivariate_normal",
                "class1 = np.random.default_rng(seed + 1).multivariate_normal",
            ),
        ),
    ),
    Variant(
        "gradients",
        "gradient of the summed loss",
        replace=(
            (
                "loss = mean_squared_error(y, predict(x, w, b))",
                "loss = tf.reduce_sum(tf.square(y - predict(x, w, b)))",
            ),
        ),
    ),
    Variant(
        "gradients",
        "derived by hand, no GradientTape",
        source="""def gradients(x, y, w, b):
    x = tf.convert_to_tensor(x, w.dtype)
    e = predict(x, w, b) - tf.cast(y, w.dtype)
    n = tf.cast(tf.shape(x)[0], w.dtype)
    return 2.0 / n * tf.transpose(x) @ e, 2.0 / n * tf.reduce_sum(e, axis=0)
""",
    ),
    Variant("gradients", "dw and db swapped", replace=(("return dw, db", "return db, dw"),)),
    Variant("gradients", "negated gradients", replace=(("return dw, db", "return -dw, -db"),)),
    Variant("minimize_loss", "bias never updated", replace=(("    b.assign_sub(learning_rate * db)\n", ""),)),
    Variant(
        "minimize_loss",
        "gradient ascent",
        replace=(("w.assign_sub(", "w.assign_add("), ("b.assign_sub(", "b.assign_add(")),
    ),
    Variant(
        "minimize_loss",
        "learning rate applied twice",
        replace=(("w.assign_sub(learning_rate * dw)", "w.assign_sub(2 * learning_rate * dw)"),),
    ),
    Variant(
        "minimize_loss",
        "loss returned after the update",
        replace=(("    return loss", "    return mean_squared_error(y, predict(x, w, b))"),),
    ),
    Variant(
        "minimize_loss",
        "new variables instead of updating in place",
        replace=(
            ("w.assign_sub(learning_rate * dw)", "w = tf.Variable(w - learning_rate * dw)"),
            ("b.assign_sub(learning_rate * db)", "b = tf.Variable(b - learning_rate * db)"),
        ),
    ),
    Variant(
        "train",
        "random initial weights",
        replace=(
            (
                "w = tf.Variable(tf.zeros((x.shape[1], 1), dtype=x.dtype))",
                "w = tf.Variable(tf.random.stateless_uniform((x.shape[1], 1), seed=[1, 2], dtype=x.dtype))",
            ),
        ),
    ),
    Variant("train", "one step too few", replace=(("for _ in range(steps)]", "for _ in range(steps - 1)]"),)),
    Variant(
        "train",
        "always float32",
        replace=(
            ("dtype=x.dtype))\n    b", "dtype=tf.float32))\n    b"),
            (
                "b = tf.Variable(tf.zeros((1,), dtype=x.dtype))",
                "b = tf.Variable(tf.zeros((1,), dtype=tf.float32))",
            ),
            ("x = tf.convert_to_tensor(x)", "x = tf.cast(x, tf.float32)"),
        ),
    ),
    Variant(
        "train",
        "tensors instead of variables returned",
        replace=(
            (
                "return w, b, tf.stack(losses)",
                "return tf.convert_to_tensor(w), tf.convert_to_tensor(b), tf.stack(losses)",
            ),
        ),
    ),
    Variant("accuracy", ">= instead of >", replace=(("> threshold", ">= threshold"),)),
    Variant("accuracy", "threshold ignored", replace=(("> threshold", "> 0.5"),)),
    Variant(
        "accuracy",
        "(N,) against (N, 1) broadcast",
        source="""def accuracy(y_true, y_score, threshold=0.5):
    truth = tf.cast(y_true, tf.float64) > 0.5
    guess = tf.cast(y_score, tf.float64) > threshold
    return float(tf.reduce_mean(tf.cast(truth == guess, tf.float64)))
""",
    ),
    Variant(
        "accuracy", "returns a tensor", replace=(("return float(tf.reduce_mean(", "return (tf.reduce_mean("),)
    ),
    Variant(
        "accuracy",
        "counts instead of the fraction",
        replace=(
            (
                "return float(tf.reduce_mean(tf.cast(truth == guess, tf.float64)))",
                "return float(tf.reduce_sum(tf.cast(truth == guess, tf.float64)))",
            ),
        ),
    ),
    Variant("decision_line", "slope sign flipped", replace=(("return -w0 / w1,", "return w0 / w1,"),)),
    Variant("decision_line", "threshold ignored", replace=(("(threshold - b0) / w1", "(-b0) / w1"),)),
    Variant(
        "decision_line",
        "w0 and w1 swapped",
        replace=(("return -w0 / w1, (threshold - b0) / w1", "return -w1 / w0, (threshold - b0) / w0"),),
    ),
    Variant("decision_line", "no check for a vertical line", replace=(("if w1 == 0.0:", "if False:"),)),
    # Rebinding instead of assign, a vector where a scalar belongs and the reverse, and odd
    # values; each names the check that must catch it.
    Variant(
        "minimize_loss",
        "w and b rebound: w = w - learning_rate * dw",
        replace=(
            ("w.assign_sub(learning_rate * dw)", "w = w - learning_rate * dw"),
            ("b.assign_sub(learning_rate * db)", "b = b - learning_rate * db"),
        ),
        caught_by=("minimize_loss.w", "minimize_loss.b"),
    ),
    Variant(
        "minimize_loss",
        "w rebound, b assigned",
        replace=(("w.assign_sub(learning_rate * dw)", "w = w - learning_rate * dw"),),
        caught_by=("minimize_loss.w",),
    ),
    Variant(
        "minimize_loss",
        "b rebound, w assigned",
        replace=(("b.assign_sub(learning_rate * db)", "b = b - learning_rate * db"),),
        caught_by=("minimize_loss.b",),
    ),
    Variant(
        "minimize_loss",
        "loss not reduced: the per-point squared errors",
        replace=(
            (
                "loss = mean_squared_error(y, predict(x, w, b))",
                "loss = tf.square(tf.cast(y, w.dtype) - predict(x, w, b))",
            ),
        ),
        caught_by=("minimize_loss.loss", "minimize_loss.w", "minimize_loss.b"),
    ),
    Variant(
        "minimize_loss",
        "return forgotten: None",
        replace=(("\n    return loss", ""),),
        caught_by=("minimize_loss.loss",),
    ),
    Variant(
        "minimize_loss",
        "a bool tensor: whether the loss went down",
        replace=(("    return loss", "    return mean_squared_error(y, predict(x, w, b)) < loss"),),
        caught_by=("minimize_loss.loss",),
    ),
    Variant(
        "minimize_loss",
        "an empty tensor",
        replace=(("    return loss", "    return tf.zeros((0,), w.dtype)"),),
        caught_by=("minimize_loss.loss",),
    ),
    Variant(
        "minimize_loss",
        "a complex tensor",
        replace=(("    return loss", "    return tf.cast(loss, tf.complex128)"),),
        caught_by=("minimize_loss.loss",),
    ),
    Variant(
        "train",
        "losses: only the last one (a scalar)",
        replace=(("return w, b, tf.stack(losses)", "return w, b, losses[-1]"),),
        caught_by=("train.values",),
    ),
    Variant(
        "accuracy",
        "per-point correctness (a vector) instead of the fraction",
        replace=(
            (
                "return float(tf.reduce_mean(tf.cast(truth == guess, tf.float64)))",
                "return tf.cast(truth == guess, tf.float64)",
            ),
        ),
        caught_by=("accuracy.shapes",),
    ),
)

ALTERNATES = (
    Variant(
        "make_blobs",
        "tf.concat of the two classes",
        source="""def make_blobs(n_per_class, seed):
    rng = np.random.default_rng(seed)
    cov = np.array([[1.0, 0.5], [0.5, 1.0]])
    first = rng.multivariate_normal(np.array([0.0, 3.0]), cov, size=n_per_class)
    second = rng.multivariate_normal(np.array([3.0, 0.0]), cov, size=n_per_class)
    x = tf.concat([tf.constant(first, tf.float32), tf.constant(second, tf.float32)], axis=0)
    y = tf.concat([tf.zeros((n_per_class, 1)), tf.ones((n_per_class, 1))], axis=0)
    return x, y
""",
    ),
    Variant(
        "gradients",
        "persistent tape, two calls",
        source="""def gradients(x, y, w, b):
    with tf.GradientTape(persistent=True) as tape:
        loss = mean_squared_error(y, predict(x, w, b))
    dw = tape.gradient(loss, w)
    db = tape.gradient(loss, b)
    del tape
    return dw, db
""",
    ),
    Variant(
        "minimize_loss",
        "optimizer-free update through a helper under tf.function",
        source="""@tf.function
def _step(x, y, w, b, learning_rate):
    with tf.GradientTape() as tape:
        loss = mean_squared_error(y, predict(x, w, b))
    dw, db = tape.gradient(loss, [w, b])
    w.assign(w - learning_rate * dw)
    b.assign(b - learning_rate * db)
    return loss


def minimize_loss(x, y, w, b, learning_rate):
    return _step(tf.convert_to_tensor(x, w.dtype), tf.convert_to_tensor(y, w.dtype), w, b,
                 tf.constant(learning_rate, w.dtype))
""",
    ),
    Variant(
        "train",
        "losses collected in a TensorArray",
        source="""def train(x, y, steps, learning_rate):
    x = tf.convert_to_tensor(x)
    w = tf.Variable(tf.zeros([x.shape[1], 1], x.dtype))
    b = tf.Variable(tf.zeros([1], x.dtype))
    history = tf.TensorArray(x.dtype, size=steps)
    for step in range(steps):
        history = history.write(step, minimize_loss(x, y, w, b, learning_rate))
    return w, b, history.stack()
""",
    ),
    Variant(
        "accuracy",
        "NumPy",
        source="""def accuracy(y_true, y_score, threshold=0.5):
    truth = np.asarray(y_true, dtype=np.float64).ravel() > 0.5
    guess = np.asarray(y_score, dtype=np.float64).ravel() > threshold
    return float(np.mean(truth == guess))
""",
    ),
    Variant(
        "accuracy",
        "counting with a loop",
        source="""def accuracy(y_true, y_score, threshold=0.5):
    truth = np.reshape(np.asarray(y_true), -1)
    scores = np.reshape(np.asarray(y_score), -1)
    right = sum(1 for t, s in zip(truth, scores) if (s > threshold) == (t > 0.5))
    return right / len(truth)
""",
    ),
    Variant(
        "decision_line",
        "tensor arithmetic then float()",
        source="""def decision_line(w, b, threshold=0.5):
    w = tf.reshape(tf.cast(w, tf.float64), [-1])
    b = tf.reshape(tf.cast(b, tf.float64), [-1])
    if float(w[1]) == 0:
        raise ValueError("vertical boundary")
    return float(-w[0] / w[1]), float((threshold - b[0]) / w[1])
""",
    ),
)
