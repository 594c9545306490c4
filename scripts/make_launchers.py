"""Writes the double-click launchers of scripts/launchers from their two templates.

Each action (kiem-tra, tao-phieu, tong-hop) is one file per system, because the office
double-clicks the file named for what it wants done: `.bat` for Windows (CRLF), `.sh` for
Linux and `.command` for macOS (the same bytes, executable). They differ only in the ACTION
line, so they are written from launcher.bat.in and launcher.sh.in; tests/test_launchers.py
checks that the committed files are what this writes. Run: python scripts/make_launchers.py
"""

from __future__ import annotations

from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
LAUNCHERS = SCRIPTS / "launchers"
# file name (what the office reads) -> the cchc-xl command it runs
ACTIONS = {"kiem-tra": "validate", "tao-phieu": "fill", "tong-hop": "consolidate"}
PLACEHOLDER = "@ACTION@"


def launchers() -> dict[str, bytes]:
    """File name -> the bytes it must hold."""
    templates = {suffix: (SCRIPTS / f"launcher{suffix}.in").read_text(encoding="utf-8")
                 .replace("\r\n", "\n")  # (whatever line ends a checkout gave the template)
                 for suffix in (".bat", ".sh")}
    files = {}
    for stem, action in ACTIONS.items():
        bat = templates[".bat"].replace(PLACEHOLDER, action)
        sh = templates[".sh"].replace(PLACEHOLDER, action).encode("utf-8")
        files[f"{stem}.bat"] = bat.replace("\n", "\r\n").encode("utf-8")  # cmd.exe wants CRLF
        files[f"{stem}.sh"] = files[f"{stem}.command"] = sh
    return files


def main() -> None:
    for name, data in launchers().items():
        path = LAUNCHERS / name
        path.write_bytes(data)
        path.chmod(0o644 if name.endswith(".bat") else 0o755)
        print(path.relative_to(SCRIPTS.parent))


if __name__ == "__main__":
    main()
