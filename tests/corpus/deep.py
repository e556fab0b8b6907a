"""Mutants and alternates of 07_deep."""

from corpus.variant import Variant

CALLERS = {
    "init_params": ("train",),
    "dense": ("forward", "train_step", "train"),
    "forward": ("train_step", "train"),
    "train_step": ("train",),
}

MUTANTS = (
    Variant("init_params", "seed pair reversed", replace=(("seed=[seed, i]", "seed=[i, seed]"),)),
    Variant("init_params", "same seed for every layer", replace=(("seed=[seed, i]", "seed=[seed, 0]"),)),
    Variant(
        "init_params",
        "Glorot limit from fan_in only",
        replace=(("np.sqrt(6.0 / (fan_in + fan_out))", "np.sqrt(6.0 / fan_in)"),),
    ),
    Variant("init_params", "weights in [0, limit)", replace=(("minval=-limit", "minval=0.0"),)),
    Variant(
        "init_params",
        "biases of ones",
        replace=(
            ("b = tf.zeros((fan_out,), dtype=tf.float32)", "b = tf.ones((fan_out,), dtype=tf.float32)"),
        ),
    ),
    Variant(
        "init_params",
        "biases shaped (1, fan_out)",
        replace=(
            ("b = tf.zeros((fan_out,), dtype=tf.float32)", "b = tf.zeros((1, fan_out), dtype=tf.float32)"),
        ),
    ),
    Variant(
        "init_params",
        "tensors instead of variables",
        replace=(("params.append((tf.Variable(W), tf.Variable(b)))", "params.append((W, b))"),),
    ),
    Variant(
        "init_params",
        "W shaped (fan_out, fan_in)",
        replace=(("stateless_uniform((fan_in, fan_out)", "stateless_uniform((fan_out, fan_in)"),),
    ),
    Variant(
        "init_params",
        "global random generator instead of the stateless one",
        replace=(
            (
                "tf.random.stateless_uniform((fan_in, fan_out), seed=[seed, i],",
                "tf.random.uniform((fan_in, fan_out), seed=seed + i,",
            ),
        ),
    ),
    Variant(
        "dense",
        "any other activation silently ignored",
        replace=(('if activation not in (None, "relu", "sigmoid"):', "if False:"),),
    ),
    Variant(
        "dense",
        "relu and sigmoid swapped",
        replace=(
            ("return tf.nn.relu(z)", "return tf.sigmoid(z)"),
            (
                'if activation == "sigmoid":\n        return tf.sigmoid(z)',
                'if activation == "sigmoid":\n        return tf.nn.relu(z)',
            ),
        ),
    ),
    Variant("dense", "leaky relu", replace=(("return tf.nn.relu(z)", "return tf.nn.leaky_relu(z)"),)),
    Variant(
        "dense",
        "sigmoid with the sign of z flipped",
        replace=(("return tf.sigmoid(z)", "return 1 / (1 + tf.exp(z))"),),
    ),
    Variant(
        "dense",
        "bias added after the activation",
        source="""def dense(x, W, b, activation=None):
    if activation not in (None, "relu", "sigmoid"):
        raise ValueError("unknown activation")
    x = tf.convert_to_tensor(x)
    z = x @ tf.convert_to_tensor(W, dtype=x.dtype)
    b = tf.convert_to_tensor(b, dtype=x.dtype)
    if activation == "relu":
        return tf.nn.relu(z) + b
    if activation == "sigmoid":
        return tf.sigmoid(z) + b
    return z + b
""",
    ),
    Variant(
        "dense",
        "NumPy in, NumPy out (no conversion)",
        source="""def dense(x, W, b, activation=None):
    if activation not in (None, "relu", "sigmoid"):
        raise ValueError("unknown activation")
    z = x @ W + b
    if activation == "relu":
        return tf.nn.relu(z)
    if activation == "sigmoid":
        return tf.sigmoid(z)
    return z
""",
    ),
    Variant(
        "dense", "always float32", replace=(("x = tf.convert_to_tensor(x)", "x = tf.cast(x, tf.float32)"),)
    ),
    Variant(
        "forward", "sigmoid after every layer", replace=(('"sigmoid" if i == last else "relu"', '"sigmoid"'),)
    ),
    Variant("forward", "no activation on the hidden layers", replace=(('else "relu"', "else None"),)),
    Variant("forward", "sigmoid on the first layer instead of the last", replace=(("i == last", "i == 0"),)),
    Variant("forward", "last layer left out", replace=(("enumerate(params)", "enumerate(params[:-1])"),)),
    Variant(
        "forward",
        "relu on the last layer too, then sigmoid",
        source="""def forward(x, params):
    h = x
    for W, b in params:
        h = dense(h, W, b, "relu")
    return tf.sigmoid(h)
""",
    ),
    Variant(
        "train_step",
        "loss returned after the update",
        replace=(("    return loss", "    return mean_squared_error(y, forward(x, params))"),),
    ),
    Variant("train_step", "gradient ascent", replace=(("variable.assign_sub(", "variable.assign_add("),)),
    Variant(
        "train_step",
        "biases never updated",
        replace=(
            ("variables = [v for W, b in params for v in (W, b)]", "variables = [W for W, b in params]"),
        ),
    ),
    Variant(
        "train_step",
        "only the last layer trained",
        replace=(("variables = [v for W, b in params for v in (W, b)]", "variables = list(params[-1])"),),
    ),
    Variant(
        "train_step",
        "summed instead of averaged",
        replace=(
            (
                "loss = mean_squared_error(y, forward(x, params))",
                "predictions = forward(x, params)\n"
                "        loss = tf.reduce_sum(tf.square(tf.cast(y, predictions.dtype) - predictions))",
            ),
        ),
    ),
    Variant("train_step", "learning rate ignored", replace=(("learning_rate * grad", "0.1 * grad"),)),
    Variant(
        "train_step",
        "new tensors instead of updating in place",
        replace=(
            ("variable.assign_sub(learning_rate * grad)", "variable = variable - learning_rate * grad"),
        ),
    ),
    Variant(
        "train",
        "no cast to float32",
        replace=(
            ("x = tf.cast(x, tf.float32)", "x = tf.convert_to_tensor(x)"),
            ("y = tf.cast(y, tf.float32)", "y = tf.convert_to_tensor(y)"),
        ),
    ),
    Variant("train", "one step too few", replace=(("for _ in range(steps)]", "for _ in range(steps - 1)]"),)),
    Variant(
        "train", "seed ignored", replace=(("init_params(layer_sizes, seed)", "init_params(layer_sizes, 0)"),)
    ),
    Variant(
        "train",
        "losses returned as a Python list",
        replace=(("return params, tf.stack(losses)", "return params, losses"),),
    ),
    Variant(
        "train",
        "one step per point instead of full-batch",
        source="""def train(x, y, layer_sizes, steps, learning_rate, seed):
    x = tf.cast(x, tf.float32)
    y = tf.cast(y, tf.float32)
    params = init_params(layer_sizes, seed)
    losses = []
    for _ in range(steps):
        for i in range(x.shape[0]):
            loss = train_step(x[i:i + 1], y[i:i + 1], params, learning_rate)
        losses.append(loss)
    return params, tf.stack(losses)
""",
    ),
    Variant(
        "keras_model",
        "sigmoid on every layer",
        replace=(('Dense(units, activation="relu")', 'Dense(units, activation="sigmoid")'),),
    ),
    Variant(
        "keras_model",
        "relu on the output layer",
        replace=(
            ('Dense(layer_sizes[-1], activation="sigmoid")', 'Dense(layer_sizes[-1], activation="relu")'),
        ),
    ),
    Variant(
        "keras_model",
        "input width never given",
        replace=(("keras.Sequential([keras.Input(shape=(layer_sizes[0],))])", "keras.Sequential()"),),
    ),
    Variant(
        "keras_model",
        "one output whatever the sizes",
        replace=(('Dense(layer_sizes[-1], activation="sigmoid")', 'Dense(1, activation="sigmoid")'),),
    ),
    Variant(
        "keras_model",
        "a Dense layer for the input size too",
        replace=(("for units in layer_sizes[1:-1]:", "for units in layer_sizes[:-1]:"),),
    ),
    Variant(
        "keras_model",
        "activations as separate layers",
        source="""def keras_model(layer_sizes):
    model = keras.Sequential([keras.Input(shape=(layer_sizes[0],))])
    for units in layer_sizes[1:-1]:
        model.add(keras.layers.Dense(units))
        model.add(keras.layers.Activation("relu"))
    model.add(keras.layers.Dense(layer_sizes[-1]))
    model.add(keras.layers.Activation("sigmoid"))
    return model
""",
    ),
    # Rebinding instead of assign, a scalar where a vector belongs, and odd values; each names
    # the check that must catch it.
    Variant(
        "train_step",
        "W rebound (W = W - learning_rate * dW), b assigned",
        source="""def train_step(x, y, params, learning_rate):
    with tf.GradientTape() as tape:
        loss = mean_squared_error(y, forward(x, params))
    grads = tape.gradient(loss, params)
    for (W, b), (dW, db) in zip(params, grads):
        W = W - learning_rate * dW
        b.assign_sub(learning_rate * db)
    return loss
""",
        caught_by=("train_step.params",),
    ),
    Variant(
        "train_step",
        "b rebound (b = b - learning_rate * db), W assigned",
        source="""def train_step(x, y, params, learning_rate):
    with tf.GradientTape() as tape:
        loss = mean_squared_error(y, forward(x, params))
    grads = tape.gradient(loss, params)
    for (W, b), (dW, db) in zip(params, grads):
        W.assign_sub(learning_rate * dW)
        b = b - learning_rate * db
    return loss
""",
        caught_by=("train_step.params",),
    ),
    Variant(
        "train_step",
        "each (W, b) pair replaced in the list by new tensors",
        source="""def train_step(x, y, params, learning_rate):
    with tf.GradientTape() as tape:
        loss = mean_squared_error(y, forward(x, params))
    grads = tape.gradient(loss, params)
    for i, ((W, b), (dW, db)) in enumerate(zip(params, grads)):
        params[i] = (W - learning_rate * dW, b - learning_rate * db)
    return loss
""",
        caught_by=("train_step.params",),
    ),
    Variant(
        "train_step",
        "return forgotten: None",
        replace=(("\n    return loss", ""),),
        caught_by=("train_step.loss",),
    ),
    Variant(
        "train_step",
        "the loss and the gradients in one list (ragged)",
        replace=(("    return loss", "    return [loss, grads]"),),
        caught_by=("train_step.loss",),
    ),
    Variant(
        "train_step",
        "a rank-3 tensor (1, 1, 1)",
        replace=(("    return loss", "    return tf.reshape(loss, (1, 1, 1))"),),
        caught_by=("train_step.loss",),
    ),
    Variant(
        "train_step",
        "an empty tensor",
        replace=(("    return loss", "    return tf.zeros((0,), loss.dtype)"),),
        caught_by=("train_step.loss",),
    ),
    Variant(
        "train_step",
        "a complex tensor",
        replace=(("    return loss", "    return tf.cast(loss, tf.complex64)"),),
        caught_by=("train_step.loss",),
    ),
    Variant(
        "train",
        "losses: only the last one (a scalar)",
        replace=(("return params, tf.stack(losses)", "return params, losses[-1]"),),
        caught_by=("train.values",),
    ),
)

