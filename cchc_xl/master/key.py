"""The master's sealing key: a secret only the master holds (a hidden defined name), with
which every officer workbook's stamp is sealed and every return's seal checked."""

from __future__ import annotations

import secrets

KEY_NAME = "_cchc_key"  # hidden defined name of the master holding its sealing key


def new_key() -> str:
    return secrets.token_hex(16)


def master_key(wb, create: bool = False) -> str | None:
    """The master's sealing key (a hidden defined name), created on request."""
    from openpyxl.workbook.defined_name import DefinedName

    if KEY_NAME in wb.defined_names:
        return wb.defined_names[KEY_NAME].attr_text.strip('"')
    if not create:
        return None
    key = new_key()
    wb.defined_names[KEY_NAME] = DefinedName(KEY_NAME, attr_text=f'"{key}"', hidden=True)
    return key
