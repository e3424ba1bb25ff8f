"""Monitored counterparties of member companies, delta re-screening and alerts."""
