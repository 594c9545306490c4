@echo off
chcp 65001 >nul
setlocal EnableExtensions DisableDelayedExpansion
rem cchc-xl: double-click to run. Copy this file next to the master workbook (.xlsx).
rem kiem-tra, tao-phieu, tong-hop: made by scripts/make_launchers.py from one template,
rem they differ only in the ACTION line.
rem A master can also be dropped onto this file. Needs Windows 10 or later (UTF-8 console).
set "ACTION=consolidate"
set "PYTHONUTF8=1"
set "PYTHONIOENCODING=utf-8"
cd /d "%~dp0"
title cchc-xl

if "%ACTION%"=="validate" set "TITLE=Kiểm tra sổ theo dõi"
if "%ACTION%"=="fill" set "TITLE=Tạo phiếu cho từng cán bộ"
if "%ACTION%"=="consolidate" set "TITLE=Tổng hợp các phiếu cán bộ gửi về"
echo === cchc-xl: %TITLE% ===
echo.

rem 1. Python and cchc-xl: py -m cchc_xl, else cchc-xl, else python -m cchc_xl
set "CCHC="
set "FOUND_PY="
where py >nul 2>nul && set "FOUND_PY=py"
if defined FOUND_PY py -c "import cchc_xl" >nul 2>nul && set "CCHC=py -m cchc_xl"
if not defined CCHC where cchc-xl >nul 2>nul && set "CCHC=cchc-xl"
if not defined CCHC where python >nul 2>nul && python -c "import cchc_xl" >nul 2>nul && set "CCHC=python -m cchc_xl"
if defined CCHC goto find_master
if defined FOUND_PY goto no_package
where python >nul 2>nul && python -c "import sys" >nul 2>nul && set "FOUND_PY=python"
if defined FOUND_PY goto no_package
echo CHƯA CÓ PYTHON trên máy này.
echo   1. Tải Python 3 tại https://www.python.org/downloads/ và chạy bộ cài;
echo      đánh dấu ô "Add python.exe to PATH" ở màn hình đầu tiên.
echo   2. Cài cchc-xl: mở thư mục mã nguồn cchc-xl, gõ cmd vào thanh địa chỉ, rồi gõ:
echo          py -m pip install .
echo   3. Nhấp đúp lại tệp này. Xem thêm: docs\huong-dan.md
set "RC=2"
goto finish

:no_package
echo ĐÃ CÓ PYTHON NHƯNG CHƯA CÀI cchc-xl.
echo   Mở thư mục mã nguồn cchc-xl, gõ cmd vào thanh địa chỉ, rồi gõ:
echo          %FOUND_PY% -m pip install .
echo   rồi nhấp đúp lại tệp này. Xem thêm: docs\huong-dan.md
set "RC=2"
goto finish

rem 2. The master: a file dropped on this one, or the only .xlsx here, or ask
:find_master
set "MASTER=%~1"
if defined MASTER goto have_master
set "COUNT=0"
for %%F in (*.xlsx) do call :consider "%%F"
if "%COUNT%"=="1" goto have_master
set "MASTER="
if "%COUNT%"=="0" echo Không thấy sổ theo dõi (.xlsx) nào cạnh tệp này: %CD%
if not "%COUNT%"=="0" echo Có %COUNT% tệp .xlsx cạnh tệp này, không biết tệp nào là sổ theo dõi.
set /p "MASTER=Kéo thả tệp sổ vào cửa sổ này (hoặc gõ tên tệp) rồi nhấn Enter: "
if not defined MASTER goto no_master
set "MASTER=%MASTER:"=%"

:have_master
if not exist "%MASTER%" goto no_master
for %%M in ("%MASTER%") do set "MASTER=%%~fM"
for %%M in ("%MASTER%") do set "FOLDER=%%~dpM"
set "FOLDER=%FOLDER:~0,-1%"
echo Sổ theo dõi: %MASTER%
echo.
goto run

:no_master
echo Không tìm thấy tệp sổ: %MASTER%
echo Chép tệp này vào thư mục có sổ theo dõi rồi nhấp đúp lại, hoặc kéo thả đúng tệp sổ.
set "RC=2"
goto finish

rem 3. The cchc-xl command of this action; its last line says what still needs action
:run
set "OUT=%TEMP%\cchc-xl-%RANDOM%%RANDOM%.txt"
goto run_%ACTION%

:run_validate
%CCHC% validate "%MASTER%" >"%OUT%"
goto summary

:run_fill
%CCHC% fill "%MASTER%" --out "%FOLDER%\phieu-gui" --eml >"%OUT%"
goto summary

:run_consolidate
if not exist "%FOLDER%\phieu-nhan\" mkdir "%FOLDER%\phieu-nhan"
%CCHC% consolidate "%MASTER%" "%FOLDER%\phieu-nhan" >"%OUT%"
goto summary

:summary
set "RC=%ERRORLEVEL%"
set "LAST="
if exist "%OUT%" type "%OUT%"
if exist "%OUT%" for /f "usebackq eol=| delims=" %%L in ("%OUT%") do set "LAST=%%L"
if exist "%OUT%" del "%OUT%" >nul 2>nul
echo.
if "%ACTION%"=="fill" if not "%RC%"=="2" echo Các phiếu và thư nháp (.eml) nằm trong thư mục: %FOLDER%\phieu-gui
if "%ACTION%"=="consolidate" if not "%RC%"=="2" echo Báo cáo đầy đủ là tệp có «_bao-cao_» trong tên, nằm cạnh sổ.
if "%RC%"=="1" echo Có vấn đề cần xem: danh sách ở trên, mỗi dòng nêu sheet và ô.
if "%RC%"=="0" goto result
if "%RC%"=="1" goto result
echo KẾT QUẢ: Không chạy được (mã %RC%). Đọc thông báo ở trên, sửa theo hướng dẫn rồi chạy lại.
goto finish

:result
rem (delayed expansion: the line may hold & < > | and is echoed as it is)
setlocal EnableDelayedExpansion
echo(KẾT QUẢ: !LAST!
endlocal

:finish
echo.
echo Nhấn phím bất kỳ để đóng cửa sổ này.
pause >nul
exit /b %RC%

:consider
set "NAME=%~nx1"
if "%NAME:~0,2%"=="~$" goto :eof
if not "%NAME:_bao-cao_=%"=="%NAME%" goto :eof
set /a COUNT+=1
set "MASTER=%~f1"
goto :eof