ALTERNATES = (
    Variant(
        "init_params",
        "zip over the sizes, math.sqrt",
        source="""import math


def init_params(layer_sizes, seed):
    params = []
    for i, (fan_in, fan_out) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:])):
        limit = math.sqrt(6 / (fan_in + fan_out))
        W = tf.Variable(tf.random.stateless_uniform([fan_in, fan_out], seed=(seed, i), minval=-limit, maxval=limit))
        b = tf.Variable(tf.zeros([fan_out]))
        params.append((W, b))
    return params
""",
    ),
    Variant(
        "init_params",
        "seed tensor, tf.sqrt limit, list of lists",
        source="""def init_params(layer_sizes, seed):
    params = []
    for i in range(len(layer_sizes) - 1):
        fan_in, fan_out = int(layer_sizes[i]), int(layer_sizes[i + 1])
        limit = tf.sqrt(6.0 / tf.cast(fan_in + fan_out, tf.float32))
        W = tf.random.stateless_uniform(tf.stack([fan_in, fan_out]), seed=tf.constant([seed, i], tf.int64),
                                        minval=-limit, maxval=limit, dtype=tf.float32)
        params.append([tf.Variable(W, name=f"W{i}"), tf.Variable(tf.zeros(fan_out, tf.float32), name=f"b{i}")])
    return params
""",
    ),
    Variant(
        "dense",
        "a table of activations, tf.matmul and tf.add",
        source="""_ACTIVATIONS = {None: tf.identity, "relu": tf.nn.relu, "sigmoid": tf.math.sigmoid}


def dense(x, W, b, activation=None):
    if activation not in _ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}")
    x = tf.convert_to_tensor(x)
    z = tf.add(tf.matmul(x, tf.cast(W, x.dtype)), tf.cast(b, x.dtype))
    return _ACTIVATIONS[activation](z)
""",
    ),
    Variant(
        "dense",
        "einsum, tf.maximum and the sigmoid formula",
        source="""def dense(x, W, b, activation=None):
    x = tf.convert_to_tensor(x)
    z = tf.einsum("nf,fk->nk", x, tf.convert_to_tensor(W, x.dtype)) + tf.convert_to_tensor(b, x.dtype)
    if activation is None:
        return z
    if activation == "relu":
        return tf.maximum(z, tf.zeros_like(z))
    if activation == "sigmoid":
        return 1.0 / (1.0 + tf.exp(-z))
    raise ValueError("activation must be None, 'relu' or 'sigmoid'")
""",
    ),
    Variant(
        "dense",
        "Keras activation functions",
        source="""def dense(x, W, b, activation=None):
    if activation is not None and activation not in ("relu", "sigmoid"):
        raise ValueError(activation)
    x = tf.convert_to_tensor(x)
    z = tf.nn.bias_add(x @ tf.cast(W, x.dtype), tf.cast(b, x.dtype))
    return keras.activations.get(activation)(z)
""",
    ),
    Variant(
        "forward",
        "hidden layers in a loop, then the output layer",
        source="""def forward(x, params):
    *hidden, (W_out, b_out) = params
    h = x
    for W, b in hidden:
        h = dense(h, W, b, activation="relu")
    return dense(h, W_out, b_out, activation="sigmoid")
""",
    ),
    Variant(
        "forward",
        "recursive",
        source="""def forward(x, params):
    (W, b), rest = params[0], params[1:]
    if not rest:
        return dense(x, W, b, "sigmoid")
    return forward(dense(x, W, b, "relu"), rest)
""",
    ),
    Variant(
        "train_step",
        "nested gradients and own MSE",
        source="""def train_step(x, y, params, learning_rate):
    with tf.GradientTape() as tape:
        predictions = forward(x, params)
        loss = tf.reduce_mean(tf.square(tf.cast(y, predictions.dtype) - predictions))
    grads = tape.gradient(loss, params)
    for (W, b), (dW, db) in zip(params, grads):
        W.assign(W - learning_rate * dW)
        b.assign(b - learning_rate * db)
    return loss
""",
    ),
    Variant(
        "train_step",
        "a tf.function step on the flat list of variables",
        source="""@tf.function
def _step(x, y, variables, learning_rate):
    params = list(zip(variables[0::2], variables[1::2]))
    with tf.GradientTape() as tape:
        loss = mean_squared_error(y, forward(x, params))
    for variable, grad in zip(variables, tape.gradient(loss, variables)):
        variable.assign_sub(learning_rate * grad)
    return loss


def train_step(x, y, params, learning_rate):
    variables = [v for pair in params for v in pair]
    dtype = variables[0].dtype
    return _step(tf.cast(x, dtype), tf.cast(y, dtype), variables, tf.constant(learning_rate, dtype))
""",
    ),
    Variant(
        "train",
        "a compiled step and a TensorArray",
        source="""def train(x, y, layer_sizes, steps, learning_rate, seed):
    x, y = tf.cast(x, tf.float32), tf.cast(y, tf.float32)
    params = init_params(layer_sizes, seed)
    step = tf.function(train_step)
    history = tf.TensorArray(tf.float32, size=steps)
    for i in range(steps):
        history = history.write(i, step(x, y, params, learning_rate))
    return params, history.stack()
""",
    ),
    Variant(
        "train",
        "NumPy float32 inputs, a while loop",
        source="""def train(x, y, layer_sizes, steps, learning_rate, seed):
    x = tf.constant(np.asarray(x, dtype=np.float32))
    y = tf.constant(np.asarray(y, dtype=np.float32))
    params = init_params(layer_sizes, seed)
    losses = []
    while len(losses) < steps:
        losses.append(train_step(x, y, params, learning_rate))
    return params, tf.convert_to_tensor(losses, dtype=tf.float32)
""",
    ),
    Variant(
        "keras_model",
        "a list of layers, InputLayer",
        source="""def keras_model(layer_sizes):
    layers = [keras.layers.InputLayer(shape=(layer_sizes[0],))]
    layers += [keras.layers.Dense(n, activation="relu") for n in layer_sizes[1:-1]]
    layers.append(keras.layers.Dense(layer_sizes[-1], activation="sigmoid"))
    return keras.Sequential(layers)
""",
    ),
    Variant(
        "keras_model",
        "tf.keras, callables as activations",
        source="""def keras_model(layer_sizes):
    model = tf.keras.Sequential()
    model.add(tf.keras.Input(shape=(layer_sizes[0],)))
    for units in layer_sizes[1:-1]:
        model.add(tf.keras.layers.Dense(units, activation=tf.nn.relu))
    model.add(tf.keras.layers.Dense(layer_sizes[-1], activation=tf.nn.sigmoid))
    return model
""",
    ),
    Variant(
        "keras_model",
        "built with model.build",
        source="""def keras_model(layer_sizes):
    model = keras.Sequential(
        [keras.layers.Dense(units, activation="relu") for units in layer_sizes[1:-1]]
        + [keras.layers.Dense(layer_sizes[-1], activation="sigmoid")])
    model.build((None, layer_sizes[0]))
    return model
""",
    ),
)
