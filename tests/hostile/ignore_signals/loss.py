"""Ignores every signal it may, then loops forever."""
import signal
for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGALRM, signal.SIGHUP, signal.SIGXCPU):
    signal.signal(sig, signal.SIG_IGN)
def predict(x, w, b):
    while True:
        pass
