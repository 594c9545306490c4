"""The `cchc-xl` command line: one module per command, a thin skin over the library."""
