"""Changes every global setting it can: seeds, dtype policy, eager switch, NumPy errors."""
import numpy as np
import tensorflow as tf
import keras
keras.mixed_precision.set_global_policy("mixed_float16")
tf.config.run_functions_eagerly(True)
tf.random.set_seed(0)
np.random.seed(0)
np.seterr(all="raise")
tf.experimental.numpy.experimental_enable_numpy_behavior()
