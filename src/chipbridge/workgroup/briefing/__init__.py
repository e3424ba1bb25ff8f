"""The meeting briefing: what changed on the lists since the last meeting and whom it touches."""
