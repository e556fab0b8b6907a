"""Ends the process, with success, the moment it is imported."""
import os
os._exit(0)
