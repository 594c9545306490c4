"""cchc-xl: a commune's administrative reform (CCHC) plan, kept in Excel."""

__version__ = "0.1.0"
