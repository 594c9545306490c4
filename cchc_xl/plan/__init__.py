"""The plan as its document writes it: its table read by meaning, its tree, the roster."""
