"""Reference solution for 07_deep: The meaning of deep: more layers.

Generated from source/07_deep/deep.ipynb by `python -m graders build`: edit the
notebook, not this file.
"""

from selfcheck.quiet import quiet_start

with quiet_start():  # TensorFlow's start-up messages stay out of the output
    import keras
    import numpy as np
    import tensorflow as tf


def make_circles(n, noise, seed):
    """PROVIDED. Two concentric noisy rings: class 0 outside (radius 1), class 1 inside (radius 0.5).

    Args:
        n: the number of points; the outer ring gets n - n // 2 of them, the inner ring n // 2.
        noise: the standard deviation of the Gaussian noise added to each coordinate.
        seed: the seed of the NumPy generator; the same seed gives the same points.

    Returns:
        (x, y): x float32 (n, 2), the outer ring's points first; y float32 (n, 1), 0 for the
        outer ring and 1 for the inner ring.
    """
    rng = np.random.default_rng(seed)
    n_inner = n // 2
    n_outer = n - n_inner
    radius = np.concatenate([np.full(n_outer, 1.0), np.full(n_inner, 0.5)])
    angle = rng.uniform(0.0, 2.0 * np.pi, size=n)
    points = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    points = points + rng.normal(0.0, noise, size=(n, 2))
    labels = np.concatenate([np.zeros(n_outer), np.ones(n_inner)]).reshape(-1, 1)
    return tf.constant(points.astype(np.float32)), tf.constant(labels.astype(np.float32))


def mean_squared_error(y_true, y_pred):
    """PROVIDED (05). Mean of (y_true - y_pred) ** 2; ValueError if the shapes differ."""
    y_pred = tf.convert_to_tensor(y_pred)
    y_true = tf.cast(tf.convert_to_tensor(y_true), y_pred.dtype)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true has shape {tuple(y_true.shape)} but y_pred has shape "
            f"{tuple(y_pred.shape)}: the shapes must be equal"
        )
    return tf.reduce_mean(tf.square(y_true - y_pred))


def accuracy(y_true, y_score, threshold=0.5):
    """PROVIDED (06). Fraction of points where (y_score > threshold) equals (y_true > 0.5)."""
    truth = tf.reshape(tf.cast(y_true, tf.float64), [-1]) > 0.5
    guess = tf.reshape(tf.cast(y_score, tf.float64), [-1]) > threshold
    return float(tf.reduce_mean(tf.cast(truth == guess, tf.float64)))


def train_linear(x, y, steps, learning_rate):
    """PROVIDED (06). The linear classifier x @ w + b trained from zero weights.

    Returns:
        (w, b, losses): tf.Variables w (D, 1) and b (1,), and the 1-D tensor of the losses.
    """
    x = tf.convert_to_tensor(x)
    w = tf.Variable(tf.zeros((x.shape[1], 1), dtype=x.dtype))
    b = tf.Variable(tf.zeros((1,), dtype=x.dtype))
    losses = []
    for _ in range(steps):
        with tf.GradientTape() as tape:
            loss = mean_squared_error(y, x @ w + b)
        dw, db = tape.gradient(loss, [w, b])
        w.assign_sub(learning_rate * dw)
        b.assign_sub(learning_rate * db)
        losses.append(loss)
    return w, b, tf.stack(losses)


def init_params(layer_sizes, seed):
    """Random starting weights and zero biases for a network with these layer sizes.

    The draws (the checks compare exact values): for each layer i = 0, 1, ...,
    len(layer_sizes) - 2, in order, with fan_in = layer_sizes[i], fan_out = layer_sizes[i + 1]
    and limit = sqrt(6 / (fan_in + fan_out)):
        W = tf.random.stateless_uniform((fan_in, fan_out), seed=[seed, i],
                                        minval=-limit, maxval=limit, dtype=tf.float32)
    and b = float32 zeros of shape (fan_out,); both are wrapped in tf.Variable.

    Args:
        layer_sizes: the widths from the input to the output, e.g. [2, 16, 16, 1].
        seed: an int; layer i draws its weights with the stateless seed [seed, i].

    Returns:
        A list of (W, b) pairs of tf.Variables, one per layer: W float32 (fan_in, fan_out)
        uniform in [-limit, limit) with limit = sqrt(6 / (fan_in + fan_out)), b float32
        zeros (fan_out,).
    """
    params = []
    for i in range(len(layer_sizes) - 1):
        fan_in, fan_out = layer_sizes[i], layer_sizes[i + 1]
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        W = tf.random.stateless_uniform((fan_in, fan_out), seed=[seed, i], minval=-limit,
                                        maxval=limit, dtype=tf.float32)
        b = tf.zeros((fan_out,), dtype=tf.float32)
        params.append((tf.Variable(W), tf.Variable(b)))
    return params


