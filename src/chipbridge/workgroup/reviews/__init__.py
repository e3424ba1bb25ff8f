"""Working group domain: reviews."""
