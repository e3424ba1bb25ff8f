"""Working group domain: meetings."""
