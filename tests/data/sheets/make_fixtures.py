#!/usr/bin/python3
"""Writes the spreadsheet fixtures of sheets_test: one results table (a РЦОИ-like export:
title rows, a two-row header with merged cells, data, a totals row and a note) as CSV (UTF-8
with ';', Windows-1251 with ';'), as XLSX by openpyxl (1900 and 1904 date systems, with a second
sheet and a hidden one) and as XLSX by LibreOffice (converted from the UTF-8 CSV with Russian
settings), plus the two OLE files of the must-fail set (a password-protected workbook and an
Excel 97-2003 book: only their signature and directory names matter to the reader).

    /usr/bin/python3 tests/data/sheets/make_fixtures.py [OUT_DIR]   (default: this folder)

Run with Debian's python3 (python3-openpyxl) and soffice (libreoffice-calc-nogui). The files are
committed; tests/sheets_writers.sh runs this again into the build folder so that the readers are
also checked against the installed LibreOffice and openpyxl.
"""
import datetime
import os
import shutil
import struct
import subprocess
import sys
import tempfile

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else HERE

TITLE = "Результаты ОГЭ по математике, 2020-2021 учебный год"
SUBTITLE = "Муниципальное образование: город Смоленск"
NOTE = "Исполнитель: Иванова И.И."

# The CSV as a regional centre's export writes it: a merged header cell becomes a cell followed
# by empty ones; numbers as the Russian locale writes them.
CSV_ROWS = [
    [TITLE, "", "", "", "", ""],
    [SUBTITLE, "", "", "", "", ""],
    ["", "", "", "", "", ""],
    ["№ п/п", "Код ОО", "Наименование ОО", "ОГЭ, математика", "", "Дата проведения"],
    ["", "", "", "Участников", "Доля «2», %", ""],
    ["1", "sh-1", "МБОУ «СШ № 1»", "45", "16%", "22.12.2020"],
    ["2", "sh-2", "МБОУ \"СШ № 2\"; корпус 2", "1 045", "16,5", "22.12.2020"],
    ["3", "sh-3", "МБОУ «Гимназия № 4»\nим. А.С. Пушкина", "30", "", "2020-12-23"],
    ["4", "sh-4", "МБОУ «СШ № 7»", "12", "0", "44188"],
    ["Итого", "", "", "1132", "11,6", ""],
    ["", "", "", "", "", ""],
    [NOTE, "", "", "", "", ""],
]


def csv_text(rows, sep):
    def field(v):
        if any(c in v for c in (sep, '"', "\n", "\r")):
            return '"' + v.replace('"', '""') + '"'
        return v
    return "\r\n".join(sep.join(field(v) for v in row) for row in rows) + "\r\n"


def write_csvs():
    text = csv_text(CSV_ROWS, ";")
    with open(os.path.join(OUT, "results_utf8.csv"), "wb") as f:
        f.write(b"\xef\xbb\xbf" + text.encode("utf-8"))
    with open(os.path.join(OUT, "results_cp1251.csv"), "wb") as f:
        f.write(text.encode("cp1251"))
    # Comma-separated, LF, no BOM: the other common shape.
    with open(os.path.join(OUT, "results_comma.csv"), "wb") as f:
        rows = [[v.replace("16,5", "16.5").replace("11,6", "11.6") for v in r] for r in CSV_ROWS]
        f.write(csv_text(rows, ",").replace("\r\n", "\n").encode("utf-8"))


def results_sheet(ws, epoch_1904=False):
    ws.append([TITLE])
    ws.merge_cells("A1:F1")
    ws.append([SUBTITLE])
    ws.append([])
    ws.append(["№ п/п", "Код ОО", "Наименование ОО", "ОГЭ, математика", None, "Дата проведения"])
    ws.append([None, None, None, "Участников", "Доля «2», %", None])
    for rng in ("A4:A5", "B4:B5", "C4:C5", "D4:E4", "F4:F5"):
        ws.merge_cells(rng)
    day = datetime.date(2020, 12, 22)
    ws.append([1, "sh-1", "МБОУ «СШ № 1»", 45, 0.16, day])
    ws.append([2, "sh-2", "МБОУ \"СШ № 2\"; корпус 2", 1045, 16.5, datetime.datetime(2020, 12, 22)])
    ws.append([3, "sh-3", "МБОУ «Гимназия № 4»\nим. А.С. Пушкина", 30, None, "2020-12-23"])
    # A number stored as text; a date as a bare serial (in the workbook's own date system).
    serial = 44188 if not epoch_1904 else 44188 - 1462
    ws.append([4, "sh-4", "МБОУ «СШ № 7»", "12", 0, serial])
    ws.append(["Итого", None, None, "=SUM(D6:D9)", 11.6, None])
    ws.append([])
    ws.append([NOTE])
    for row in range(6, 10):
        ws.cell(row=row, column=5).number_format = "0%" if row == 6 else "0.0"
        ws.cell(row=row, column=6).number_format = "DD.MM.YYYY" if row != 9 else "General"
    ws.cell(row=7, column=6).number_format = "dd/mm/yyyy\\ hh:mm"


