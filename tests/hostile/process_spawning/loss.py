"""Forks helper processes that outlive the function (bounded: 20 of them)."""
import os
import time
def predict(x, w, b):
    for _ in range(20):
        if os.fork() == 0:
            time.sleep(100_000)
            os._exit(0)
    return x
