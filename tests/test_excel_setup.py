"""`cchc-xl excel-setup`: a module name Run main can import, the control sheet (idempotent,
harmless to validate, kept by consolidate), the companion module and the add-in."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from cycle import load

from cchc_xl import layout
from cchc_xl.cli.main import cli
from cchc_xl.cycle.demo import build_demo_master
from cchc_xl.excel.setup import (
    COMPANION_MARK,
    check_name,
    excel_setup,
    install_addin,
    interpreter_config,
    suggest_stem,
)
from cchc_xl.files.open_save import excel_lock_file, save
from cchc_xl.master.check import validate

SHEET = layout.CONTROL_SHEET
NAME = "ke_hoach_cchc_2021.xlsx"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build_demo_master(tmp_path_factory.mktemp("built"))[1]


@pytest.fixture
def master(built, tmp_path) -> Path:
    target = tmp_path / "so" / NAME
    target.parent.mkdir()
    shutil.copy(built, target)
    return target


def invoke(*args: str):
    """The CLI; excel-setup never installs the add-in from the tests (Windows/macOS)."""
    args = list(args)
    if args[0] == "excel-setup" and sys.platform in ("win32", "darwin"):
        args.append("--no-addin")
    return CliRunner().invoke(cli, args)


# --- the name -------------------------------------------------------------------------------

@pytest.mark.parametrize("file, reason, suggestion", [
    ("ke_hoach_cchc_2021.xlsx", None, "ke_hoach_cchc_2021.xlsx"),
    ("Kế hoạch CCHC 2021.xlsx", "not-ascii", "ke_hoach_cchc_2021.xlsx"),
    ("ke-hoach.xlsx", "not-identifier", "ke_hoach.xlsx"),
    ("ke hoach.xlsx", "not-identifier", "ke_hoach.xlsx"),
    ("Sổ theo dõi – Đợt 1 (bản cuối).xlsx", "not-ascii", "so_theo_doi_dot_1_ban_cuoi.xlsx"),
    ("2021.xlsx", "not-identifier", "so_2021.xlsx"),
    ("class.xlsx", "keyword", "class_cchc.xlsx"),
    ("email.xlsx", "shadows", "email_cchc.xlsx"),
    ("Email.xlsx", "shadows", "email_cchc.xlsx"),
    ("test.xlsx", "shadows", "test_cchc.xlsx"),
    ("openpyxl.xlsx", "shadows", "openpyxl_cchc.xlsx"),
    ("xlwings.xlsx", "shadows", "xlwings_cchc.xlsx"),
    ("cchc_xl.xlsx", "shadows", "cchc_xl_cchc.xlsx"),
    ("Кế.xlsx", "not-ascii", "e.xlsx"),
    ("Кириллица.xlsx", "not-ascii", "so_theo_doi.xlsx"),
    ("ke_hoach.xlsm", "not-xlsx", "ke_hoach.xlsx"),
])
def test_name_rule_and_suggestion(file, reason, suggestion, tmp_path):
    check = check_name(tmp_path / file)
    assert (check.reason, check.suggestion) == (reason, suggestion)
    assert check.ok is (reason is None)


def test_the_companion_beside_the_master_is_not_a_shadow(master, monkeypatch):
    master.with_suffix(".py").write_text(f"{COMPANION_MARK}\n")
    monkeypatch.chdir(master.parent)
    monkeypatch.syspath_prepend(str(master.parent))
    assert check_name(master).ok


def test_suggestions_are_always_valid():
    for stem in ("__", "if", "sys", "Ấp 3", "a-b-c", "  ", "ĐĐ"):
        suggestion = suggest_stem(stem)
        assert suggestion.isidentifier() and suggestion.isascii(), stem
        assert check_name(Path(suggestion + ".xlsx")).ok, stem


def test_a_name_that_cannot_work_is_refused_with_the_rename(master):
    bad = master.with_name("Kế hoạch CCHC 2021.xlsx")
    master.rename(bad)
    before = bad.read_bytes()
    result = invoke("excel-setup", str(bad))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [  # (said as every failure is: «Lỗi: …», exit 2)
        "Lỗi: Tên tệp «Kế hoạch CCHC 2021.xlsx» không dùng được với nút Run main: Excel chạy "
        "«import Kế hoạch CCHC 2021», nên tên sổ phải là một tên module Python, không có chữ "
        "có dấu hay ký tự ngoài a–z, 0–9 và dấu gạch dưới.",
        "Đổi tên tệp thành «ke_hoach_cchc_2021.xlsx» (đóng Excel trước), bằng chuột phải > "
        "Đổi tên, hoặc bằng lệnh:",
        '    mv "Kế hoạch CCHC 2021.xlsx" ke_hoach_cchc_2021.xlsx'
        if os.name != "nt" else '    ren "Kế hoạch CCHC 2021.xlsx" ke_hoach_cchc_2021.xlsx',
        "hoặc chạy lại lệnh này với --rename để công cụ tự đổi tên.",
    ]
    assert bad.read_bytes() == before
    assert sorted(p.name for p in bad.parent.iterdir()) == ["Kế hoạch CCHC 2021.xlsx"]


def test_windows_users_get_the_ren_command():
    from cchc_xl.excel.setup import name_message

    check = check_name(Path("ke-hoach.xlsx"))
    assert name_message(check, "vi", windows=True).splitlines()[2] == \
        '    ren "ke-hoach.xlsx" ke_hoach.xlsx'
    assert name_message(check, "en", windows=False).splitlines()[0] == (
        "The file name 'ke-hoach.xlsx' cannot work with the Run main button: Excel runs "
        "'import ke-hoach', so the name must be a Python module name, only letters, digits "
        "and underscores (_), no spaces or dashes, not starting with a digit.")


def test_rename_option(master):
    bad = master.with_name("ke-hoach.xlsx")
    master.rename(bad)
    result = invoke("excel-setup", str(bad), "--rename")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "Đã đổi tên «ke-hoach.xlsx» thành «ke_hoach.xlsx»."
    assert not bad.exists()
    assert load(bad.with_name("ke_hoach.xlsx")).sheetnames[0] == SHEET
    assert bad.with_name("ke_hoach.py").is_file()


def test_rename_never_overwrites(master):
    bad = master.with_name("ke hoach.xlsx")
    shutil.copy(master, bad)
    shutil.copy(master, master.with_name("ke_hoach.xlsx"))
    result = invoke("excel-setup", str(bad), "--rename")
    assert result.exit_code == 2
    assert "Không đổi tên được: đã có" in result.stderr
    assert bad.exists()


# --- the control sheet ------------------------------------------------------------------------

@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="would install the add-in")
def test_setup_output(master):
    result = invoke("excel-setup", str(master))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"Đã thêm sheet «Điều khiển» vào sổ {master}; bản sao lưu: ")
    assert lines[1:] == [
        f"Tệp nút bấm (module Python, để cạnh sổ): {master.with_suffix('.py')}",
        "Máy này không có Excel (chỉ Windows và macOS): bỏ qua cài add-in. Chạy thử nút bấm "
        f"không cần Excel: python {master.with_suffix('.py')}",
        "Cách dùng: mở ke_hoach_cchc_2021.xlsx trong Excel, chọn sheet «Điều khiển», chọn "
        "thao tác ở ô B4, rồi bấm Run main trên thẻ xlwings.",
    ]


def test_json_output_is_the_library_result(master):
    result = invoke("excel-setup", str(master), "--json", "--no-addin")
    data = json.loads(result.stdout)
    assert data["master"] == str(master)
    assert (data["control_sheet"], data["control_added"], data["addin"]) == (SHEET, True,
                                                                             "skipped")
    assert data["module"] == str(master.with_suffix(".py"))
    assert Path(data["backup"]).parent.name == "sao-luu"


def test_control_sheet_layout(master):
    excel_setup(master, addin=False)
    wb = load(master)
    assert wb.sheetnames == [SHEET, *layout.MASTER_SHEETS]
    assert wb.active.title == SHEET
    assert [ws.title for ws in wb.worksheets if ws.sheet_view.tabSelected] == [SHEET]
    ws = wb[SHEET]
    assert [[ws.cell(row=int(c.cell[1:]), column=1).value, ws[c.cell].value]
            for c in layout.CONTROL_INPUTS] == [
        ["Thao tác", "Kiểm tra"],
        ["Thư mục ghi phiếu (Tạo phiếu, Nhắc việc)", "phieu-gui"],
        ["Thư mục phiếu gửi về (Tổng hợp)", "phieu-nhan"],
        ["Tên đợt (Tạo phiếu)", None],
        ["Tính đến ngày (Tổng hợp, Chấm điểm, Nhắc việc, Báo cáo tiến độ)", None],
        ["Tạo thư nháp email .eml (Tạo phiếu)", "Không"],
        ["Tệp kế hoạch (Tạo sổ mới)", None],
        ["Tệp sổ mới (Tạo sổ mới)", None],
        ["Ghi đè sổ mới nếu đã có (Tạo sổ mới)", "Không"],
    ]
    assert [ws[f"H{i}"].value for i in range(1, 9)] == [
        "Kiểm tra", "Tạo phiếu", "Tổng hợp", "Chấm điểm", "Nhắc việc", "Xuất phụ lục",
        "Báo cáo tiến độ", "Tạo sổ mới"]
    assert ws.column_dimensions["H"].hidden
    assert wb.defined_names[layout.CONTROL_ACTIONS_NAME].attr_text == \
        "'Điều khiển'!$H$1:$H$8"
    assert [(dv.type, dv.formula1, str(dv.sqref)) for dv in ws.data_validations.dataValidation] \
        == [("list", "DS_ThaoTac", "B4"), ("list", "DS_CoKhong", "B9"),
            ("list", "DS_CoKhong", "B12")]
    assert ws["B8"].number_format == layout.DATE
    assert (ws.page_setup.orientation, int(ws.page_setup.paperSize)) == ("landscape", 9)


def test_setup_twice_keeps_one_sheet_and_what_the_user_typed(master):
    excel_setup(master, addin=False)
    wb = load(master)
    wb[SHEET]["B4"], wb[SHEET]["B7"] = "Tổng hợp", "Đợt 3"
    wb[SHEET]["B20"] = "kết quả cũ"
    save(wb, master, backup=False)
    second = excel_setup(master, addin=False)
    assert not second.control_added and not second.module_changed
    wb = load(master)
    assert wb.sheetnames.count(SHEET) == 1 and wb.sheetnames[0] == SHEET
    assert [n for n in wb.defined_names if n == layout.CONTROL_ACTIONS_NAME] == \
        [layout.CONTROL_ACTIONS_NAME]
    assert len(wb[SHEET].data_validations.dataValidation) == 3
    assert (wb[SHEET]["B4"].value, wb[SHEET]["B7"].value, wb[SHEET]["B20"].value) == (
        "Tổng hợp", "Đợt 3", "kết quả cũ")


def test_validate_does_not_mind_the_control_sheet(master):
    before = validate(master)
    excel_setup(master, addin=False)
    after = validate(master)
    assert after.flatten() == before.flatten() == [["'Kế hoạch'!E5", "lost-children-mismatch"]]
    result = invoke("validate", str(master))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-2:] == [
        f"Kết quả kiểm tra {master}: 0 lỗi, 1 cảnh báo, 0 thông tin.",
        "Xong. Còn việc cần làm: 12 dòng quá hạn (1.2, 1.6, 1.7, 2.5, 3.2.1, 3.2.3, 4.2, 4.3, "
        "…)."]


def test_fill_and_consolidate_keep_the_control_sheet(master):
    excel_setup(master, addin=False)
    wb = load(master)
    wb[SHEET]["B7"] = "Đợt riêng"
    save(wb, master, backup=False)
    out, inbox = master.parent / "out", master.parent / "in"
    inbox.mkdir()
    assert invoke("fill", str(master), "--out", str(out)).exit_code == 0
    shutil.copy(out / "dot-1_tu-phap-ho-tich.xlsx", inbox)
    result = invoke("consolidate", str(master), str(inbox))
    assert result.exit_code == 0, result.output
    wb = load(master)
    assert wb.sheetnames[0] == SHEET and wb[SHEET]["B7"].value == "Đợt riêng"
    assert layout.CONTROL_ACTIONS_NAME in wb.defined_names
    assert [dv.formula1 for dv in wb[SHEET].data_validations.dataValidation] == [
        "DS_ThaoTac", "DS_CoKhong", "DS_CoKhong"]


def test_not_a_master(tmp_path, master):
    import openpyxl

    other = tmp_path / "bang_tinh.xlsx"
    openpyxl.Workbook().save(other)
    result = invoke("excel-setup", str(other))
    assert result.exit_code == 2
    assert "Thiếu sheet «Kế hoạch»" in result.stderr


def test_master_open_in_excel(master):
    excel_lock_file(master).write_bytes(b"owner")
    result = invoke("excel-setup", str(master))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Lỗi: Sổ đang mở trong Excel hoặc LibreOffice, hoặc đang được một lần chạy khác ghi "
        f"({excel_lock_file(master)}): không ghi gì. Đóng sổ ở cửa sổ hoặc máy kia (hoặc chờ "
        "lần chạy kia xong) rồi chạy lại.")


# --- the companion module --------------------------------------------------------------------

def test_companion_module_is_what_run_main_imports(master):
    excel_setup(master, addin=False)
    module = master.with_suffix(".py")
    text = module.read_text(encoding="utf-8")
    assert COMPANION_MARK in text and "MASTER = Path(__file__).with_name(" in text
    spec = importlib.util.spec_from_file_location(master.stem, module)
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)  # what `import ke_hoach_cchc_2021` does
    assert callable(loaded.main) and loaded.MASTER == master


def test_companion_module_runs_the_button_without_excel(master, tmp_path):
    excel_setup(master, addin=False)
    done = subprocess.run([sys.executable, str(master.with_suffix(".py"))], cwd=tmp_path,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert done.returncode == 1, done.stderr
    assert done.stdout == ("Kiểm tra xong: 0 lỗi, 1 cảnh báo, 0 thông tin. Xem các ô trong "
                           "danh sách bên dưới.\nXong. Còn việc cần làm: 12 dòng quá hạn (1.2, "
                           "1.6, 1.7, 2.5, 3.2.1, 3.2.3, 4.2, 4.3, …).\n")
    ws = load(master)[SHEET]
    assert (ws["B16"].value, ws["B17"].value) == ("Kiểm tra", "Xong, có vấn đề cần xem")


def test_a_foreign_python_file_is_not_overwritten(master):
    foreign = master.with_suffix(".py")
    foreign.write_text("print('của tôi')\n")
    before = master.read_bytes()
    result = invoke("excel-setup", str(master))
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"Lỗi: Đã có tệp {foreign} không do cchc-xl tạo. Đổi tên "
                                     "tệp đó, hoặc chạy lại với --force để ghi đè.")
    assert master.read_bytes() == before
    assert invoke("excel-setup", str(master), "--force").exit_code == 0
    assert COMPANION_MARK in foreign.read_text(encoding="utf-8")


# --- the add-in ------------------------------------------------------------------------------

class Runner:
    def __init__(self, returncode: int = 0, stdout: str = "", stderr: str = ""):
        self.calls: list[list[str]] = []
        self.result = subprocess.CompletedProcess([], returncode, stdout, stderr)

    def __call__(self, cmd, **kwargs):
        self.calls.append(cmd)
        return self.result


def test_no_addin_where_there_is_no_excel():
    runner = Runner()
    assert install_addin(platform="linux", run=runner).status == "skipped-platform"
    assert runner.calls == []


def test_addin_install_uses_xlwings_cli_and_points_it_at_this_python(tmp_path):
    config = tmp_path / ".xlwings" / "xlwings.conf"
    config.parent.mkdir()
    config.write_text('"INTERPRETER_WIN","C:\\old\\python.exe"\n"SHOW CONSOLE","False"\n')
    runner = Runner(stdout="Successfully installed the xlwings add-in! ")
    result = install_addin(platform="win32", executable="C:\\Py311\\python.exe",
                           config=config, run=runner)
    assert runner.calls == [["C:\\Py311\\python.exe", "-m", "xlwings.cli", "addin", "install"]]
    assert (result.status, result.detail, result.config) == (
        "installed", "Successfully installed the xlwings add-in!", config)
    assert config.read_text() == ('"SHOW CONSOLE","False"\n'
                                  '"INTERPRETER_WIN","C:\\Py311\\python.exe"\n')


def test_addin_install_failure_is_reported(tmp_path):
    runner = Runner(returncode=1, stderr="Error: Excel is running\n")
    result = install_addin(platform="darwin", executable="/usr/bin/python3",
                           config=tmp_path / "x.conf", run=runner)
    assert (result.status, result.detail) == ("failed", "Error: Excel is running")
    assert not (tmp_path / "x.conf").exists()


def test_interpreter_config_for_mac():
    assert interpreter_config("", "/opt/py/bin/python3", "darwin") == \
        '"INTERPRETER_MAC","/opt/py/bin/python3"\n'


def test_setup_over_an_older_control_sheet_keeps_inputs_not_results(master):
    """A control sheet of the layout before «Xuất phụ lục», «Báo cáo tiến độ», «Tạo sổ mới»:
    what the user typed stays, an old result never lands in a new input cell."""
    excel_setup(master, addin=False)
    wb = load(master)
    ws = wb[SHEET]
    ws["A8"] = "Tính đến ngày (Tổng hợp, Chấm điểm)"  # the older label of B8
    ws["B8"] = "30/06/2021"
    ws["A12"], ws["B12"] = "Thời điểm chạy", "02/07/2021 16:30"  # a result where B12 is now
    save(wb, master, backup=False)
    excel_setup(master, addin=False)
    ws = load(master)[SHEET]
    assert (ws["B8"].value, ws["B12"].value) == ("30/06/2021", "Không")
    assert ws["A12"].value == "Ghi đè sổ mới nếu đã có (Tạo sổ mới)"
