"""Raises SystemExit from inside a graded function."""
import sys
def predict(x, w, b):
    sys.exit(0)
def mean_squared_error(y_true, y_pred):
    raise SystemExit(0)
