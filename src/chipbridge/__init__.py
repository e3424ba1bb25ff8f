"""chipbridge: restricted-party screening for a cross-border semiconductor working group."""

__version__ = "0.1.0"
