"""Sleeps at import far longer than any time limit."""
import time
time.sleep(100_000)