def write_openpyxl(name, epoch_1904=False):
    wb = openpyxl.Workbook()
    if epoch_1904:
        wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Результаты"
    results_sheet(ws, epoch_1904)
    other = wb.create_sheet("Школы")
    other.append(["Код", "Школа", "Учеников", "Открыта", "Городская"])
    other.append(["sh-1", "МБОУ «СШ № 1»", 812, datetime.date(1936, 9, 1), True])
    other.append(["sh-2", "МБОУ «СШ № 2»", 640, datetime.date(1961, 9, 1), False])
    other["D2"].number_format = "DD.MM.YYYY"
    other["D3"].number_format = "DD.MM.YYYY"
    hidden = wb.create_sheet("Служебный")
    hidden.sheet_state = "hidden"
    hidden["A1"] = "не для печати"
    wb.save(os.path.join(OUT, name))


def write_libreoffice():
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        sys.exit("soffice not found (bash .ci/setup test)")
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "results_libreoffice.csv")
        shutil.copy(os.path.join(OUT, "results_utf8.csv"), src)
        # CSV filter: separator ';' (59), quote '"' (34), UTF-8 (76), from line 1, default column
        # types, language Russian (1049): «16,5» and «22.12.2020» become a number and a date.
        subprocess.run([soffice, "-env:UserInstallation=file://" + os.path.join(tmp, "profile"),
                        "--headless", "--infilter=CSV:59,34,76,1,,1049",
                        "--convert-to", "xlsx", "--outdir", tmp, src],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.copy(os.path.join(tmp, "results_libreoffice.xlsx"), OUT)


def ole_file(names):
    """A minimal OLE compound file: header, one FAT sector, one directory sector naming
    `names` (UTF-16LE), as far as a reader needs to tell what it is."""
    header = bytearray(512)
    header[0:8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"
    struct.pack_into("<HHHH", header, 24, 0x3E, 3, 0xFFFE, 9)   # minor, major, byte order, sector shift
    struct.pack_into("<H", header, 32, 6)                          # mini sector shift
    struct.pack_into("<I", header, 44, 1)                          # FAT sectors
    struct.pack_into("<I", header, 48, 1)                          # first directory sector
    struct.pack_into("<I", header, 56, 4096)                       # mini stream cutoff
    struct.pack_into("<I", header, 60, 0xFFFFFFFE)                 # no mini FAT
    struct.pack_into("<I", header, 68, 0xFFFFFFFE)                 # no DIFAT
    struct.pack_into("<I", header, 76, 0)                          # FAT in sector 0
    for i in range(1, 109):
        struct.pack_into("<I", header, 76 + 4 * i, 0xFFFFFFFF)
    fat = bytearray(b"\xFF" * 512)
    struct.pack_into("<II", fat, 0, 0xFFFFFFFD, 0xFFFFFFFE)       # sector 0: FAT, 1: directory
    directory = bytearray(512)
    for i, name in enumerate(["Root Entry"] + names[:3]):
        entry = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\0\0"
        entry[0:len(encoded)] = encoded
        struct.pack_into("<H", entry, 64, len(encoded))
        entry[66] = 5 if i == 0 else 2                             # root storage / stream
        struct.pack_into("<III", entry, 68, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
        directory[128 * i:128 * (i + 1)] = entry
    return bytes(header + fat + directory)


def write_ole():
    with open(os.path.join(OUT, "encrypted.xlsx"), "wb") as f:
        f.write(ole_file(["EncryptionInfo", "EncryptedPackage"]))
    with open(os.path.join(OUT, "old_format.xls"), "wb") as f:
        f.write(ole_file(["Workbook"]))


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    write_csvs()
    write_openpyxl("results_openpyxl.xlsx")
    write_openpyxl("results_openpyxl_1904.xlsx", epoch_1904=True)
    write_libreoffice()
    write_ole()
