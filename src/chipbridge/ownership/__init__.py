"""Ownership: imported links, the 50% rules by date, and the parties they catch."""
