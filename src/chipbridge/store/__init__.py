"""Persistence: imported list snapshots and the screening index cache under CHIPBRIDGE_HOME."""