def dense(x, W, b, activation=None):
    """One dense layer: activation(x @ W + b).

    Args:
        x: inputs (N, fan_in).  W: weights (fan_in, fan_out).  b: biases (fan_out,).
        activation: None, "relu" or "sigmoid".

    Returns:
        A tensor (N, fan_out) in the dtype of x.

    Raises:
        ValueError: for any other activation.
    """
    if activation not in (None, "relu", "sigmoid"):
        raise ValueError(f"activation must be None, 'relu' or 'sigmoid', not {activation!r}")
    x = tf.convert_to_tensor(x)
    z = x @ tf.convert_to_tensor(W, dtype=x.dtype) + tf.convert_to_tensor(b, dtype=x.dtype)
    if activation == "relu":
        return tf.nn.relu(z)
    if activation == "sigmoid":
        return tf.sigmoid(z)
    return z


def forward(x, params):
    """The network's output: relu after every layer but the last, sigmoid after the last.

    Args:
        x: inputs (N, layer_sizes[0]).
        params: a list of (W, b) pairs, one per layer.

    Returns:
        A tensor (N, layer_sizes[-1]) of scores in (0, 1).
    """
    h = x
    last = len(params) - 1
    for i, (W, b) in enumerate(params):
        h = dense(h, W, b, "sigmoid" if i == last else "relu")
    return h


def train_step(x, y, params, learning_rate):
    """One gradient-descent step on every W and b of the network (updated in place).

    Inside a tf.GradientTape: the loss mean_squared_error(y, forward(x, params)). After the
    block: the tape's gradients of that loss with respect to every W and b; then each
    variable v is updated with v.assign_sub(learning_rate * gradient of v).

    Args:
        x: inputs (N, layer_sizes[0]).  y: labels (N, layer_sizes[-1]).
        params: a list of (W, b) pairs of tf.Variables.
        learning_rate: the step size.

    Returns:
        The MSE loss of forward(x, params) against y, computed before the update.
    """
    variables = [v for W, b in params for v in (W, b)]
    with tf.GradientTape() as tape:
        loss = mean_squared_error(y, forward(x, params))
    grads = tape.gradient(loss, variables)
    for variable, grad in zip(variables, grads):
        variable.assign_sub(learning_rate * grad)
    return loss


LAYER_SIZES = [2, 16, 16, 1]  # 2 features, two hidden layers of 16 units, 1 output
TRAIN_STEPS = 150             # full-batch training steps on make_circles(1000, 0.1, seed)
LEARNING_RATE = 2.0           # large: the sigmoid output and the MSE make the gradients small


def train(x, y, layer_sizes, steps, learning_rate, seed):
    """Full-batch training of a network from init_params(layer_sizes, seed).

    x and y are cast to float32; params = init_params(layer_sizes, seed), whose
    tf.random.stateless_uniform draws are the only random numbers; then train_step(x, y,
    params, learning_rate) is called `steps` times, always on all of x and y.

    Returns:
        (params, losses): the trained list of (W, b) tf.Variable pairs, and a 1-D float32
        tensor of the `steps` losses returned by train_step.
    """
    x = tf.cast(x, tf.float32)
    y = tf.cast(y, tf.float32)
    params = init_params(layer_sizes, seed)
    losses = [train_step(x, y, params, learning_rate) for _ in range(steps)]
    if not losses:
        return params, tf.zeros((0,), dtype=tf.float32)
    return params, tf.stack(losses)


def keras_model(layer_sizes):
    """The network of forward() as a keras.Sequential of Dense layers.

    Returns:
        A keras.Sequential taking inputs of width layer_sizes[0]: Dense(units, "relu") for
        each hidden size, then Dense(layer_sizes[-1], "sigmoid").
    """
    model = keras.Sequential([keras.Input(shape=(layer_sizes[0],))])
    for units in layer_sizes[1:-1]:
        model.add(keras.layers.Dense(units, activation="relu"))
    model.add(keras.layers.Dense(layer_sizes[-1], activation="sigmoid"))
    return model
