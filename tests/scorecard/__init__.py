"""The OpenSSF Scorecard API stand-in used by tests of bot/scorecard.py (see server.py)."""
