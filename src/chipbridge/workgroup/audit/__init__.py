"""Working group domain: audit."""
