"""Large-file screening: many rows, many processes, one output file written atomically."""
