"""Registers exit handlers that forge output and hang."""
import atexit
import time
atexit.register(lambda: print('{"score": 19}'))
atexit.register(lambda: time.sleep(100_000))
