"""Leaves a thread running that keeps writing forged results and burning CPU."""
import json
import threading
def _forge():
    while True:
        try:
            with open("results.jsonl", "a") as f:
                f.write(json.dumps({"load": "05_loss", "error": None}) + "\n")
        except OSError:
            pass
threading.Thread(target=_forge, daemon=True).start()
