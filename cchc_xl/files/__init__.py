"""Workbooks and documents on disk: safe open and save, styles, pages, LibreOffice."""
