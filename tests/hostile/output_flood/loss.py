"""Floods standard output and standard error."""
import sys
line = "x" * 1000 + "\n"
def predict(x, w, b):
    for _ in range(200_000):
        sys.stdout.write(line)
        sys.stderr.write(line)
    return x
