"""The `cchc-xl` command with every command on it: each command module registers itself on
the group of `app` when imported here."""

from . import consolidate, demo, excel_setup, export, fill, new, remind, report, validate
from .app import cli, main

# (imported for their registration on the group)
COMMANDS = (consolidate, demo, excel_setup, export, fill, new, remind, report, validate)
__all__ = ["cli", "main"]

if __name__ == "__main__":
    main()
