"""Is not Python at all."""
def predict(x, w, b)
    return x @ w + b
