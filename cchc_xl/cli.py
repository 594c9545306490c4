"""The `cchc-xl` command: parses arguments, calls one library function, renders its result."""

from __future__ import annotations

import sys

import click


class _OpenpyxlWithoutNumpy:
    """openpyxl imports numpy, if it is installed (pandas brings it), only to take numpy
    numbers as cell values; the tool never writes one, and the import costs ≈ 0.1 s of every
    command's start (a quarter of `validate`). For the command line, openpyxl's own attempt is
    turned down (it then goes on without numpy); numpy itself stays importable."""

    def find_spec(self, name, path=None, target=None):
        numbers = sys.modules.get("openpyxl.compat.numbers")
        if name == "numpy" and numbers is not None and not hasattr(numbers, "NUMPY"):
            sys.meta_path.remove(self)  # (once: openpyxl is importing it right now)
            raise ModuleNotFoundError("numpy is not needed by cchc-xl", name=name)
        return None


if "openpyxl" not in sys.modules:
    sys.meta_path.insert(0, _OpenpyxlWithoutNumpy())

# (after the hook above: the commands are imported with it in place)
from .cli_options import LANG_KEY  # noqa: E402
from .commands import consolidate, demo, excel_setup, export, fill, new, remind, report, validate  # noqa: E402
from .usage import Choice, Group  # noqa: E402


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cchc-xl", help="Hiện phiên bản rồi thoát / show the version.")
@click.option("--lang", type=Choice(["vi", "en"]), expose_value=False, is_eager=True,
              callback=lambda ctx, _, value: ctx.meta.__setitem__(LANG_KEY, value),
              help="Ngôn ngữ thông báo (trước hoặc sau tên lệnh) / message language (before "
                   "or after the command).")
def cli() -> None:
    """cchc-xl: theo dõi Kế hoạch cải cách hành chính (Chỉ số CCHC) của xã trong Excel."""


def main() -> None:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower() != "utf-8":
            try:
                stream.reconfigure(encoding="utf-8")
            except (ValueError, OSError):
                pass
    cli(prog_name="cchc-xl")


for _command in (consolidate.consolidate, demo.demo, excel_setup.excel_setup, export.export,
                 fill.fill, new.new, remind.remind, report.report, validate.validate):
    cli.add_command(_command)


if __name__ == "__main__":
    main()

