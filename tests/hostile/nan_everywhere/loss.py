"""Returns NaN of the right shape and dtype."""
import tensorflow as tf
def predict(x, w, b):
    x = tf.convert_to_tensor(x)
    return tf.fill([tf.shape(x)[0], 1], tf.constant(float("nan"), x.dtype))
def mean_squared_error(y_true, y_pred):
    return tf.constant(float("nan"), tf.convert_to_tensor(y_pred).dtype)
