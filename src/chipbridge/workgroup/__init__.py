"""The working group: one folder per domain, each with models.py, service.py and views.py."""
