"""The `cchc-xl` command line: one module per command, a thin skin over the library."""

from . import main  # noqa: F401  (every command on the group, whichever module is imported)
