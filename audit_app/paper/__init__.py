"""Paper forms for workshops."""
