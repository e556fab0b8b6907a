"""Tries to reach the network to send the inputs away or fetch answers."""
import socket
for host, port in (("127.0.0.1", 22), ("127.0.0.1", 8888), ("10.0.0.1", 80)):
    try:
        socket.create_connection((host, port), timeout=1).close()
        raise SystemExit(f"reached {host}:{port}")
    except OSError:
        pass
def predict(x, w, b):
    raise ConnectionError("no network")
