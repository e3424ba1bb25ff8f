"""Working group domain: delegations."""
