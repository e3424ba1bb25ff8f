"""Accounts: users, sessions, API tokens and the permission matrix."""
