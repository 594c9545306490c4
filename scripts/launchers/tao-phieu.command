#!/usr/bin/env bash
# cchc-xl: nhấp đúp để chạy (macOS: tệp .command; Linux: tệp .sh, "Chạy trong cửa sổ lệnh").
# Chép tệp này vào thư mục có sổ theo dõi (.xlsx). Ba tệp kiem-tra, tao-phieu, tong-hop do
# scripts/make_launchers.py tạo từ một mẫu, chỉ khác dòng ACTION. Có thể kéo thả tệp sổ vào
# tệp này, hoặc gõ: bash <tệp này> <sổ>.
ACTION=fill

export PYTHONUTF8=1 PYTHONIOENCODING=utf-8
case "$0" in */*) cd "${0%/*}" || exit 2 ;; esac
HERE=$PWD

finish() {
  echo
  read -r -p "Nhấn Enter để đóng cửa sổ này. " _ || true
  exit "$1"
}

case "$ACTION" in
  validate) TITLE="Kiểm tra sổ theo dõi" ;;
  fill) TITLE="Tạo phiếu cho từng cán bộ" ;;
  consolidate) TITLE="Tổng hợp các phiếu cán bộ gửi về" ;;
esac
echo "=== cchc-xl: $TITLE ==="
echo

# 1. Python và cchc-xl
CCHC=()
FOUND_PY=""
if command -v cchc-xl >/dev/null 2>&1; then
  CCHC=(cchc-xl)
else
  for py in python3 python; do
    command -v "$py" >/dev/null 2>&1 || continue
    FOUND_PY=$py
    if "$py" -c "import cchc_xl" >/dev/null 2>&1; then
      CCHC=("$py" -m cchc_xl)
      break
    fi
  done
fi
if [ ${#CCHC[@]} -eq 0 ]; then
  if [ -z "$FOUND_PY" ]; then
    echo "CHƯA CÓ PYTHON trên máy này."
    echo "  1. Cài Python 3 (bản 3.10 trở lên): https://www.python.org/downloads/"
    echo "     (macOS: tải bộ cài .pkg; Linux: sudo apt install python3 python3-pip)."
    echo "  2. Cài cchc-xl: mở Terminal trong thư mục mã nguồn cchc-xl rồi gõ:"
    echo "         python3 -m pip install ."
    echo "  3. Nhấp đúp lại tệp này."
  else
    echo "ĐÃ CÓ PYTHON ($FOUND_PY) NHƯNG CHƯA CÀI cchc-xl."
    echo "  Mở Terminal trong thư mục mã nguồn cchc-xl rồi gõ:"
    echo "         $FOUND_PY -m pip install ."
    echo "  rồi nhấp đúp lại tệp này. Xem thêm: docs/huong-dan.md"
  fi
  finish 2
fi

# 2. Sổ theo dõi: tệp kéo vào, hoặc tệp .xlsx duy nhất cạnh tệp này, hoặc hỏi
MASTER=${1:-}
if [ -z "$MASTER" ]; then
  shopt -s nullglob
  FOUND=()
  for f in *.xlsx; do
    case "$f" in '~$'* | .~* | *_bao-cao_*) continue ;; esac
    FOUND+=("$f")
  done
  if [ ${#FOUND[@]} -eq 1 ]; then
    MASTER="$HERE/${FOUND[0]}"
  else
    if [ ${#FOUND[@]} -eq 0 ]; then
      echo "Không thấy sổ theo dõi (.xlsx) nào cạnh tệp này ($HERE)."
    else
      echo "Có ${#FOUND[@]} tệp .xlsx cạnh tệp này, không biết tệp nào là sổ theo dõi:"
      printf '  %s\n' "${FOUND[@]}"
    fi
    read -r -p "Kéo thả tệp sổ vào cửa sổ này (hoặc gõ tên tệp) rồi nhấn Enter: " MASTER || true
    MASTER=${MASTER//\\ / }
    MASTER=${MASTER%"${MASTER##*[![:space:]]}"}
    MASTER=${MASTER#\"}; MASTER=${MASTER%\"}; MASTER=${MASTER#\'}; MASTER=${MASTER%\'}
  fi
fi
if [ ! -f "$MASTER" ]; then
  echo "Không tìm thấy tệp sổ: ${MASTER:-(chưa nhập)}"
  echo "Chép tệp này vào thư mục có sổ theo dõi rồi nhấp đúp lại, hoặc kéo thả đúng tệp sổ."
  finish 2
fi
case "$MASTER" in */*) FOLDER=${MASTER%/*} ;; *) FOLDER=$HERE ;; esac
echo "Sổ theo dõi: $MASTER"
echo

# 3. Chạy đúng lệnh cchc-xl tương ứng; dòng cuối lệnh in ra nói còn việc gì phải làm
MARK="__cchc_xl_ma_ket_thuc__"
run() {
  # (each line shown as it comes, but the last one held back: it becomes «KẾT QUẢ: …»)
  LAST=""
  HELD=0
  RC=2
  while IFS= read -r line; do
    case $line in
      "$MARK"*) RC=${line#"$MARK"} ;;
      *)
        if [ "$HELD" -eq 1 ]; then printf '%s\n' "$LAST"; fi
        LAST=$line
        HELD=1 ;;
    esac
  done < <("${CCHC[@]}" "$@"; echo "$MARK$?")
  if [ "$RC" -gt 1 ] && [ "$HELD" -eq 1 ]; then printf '%s\n' "$LAST"; fi
}
export PYTHONUNBUFFERED=1
case "$ACTION" in
  validate)
    run validate "$MASTER" ;;
  fill)
    run fill "$MASTER" --out "$FOLDER/phieu-gui" --eml ;;
  consolidate)
    if [ ! -d "$FOLDER/phieu-nhan" ]; then
      mkdir -p "$FOLDER/phieu-nhan"
      echo "Đã tạo thư mục $FOLDER/phieu-nhan: chép các phiếu cán bộ gửi về vào đó."
    fi
    run consolidate "$MASTER" "$FOLDER/phieu-nhan" ;;
esac

echo
if [ "$RC" -le 1 ]; then
  case "$ACTION" in
    fill) echo "Các phiếu và thư nháp (.eml) nằm trong thư mục: $FOLDER/phieu-gui" ;;
    consolidate) echo "Báo cáo đầy đủ là tệp có «_bao-cao_» trong tên, nằm cạnh sổ." ;;
  esac
  if [ "$RC" -eq 1 ]; then
    echo "Có vấn đề cần xem: danh sách ở trên, mỗi dòng nêu sheet và ô."
  fi
  echo "KẾT QUẢ: $LAST"
else
  echo "KẾT QUẢ: Không chạy được (mã $RC). Đọc thông báo ở trên, sửa theo hướng dẫn rồi chạy lại."
fi
finish "$RC"
