"""Allocates memory without end inside a graded function."""
def predict(x, w, b):
    blocks = []
    while True:
        blocks.append(bytearray(256 << 20))
