"""Working group domain: documents."""
