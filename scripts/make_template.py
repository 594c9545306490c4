"""Write workbooks/template.xlsx from the layout declared in cchc_xl/layout.py.

Usage: python scripts/make_template.py [OUT]   (default: workbooks/template.xlsx)
"""

from __future__ import annotations

import sys
from pathlib import Path

from cchc_xl.files.open_save import save
from cchc_xl.master.build import build_template

DEFAULT = Path(__file__).resolve().parent.parent / "workbooks" / "template.xlsx"


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else DEFAULT
    out.parent.mkdir(parents=True, exist_ok=True)
    save(build_template(), out, backup=False)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
