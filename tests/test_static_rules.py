"""Static rules from the contract, robust to aliasing."""

import pytest

from graders.checks.gradient_tape import USES_TAPE
from graders.checks.loss import NO_AUTODIFF, NO_KERAS_LOSSES
from graders.engine import violation

KERAS_WAYS = {
    "tf.keras": "import tensorflow as tf\ndef mean_squared_error(a, b):\n    return tf.keras.losses.MeanSquaredError()(a, b)\n",
    "renamed tensorflow": "import tensorflow as t\ndef mean_squared_error(a, b):\n    return t.keras.losses.mse(a, b)\n",
    "from keras import losses as L": "from keras import losses as L\ndef mean_squared_error(a, b):\n    return L.mean_squared_error(a, b)\n",
    "alias through a variable": "import tensorflow as tf\nk = tf.keras\nm = k.metrics\ndef mean_squared_error(a, b):\n    return m.mean_squared_error(a, b)\n",
    "inside a helper": "import keras\ndef _loss(a, b):\n    return keras.losses.MeanSquaredError()(a, b)\ndef mean_squared_error(a, b):\n    return _loss(a, b)\n",
    "getattr": "import tensorflow as tf\ndef mean_squared_error(a, b):\n    return getattr(tf, 'keras').losses.mse(a, b)\n",
    "import_module": "import importlib\ndef mean_squared_error(a, b):\n    L = importlib.import_module('keras.losses')\n    return L.mse(a, b)\n",
    "import inside the function": "def mean_squared_error(a, b):\n    from tensorflow.keras.losses import MeanSquaredError as M\n    return M()(a, b)\n",
    "tf.losses": "import tensorflow as tf\ndef mean_squared_error(a, b):\n    return tf.compat.v1.losses.mean_squared_error(a, b)\n",
    "tf_keras": "import tf_keras\ndef mean_squared_error(a, b):\n    return tf_keras.losses.mse(a, b)\n",
}

TAPE_WAYS = {
    "tf.GradientTape": "import tensorflow as tf\ndef mse_gradients(x, y, w, b):\n    with tf.GradientTape() as g:\n        pass\n",
    "from import with alias": "from tensorflow import GradientTape as GT\ndef mse_gradients(x, y, w, b):\n    with GT() as g:\n        pass\n",
    "class in a variable": "import tensorflow as tf\nTape = tf.GradientTape\ndef mse_gradients(x, y, w, b):\n    with Tape() as g:\n        pass\n",
    "tf.gradients": "import tensorflow as tf\ndef mse_gradients(x, y, w, b):\n    return tf.gradients(y, x)\n",
    "autodiff module": "import tensorflow as tf\ndef mse_gradients(x, y, w, b):\n    with tf.autodiff.ForwardAccumulator(x, x) as acc:\n        pass\n",
}


@pytest.mark.parametrize("way", sorted(KERAS_WAYS))
def test_keras_losses_are_found_however_they_are_named(way):
    message = violation([KERAS_WAYS[way]], "mean_squared_error", NO_KERAS_LOSSES)
    assert message and "tensor ops" in message


@pytest.mark.parametrize("way", sorted(TAPE_WAYS))
def test_autodiff_is_found_in_mse_gradients(way):
    assert violation([TAPE_WAYS[way]], "mse_gradients", NO_AUTODIFF)


def test_plain_tensor_ops_are_fine():
    code = "import tensorflow as tf\ndef mean_squared_error(a, b):\n    return tf.reduce_mean(tf.square(a - b))\n"
    assert violation([code], "mean_squared_error", NO_KERAS_LOSSES) is None


def test_gradient_tape_is_required_where_the_contract_says_so():
    by_hand = "import tensorflow as tf\ndef gradients(x, y, w, b):\n    e = x @ w + b - y\n    return 2 * tf.transpose(x) @ e, 2 * tf.reduce_sum(e)\n"
    assert "does not use tf.GradientTape" in violation([by_hand], "gradients", USES_TAPE)
    aliased = "from tensorflow import GradientTape as T\ndef _tape():\n    return T()\ndef gradients(x, y, w, b):\n    with _tape() as t:\n        pass\n"
    assert violation([aliased], "gradients", USES_TAPE) is None


def test_notebook_cells_that_do_not_parse_are_skipped():
    cells = [
        "def broken(:\n",
        "import tensorflow as tf\ndef gradients(x, y, w, b):\n    with tf.GradientTape():\n        pass\n",
    ]
    assert violation(cells, "gradients", USES_TAPE) is None
    assert "not defined" in violation(cells, "minimize_loss", USES_TAPE)


def test_a_stub_is_reported_as_not_implemented():
    stub = (
        'def gradients(x, y, w, b):\n    """Doc."""\n    # YOUR CODE HERE\n    raise NotImplementedError()\n'
    )
    assert violation([stub], "gradients", USES_TAPE).endswith(
        "is not implemented yet (it raises NotImplementedError)"
    )
