"""Allocates memory without end inside a graded function, in every call (its blocks are not
written to, so each call meets the memory limit quickly, however busy the machine; the
notebook attack tests/hostile_notebooks/memory_bomb writes an eighth of its pages)."""


def predict(x, w, b):
    import numpy as np

    blocks = []
    while True:
        blocks.append(np.empty(256 << 20, dtype=np.uint8))
