"""The local GitHub stand-in used by every test that talks to GitHub (see server.py)."""
