"""Writes the bad-input corpus (tests/bad_inputs/*/): one directory per case with its
files and case.toml. Run from anywhere: `python3 tests/bad_inputs/generate.py`.

The files it writes are the corpus; this script records how they were made, in particular
the binary ones (GBK and invalid bytes, .xlsx workbooks). Editing a case by hand is fine;
rerunning the script rewrites every case it knows.
"""
import io, json, os, sys, zipfile

ROOT = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(ROOT)
FLAT_TOML = open(os.path.join(TESTS, 'data/flat.toml'), encoding='utf-8').read()
FLAT_CSV = open(os.path.join(TESTS, 'data/flat.csv'), encoding='utf-8').read()
HEADER = "zone_id,zone_name,region,fdi_actual,fdi_contracted,energy\n"

def tq(s):
    return json.dumps(s, ensure_ascii=False)

def sub(old, new, text=FLAT_TOML):
    assert old in text, old
    return text.replace(old, new, 1)

CASES = []
def case(name, about, args, exit, stderr=(), regex=(), files=None, env=None, driver_out=None, stderr_not=()):
    CASES.append(name)
    d = os.path.join(ROOT, name)
    os.makedirs(d, exist_ok=True)
    for f, content in (files or {}).items():
        mode = 'wb' if isinstance(content, bytes) else 'w'
        with open(os.path.join(d, f), mode, **({} if mode == 'wb' else {'encoding': 'utf-8', 'newline': '\n'})) as fh:
            fh.write(content)
    lines = [f"about = {tq(about)}", "args = [" + ", ".join(tq(a) for a in args) + "]", f"exit = {exit}"]
    if stderr:
        lines.append("stderr = [" + ", ".join(tq(s) for s in stderr) + "]")
    if regex:
        lines.append("stderr_regex = [" + ", ".join("'" + r + "'" for r in regex) + "]")
    if stderr_not:
        lines.append("stderr_not = [" + ", ".join(tq(s) for s in stderr_not) + "]")
    if env:
        lines.append("env = { " + ", ".join(f"{k} = {tq(v)}" for k, v in env.items()) + " }")
    if driver_out is not None:
        lines.append(f"driver_out = {'true' if driver_out else 'false'}")
    with open(os.path.join(d, 'case.toml'), 'w', encoding='utf-8') as fh:
        fh.write("\n".join(lines) + "\n")

def ev(system='../common/flat.toml', data='data.csv', *extra):
    return ["evaluate", "--system", system, "--data", data, *extra]

def csv(rows):
    return HEADER + "".join(r + "\n" for r in rows)

# ---------------------------------------------------------------- common files
os.makedirs(os.path.join(ROOT, 'common'), exist_ok=True)
open(os.path.join(ROOT, 'common/flat.toml'), 'w', encoding='utf-8').write(FLAT_TOML)
open(os.path.join(ROOT, 'common/flat.csv'), 'w', encoding='utf-8').write(FLAT_CSV)

# ---------------------------------------------------------------- CSV structure
case("id-with-bom", "a byte-order mark inside a zone id (pasted from another file) would make a second, identical-looking zone: an error naming the cell",
     ev(), 1, ["data.csv:3:1: zone id `z1` contains an invisible character (U+FEFF)"],
     files={"data.csv": csv(["z1,甲,鲁东,1,2,3", "\ufeffz1,乙,鲁东,4,5,6"])})
case("id-with-zero-width-space", "a zero-width space inside a zone id is an error naming the cell",
     ev(), 1, ["data.csv:2:1: zone id `z1` contains an invisible character (U+200B)"],
     files={"data.csv": csv(["z\u200b1,甲,鲁东,1,2,3", "z2,乙,鲁东,4,5,6"])})
case("group-cell-empty", "an empty cell in a group column is a located warning (the zone is grouped with the others that lack one), exit 0",
     ev(), 0, ['warning: data.csv:3:3: zone "乙" has no `region`: it is grouped with the other zones without one'],
     files={"data.csv": csv(["z1,甲,鲁东,1,2,3", "z2,乙,,4,5,6"])})
case("number-underflow", "1e-400 is not silently read as 0: an error naming the cell",
     ev(), 1, ['data.csv:3:6: zone "乙", column `energy`: not a number ("1e-400"); number too small to represent'],
     files={"data.csv": csv(["z1,甲,鲁东,1,2,3", "z2,乙,鲁东,4,5,1e-400"])})
case("csv-ragged-row-short", "a row with fewer fields than the header", ev(), 1,
     ["data.csv:3: ragged row: 5 fields, but the header has 6"],
     files={"data.csv": csv(["z1,甲,鲁东,1,2,3", "z2,乙,鲁东,1,2"])})
case("csv-ragged-row-long", "a row with more fields than the header", ev(), 1,
     ["data.csv:2: ragged row: 7 fields, but the header has 6"],
     files={"data.csv": csv(["z1,甲,鲁东,1,2,3,4", "z2,乙,鲁东,1,2,3"])})
case("csv-unterminated-quote", "a quoted field that never closes names the line where it opened", ev(), 1,
     ["data.csv:3: unterminated quote"],
     files={"data.csv": csv(["z1,甲,鲁东,1,2,3", 'z2,"乙,鲁东,1,2,3', "z3,丙,鲁东,1,2,3"])})
case("csv-empty-file", "a file of zero bytes", ev(), 1, ["data.csv: the file is empty"], files={"data.csv": ""})
case("csv-blank-lines-only", "a file of blank lines and a BOM", ev(), 1, ["data.csv: the file is empty"],
     files={"data.csv": b"\xef\xbb\xbf\n  \n\r\n"})
case("csv-only-empty-fields", "regression (fuzz data_reader): a file holding only `\"\"` panicked", ev(), 1,
     ["data.csv: the file has no header"], files={"data.csv": '""'})
case("csv-header-only", "a header without zones", ev(), 1, ["data.csv:1: the file has a header but no zones"],
     files={"data.csv": HEADER})
case("csv-duplicate-zone-id", "the same zone id twice", ev(), 1,
     ["data.csv:3:1: duplicate zone id `z1` (first on line 2)"],
     files={"data.csv": csv(["z1,甲,鲁东,1,2,3", "z1,乙,鲁东,4,5,6"])})
case("csv-duplicate-zone-year", "the same (zone id, year) twice when there is a year column", ev(), 1,
     ["data.csv:4:1: duplicate zone `z1` for year 2023 (first on line 2)"],
     files={"data.csv": "zone_id,zone_name,year,region,fdi_actual,fdi_contracted,energy\n"
            "z1,甲,2023,鲁东,1,2,3\nz1,甲,2024,鲁东,1,2,3\nz1,甲,2023,鲁东,4,5,6\n"})
case("csv-empty-zone-id", "a row without a zone id", ev(), 1, ["data.csv:3:1: empty zone id"],
     files={"data.csv": csv(["z1,甲,鲁东,1,2,3", ",乙,鲁东,4,5,6"])})
case("csv-duplicate-column", "a header naming a column twice", ev(), 1,
     ["data.csv:1:7: duplicate column `energy` (fields 6 and 7)"],
     files={"data.csv": HEADER.strip() + ",energy\nz1,甲,鲁东,1,2,3,3\n"})
case("csv-missing-indicator-column", "a column the system needs is absent; the message says which indicator needs it", ev(), 1,
     ["data.csv:1: missing column `energy`", "required by ../common/flat.toml:28:1"],
     files={"data.csv": "zone_id,zone_name,region,fdi_actual,fdi_contracted\nz1,甲,鲁东,1,2\n"})
case("csv-missing-id-column", "no zone id column; the nearest header is suggested", ev(), 1,
     ["data.csv:1: missing column `zone_id`", "did you mean `zone_ids`?"],
     files={"data.csv": "zone_ids,zone_name,region,fdi_actual,fdi_contracted,energy\nz1,甲,鲁东,1,2,3\n"})

# ---------------------------------------------------------------- CSV cells
for nm, cell, why in [("abc", "abc", "expected a plain decimal number"),
                      ("percent", '"12,4%"', "write percentages as plain numbers without `%`"),
                      ("dash", "—", "expected a plain decimal number, or an empty cell for missing"),
                      ("nan", "NaN", "expected a plain decimal number"),
                      ("inf", "inf", "expected a plain decimal number"),
                      ("negative-inf", "-inf", "expected a plain decimal number"),
                      ("overflow", "1e999", "number out of range"),
                      ("full-width", "１２", "full-width digits"),
                      ("thousands", '"68,500"', "remove thousands separators")]:
    shown = cell.strip('"')
    case(f"cell-{nm}", f"a numeric cell holding {shown!r} is an error naming file:line:col, zone and column", ev(), 1,
         [f'data.csv:3:4: zone "乙", column `fdi_actual`: not a number ("{shown}")', why],
         files={"data.csv": csv(["z1,甲,鲁东,1,2,3", f"z2,乙,鲁东,{cell},2,3"])})
case("cell-missing-value", "an empty cell is missing, an error by default, naming zone and indicator", ev(), 1,
     ['data.csv:3:6: zone "乙", indicator energy: missing value', '[data] missing = "mean"'],
     files={"data.csv": csv(["z1,甲,鲁东,1,2,3", "z2,乙,鲁东,4,5,"])})
case("cell-error-in-chinese", "--lang zh: the same located message in Chinese", ev('../common/flat.toml', 'data.csv', '--lang', 'zh'), 1,
     ['data.csv:3:4: 开发区“乙”，列 `fdi_actual`：不是数值（“12,4%”）', "百分数"],
     files={"data.csv": csv(["z1,甲,鲁东,1,2,3", 'z2,乙,鲁东,"12,4%",2,3'])})

# ---------------------------------------------------------------- encodings
gbk = csv(["z1,济南高新区,鲁中,1,2,3", "z2,青岛开发区,鲁东,4,5,6"]).encode('gbk')
case("encoding-gbk-detected", "GBK without --encoding is detected (DESIGN.md: \"GBK detected\"): a warning on stderr, exit 0", ev(), 0,
     ["warning: data.csv: not UTF-8; read as GBK"], files={"data.csv": gbk})
case("encoding-gbk-as-utf8", "GBK bytes with --encoding utf-8 are refused, naming the line", ev('../common/flat.toml', 'data.csv', '--encoding', 'utf-8'), 1,
     ["data.csv:2: bytes that are not valid UTF-8 text"], files={"data.csv": gbk})
case("encoding-neither", "bytes valid in neither UTF-8 nor GBK, naming the line", ev(), 1,
     ["data.csv:3: bytes that are not valid UTF-8 or GBK text"],
     files={"data.csv": csv(["z1,甲,鲁东,1,2,3"]).encode() + b"z2,\xff\xfe\xff,r,1,2,3\n"})
case("system-not-utf8", "a system file that is not UTF-8 names the line and the column of the first bad byte (GBK 示 = CA BE is valid UTF-8 by accident; C0 is not)", ["validate", "system.toml"], 1,
     ["system.toml:3:10: system file is not valid UTF-8"],
     files={"system.toml": sub('name = "示例评价"', 'name = "\x00"').replace('"\x00"', '"@@"').encode().replace(b'"@@"', b'"\xca\xbe\xc0\xfd"')})

# ---------------------------------------------------------------- years
YCSV = "zone_id,zone_name,year,region,fdi_actual,fdi_contracted,energy\nz1,甲,2023,鲁东,1,2,3\nz2,乙,2023,鲁东,4,5,6\n"
case("year-not-a-number", "a year cell that is not a whole number", ev(), 1, ["data.csv:3:3: year `2023.5` is not a whole number"],
     files={"data.csv": YCSV.replace("z2,乙,2023", "z2,乙,2023.5")})
case("year-not-in-data", "--year for a year the data does not have lists the years present", ev('../common/flat.toml', 'data.csv', '--year', '1999'), 1,
     ["data.csv: no data for year 1999 (years present: 2023)"], files={"data.csv": YCSV})
case("year-without-year-column", "--year when the data has no year column", ev('../common/flat.toml', '../common/flat.csv', '--year', '2023'), 1,
     ["flat.csv: --year 2023: the data has no year column"])
case("year-not-an-integer-flag", "--year abc is a usage error", ev('../common/flat.toml', '../common/flat.csv', '--year', 'abc'), 2,
     ["invalid value 'abc' for '--year <YEAR>'"])



# ---------------------------------------------------------------- xlsx
# A minimal .xlsx writer (inline strings), enough for the cases.

def col_name(c):
    s = ""
    c += 1
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s

def cell_xml(r, c, v):
    ref = f"{col_name(c)}{r+1}"
    if v is None:
        return ""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return f'<c r="{ref}"><v>{v!r}</v></c>'
    if isinstance(v, tuple) and v[0] == "raw":
        return v[1].replace("REF", ref)
    t = str(v).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<c r="{ref}" t="inlineStr"><is><t>{t}</t></is></c>'

def sheet_xml(cells):
    """cells: dict (row, col) -> value, 0-based."""
    rows = {}
    for (r, c), v in cells.items():
        rows.setdefault(r, []).append((c, v))
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r in sorted(rows):
        out.append(f'<row r="{r+1}">' + "".join(cell_xml(r, c, v) for c, v in sorted(rows[r])) + "</row>")
    out.append("</sheetData></worksheet>")
    return "".join(out)

def put(z, name, data):
    """A zip entry with a fixed timestamp, so the workbooks are byte-for-byte reproducible."""
    zi = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
    zi.compress_type = z.compression
    z.writestr(zi, data)

# Cell formats: 0 general, 1 a date (built-in number format 14), for `s="1"` cells.
STYLES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
          '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
          '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
          '<borders count="1"><border/></borders>'
          '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
          '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
          '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
          '</styleSheet>')

def write_xlsx(path, sheets, compress=zipfile.ZIP_DEFLATED, styles=False):
    """sheets: list of (name, cells-dict or list of rows); styles: include STYLES."""
    z = zipfile.ZipFile(path, "w", compress)
    norm = []
    for name, data in sheets:
        if isinstance(data, list):
            data = {(r, c): v for r, row in enumerate(data) for c, v in enumerate(row)}
        norm.append((name, data))
    ct = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">',
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>',
          '<Default Extension="xml" ContentType="application/xml"/>',
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>']
    for i, _ in enumerate(norm):
        ct.append(f'<Override PartName="/xl/worksheets/sheet{i+1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
    if styles:
        ct.append('<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>')
    ct.append("</Types>")
    put(z, "[Content_Types].xml", "".join(ct))
    put(z, "_rels/.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    wb = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>']
    rels = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">']
    for i, (name, _) in enumerate(norm):
        wb.append(f'<sheet name="{name}" sheetId="{i+1}" r:id="rId{i+1}"/>')
        rels.append(f'<Relationship Id="rId{i+1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i+1}.xml"/>')
    wb.append("</sheets></workbook>")
    if styles:
        rels.append('<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>')
    rels.append("</Relationships>")
    put(z, "xl/workbook.xml", "".join(wb))
    put(z, "xl/_rels/workbook.xml.rels", "".join(rels))
    for i, (name, cells) in enumerate(norm):
        put(z, f"xl/worksheets/sheet{i+1}.xml", sheet_xml(cells))
    if styles:
        put(z, "xl/styles.xml", STYLES)
    z.close()

def xlsx(sheets, compress=zipfile.ZIP_DEFLATED, styles=False):
    b = io.BytesIO()
    write_xlsx(b, sheets, compress, styles)
    return b.getvalue()
XH = ["zone_id", "zone_name", "region", "fdi_actual", "fdi_contracted", "energy"]
case("xlsx-not-a-workbook", "a .xlsx file that is not a zip archive", ev('../common/flat.toml', 'data.xlsx'), 1,
     ["data.xlsx: not a readable .xlsx workbook"], files={"data.xlsx": b"zone_id,zone_name\nz1,a\n"})
case("xlsx-text-in-numeric-cell", "an xlsx cell with text where a number belongs: the Excel cell address", ev('../common/flat.toml', 'data.xlsx'), 1,
     ['data.xlsx!2023!F3: zone "乙", column `energy`: not a number ("n/a")'],
     files={"data.xlsx": xlsx([("2023", [XH, ["z1", "甲", "鲁东", 1, 2, 3], ["z2", "乙", "鲁东", 4, 5, "n/a"]])])})
case("xlsx-date-in-numeric-cell", "an xlsx date cell (1 May 2023, serial 45047) where a number belongs is an error naming the cell, never the serial number as a value",
     ev('../common/flat.toml', 'data.xlsx'), 1,
     ['data.xlsx!2023!D3: zone "乙", column `fdi_actual`: not a number ("2023-05-01")'],
     files={"data.xlsx": xlsx([("2023", [XH, ["z1", "甲", "鲁东", 1, 2, 3], ["z2", "乙", "鲁东", ("raw", '<c r="REF" s="1"><v>45047</v></c>'), 5, 6]])], styles=True)})
case("xlsx-offset-duplicate-zone", "a sheet starting at C3: locations are Excel cell addresses (sheet, column letter, row)", ev('../common/flat.toml', 'data.xlsx'), 1,
     ["data.xlsx!S!C6: duplicate zone id `z1` (first on line 4)"],
     files={"data.xlsx": xlsx([("S", {(r + 2, c + 2): v for r, row in enumerate([XH, ["z1", "甲", "鲁东", 1, 2, 3], ["z2", "乙", "鲁东", 4, 5, 6], ["z1", "丙", "鲁东", 7, 8, 9]]) for c, v in enumerate(row)})])})
case("xlsx-no-such-sheet", "[data] sheet naming a sheet the workbook lacks lists the sheets", ev('system.toml', 'data.xlsx'), 1,
     ["data.xlsx: no sheet named `2030` (sheets: 2023, 2024)"],
     files={"system.toml": sub('groups = ["region"]', 'groups = ["region"]\nsheet = "2030"'),
            "data.xlsx": xlsx([("2023", [XH, ["z1", "甲", "鲁东", 1, 2, 3]]), ("2024", [XH, ["z1", "甲", "鲁东", 1, 2, 3]])])})
case("xlsx-far-apart-cells", "regression: two cells far apart (A1 and XFD1048576) made calamine allocate 550 GB and abort; now refused before allocating",
     ev('../common/flat.toml', 'data.xlsx'), 1, ["data.xlsx: the sheet `S` spans 1048576 rows × 16384 columns"],
     files={"data.xlsx": xlsx([("S", {(0, 0): "zone_id", (0, 1): "zone_name", (1048575, 16383): 1})])})
case("xls-unsupported", "an old .xls workbook is refused with what to do", ev('../common/flat.toml', 'data.xls'), 1,
     ["data.xls: unsupported format: save the sheet as .xlsx or .csv"], files={"data.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64})

# ---------------------------------------------------------------- size limits
case("limit-too-many-cells", "a file with more cells than ZONEVAL_MAX_CELLS is refused with a clear message before its rows are stored",
     ev('../common/flat.toml', '../common/flat.csv'), 1, ["flat.csv:3: more than 12 cells", "ZONEVAL_MAX_CELLS"],
     env={"ZONEVAL_MAX_CELLS": "12"})
case("limit-bad-setting", "a ZONEVAL_MAX_CELLS that is not a number is a usage error", ev('../common/flat.toml', '../common/flat.csv'), 2,
     ["ZONEVAL_MAX_CELLS"], env={"ZONEVAL_MAX_CELLS": "lots"})

# ---------------------------------------------------------------- TOML syntax and keys
case("toml-syntax-error", "an unterminated string: TOML syntax error at line:col", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:3:13: TOML syntax error"], files={"system.toml": sub('name = "示例评价"', 'name = "示例评价')})
case("toml-duplicate-key", "the same key twice in a table", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:", "TOML syntax error", "duplicate key"], files={"system.toml": sub('id = "fdi_actual"', 'id = "fdi_actual"\nid = "fdi"')})
case("toml-unknown-key-typo", "an unknown key is an error with the nearest valid key, never ignored", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:7:1: unknown key `normalisation` in [method] (did you mean `normalization`?)"],
     files={"system.toml": sub('normalization = "min-max"', 'normalisation = "min-max"')})
case("toml-unknown-indicator-key", "an unknown key in an indicator", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:19:1: unknown key `wieght` in [[indicators]] (did you mean `weight`?)"],
     files={"system.toml": sub('weight = 0.4', 'wieght = 0.4')})
case("toml-unknown-section", "a misspelt section", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:1:2: unknown key `sytem` in the system file (did you mean `system`?)"],
     files={"system.toml": sub('[system]', '[sytem]')})
case("toml-wrong-type", "a number where a string belongs", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:18:13: "], regex=[r"direction.*string"], files={"system.toml": sub('direction = "benefit"', 'direction = 1')})

# ---------------------------------------------------------------- method names and parameters
case("method-unknown-weighting", "an unknown weighting suggests the nearest valid one", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:8:13: unknown weighting `expret` (did you mean `expert`?)"], files={"system.toml": sub('weighting = "expert"', 'weighting = "expret"')})
case("method-unknown-aggregation", "an unknown aggregation suggests the nearest valid one", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:9:15: unknown aggregation `topsys` (did you mean `topsis`?)"], files={"system.toml": sub('aggregation = "weighted-sum"', 'aggregation = "topsys"')})
case("method-unknown-normalization", "an unknown per-indicator normalisation", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:", "unknown normalization `min_max` (did you mean `min-max`?)"],
     files={"system.toml": sub('weight = 0.4', 'weight = 0.4\nnormalization = "min_max"')})
case("method-unknown-name-far", "a name near no valid one lists them all", ev('system.toml', '../common/flat.csv'), 1,
     ["unknown aggregation `electre-iii`", "weighted-sum", "topsis", "rsr"], files={"system.toml": sub('aggregation = "weighted-sum"', 'aggregation = "electre-iii"')})
case("method-unknown-parameter", "an unknown method parameter suggests the valid one", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:9:", "`vikor`", "`w`", "did you mean `v`?"], files={"system.toml": sub('aggregation = "weighted-sum"', 'aggregation = { kind = "vikor", w = 0.5 }')})
case("vikor-v-out-of-range", "VIKOR v outside [0, 1]", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:9:37: parameter `v` of `vikor` is 1.5; expected a number in [0, 1]"], files={"system.toml": sub('aggregation = "weighted-sum"', 'aggregation = { kind = "vikor", v = 1.5 }')})
case("promethee-q-above-p", "PROMETHEE II linear preference with q > p", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:10:", "q = 3 must be below preference threshold p = 1"],
     files={"system.toml": sub('aggregation = "weighted-sum"', 'aggregation = "promethee-ii"\npreference = { kind = "linear", q = 3, p = 1 }')})
case("veto-policy-unknown", "an unknown veto policy", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:10:8: unknown veto policy `exlude` (did you mean `exclude`?)"], files={"system.toml": sub('aggregation = "weighted-sum"', 'aggregation = "weighted-sum"\nveto = "exlude"')})
case("missing-policy-unknown", "an unknown missing-value policy", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:13:", "unknown missing-value policy `meen` (did you mean `mean`?)"], files={"system.toml": sub('groups = ["region"]', 'groups = ["region"]\nmissing = "meen"')})
case("direction-invalid", "an invalid direction suggests the nearest", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:31:13: invalid direction `costly` (did you mean `cost`?)"], files={"system.toml": sub('direction = "cost"', 'direction = "costly"')})
case("direction-target-without-value", "direction = target needs `target = x`", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:31:"], regex=[r"target"], files={"system.toml": sub('direction = "cost"', 'direction = "target"')})

# ---------------------------------------------------------------- weights
case("weight-negative", "a negative weight; no follow-on 'has no weight' error", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:19:10: weight -0.4 is negative; weights must be ≥ 0"], stderr_not=["has no weight"],
     files={"system.toml": sub('weight = 0.4', 'weight = -0.4')})
case("weight-not-finite", "a NaN weight", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:19:10: `weight` must be finite (found NaN)"], stderr_not=["has no weight"], files={"system.toml": sub('weight = 0.4', 'weight = nan')})
case("weight-not-a-number", "a weight written as a string", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:19:10: `weight` must be a number (found string)"], stderr_not=["has no weight"], files={"system.toml": sub('weight = 0.4', 'weight = "0.4"')})
zero = sub('weight = 0.3', 'weight = 0', sub('weight = 0.3', 'weight = 0', sub('weight = 0.4', 'weight = 0')))
case("weight-zero-sum", "all weights zero", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:14:1: all weights are zero"], files={"system.toml": zero})
case("weight-missing", "an indicator without a weight under expert weighting", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:14:1: `fdi_actual` has no weight"], files={"system.toml": sub('weight = 0.4\n', '')})

# ---------------------------------------------------------------- AHP
def ahp(m, extra=""):
    return sub('weighting = "expert"', 'weighting = "ahp"\nahp = ' + m + extra)
case("ahp-wrong-size", "an AHP matrix with fewer rows than children; no follow-on error", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:9:7: `ahp` of `flat` has 2 rows but the node has 3 children"], stderr_not=["needs pairwise judgements"],
     files={"system.toml": ahp('[[1, 2], [0.5, 1]]')})
case("ahp-not-square", "an AHP matrix whose rows differ in length", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:9:7: `ahp` of `flat`: the judgement matrix is not square: row 3 has 2 entries, expected 3"], stderr_not=["needs pairwise judgements"],
     files={"system.toml": ahp('[[1, 2, 3], [0.5, 1, 2], ["1/3", 0.5]]')})
case("ahp-not-reciprocal", "a_ij · a_ji far from 1", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:9:7: `ahp` of `flat`: not reciprocal: [1][3] = 3 but [3][1] = 0.25 (expected 1/3)"],
     files={"system.toml": ahp('[[1, 2, 3], [0.5, 1, 2], [0.25, 0.5, 1]]')})
case("ahp-non-positive", "a judgement ≤ 0", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:9:7: `ahp` of `flat`: judgement [1][2] = 0 is not positive"],
     files={"system.toml": ahp('[[1, 0, 1], [0, 1, 1], [1, 1, 1]]')})
case("ahp-bad-fraction", "a judgement that is neither a number nor a fraction", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:9:12: each element of `ahp` must be a number or a fraction such as \"1/3\""],
     files={"system.toml": ahp('[[1, "1/0", 1], [1, 1, 1], [1, 1, 1]]')})
case("ahp-too-inconsistent", "CR above the tolerance names the node, the CR and the most inconsistent judgement", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:9:7: AHP judgements of `flat` are too inconsistent: CR = ", "> 0.1", "the most inconsistent judgement is"],
     files={"system.toml": ahp('[[1, 9, "1/9"], ["1/9", 1, 9], [9, "1/9", 1]]')})
case("ahp-tolerance-invalid", "a non-positive ahp_tolerance", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:10:17: `ahp_tolerance` must be positive (found -1)"],
     files={"system.toml": ahp('[[1, 1, 1], [1, 1, 1], [1, 1, 1]]', '\nahp_tolerance = -1')})

# ---------------------------------------------------------------- formulas
def formula(f):
    return sub('formula = "fdi_actual / fdi_contracted"', 'formula = ' + tq(f))
case("formula-division-by-zero", "a formula dividing by zero names the zone, the indicator and the line; no follow-on 'missing value'",
     ev('system.toml', 'data.csv'), 1,
     ['data.csv:3: zone "乙", indicator arrival_rate = fdi_actual / fdi_contracted: division by zero'], stderr_not=["missing value"],
     files={"system.toml": FLAT_TOML, "data.csv": csv(["z1,甲,鲁东,1,2,3", "z2,乙,鲁东,4,0,6"])})
case("formula-domain-error", "ln of a non-positive value", ev('system.toml', '../common/flat.csv'), 1,
     ['flat.csv:2: zone "青岛经济技术开发区", indicator arrival_rate = ln(fdi_actual - 68500): ln of 0 is undefined'],
     files={"system.toml": formula("ln(fdi_actual - 68500)")})
case("formula-intermediate-overflow", "an intermediate inf that a later step would hide (1/exp(1000) = 0) is an error", ev('system.toml', '../common/flat.csv'), 1,
     ['zone "青岛经济技术开发区", indicator arrival_rate = fdi_actual / exp(1000): ', "not finite"],
     files={"system.toml": formula("fdi_actual / exp(1000)")})
case("formula-unknown-column", "a formula naming a column the data lacks; the indicator and the nearest header are named", ev('system.toml', '../common/flat.csv'), 1,
     ["flat.csv:1: missing column `fdi_contract`", "required by system.toml:21:1", "did you mean `fdi_contracted`?"],
     files={"system.toml": formula("fdi_actual / fdi_contract")})
case("formula-syntax-error", "a syntax error points at the character inside the formula", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:24:25: formula: unexpected `*`"], files={"system.toml": formula("fdi_actual / * fdi_contracted")})
case("formula-unknown-function", "an unknown function lists the known ones", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:24:12: formula: unknown function `lg`", "log10"], files={"system.toml": formula("lg(fdi_actual)")})
case("formula-nested-deep", "a formula nested 300 levels deep is an error, not a stack overflow", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:24:", "formula nested more than 64 levels deep"], files={"system.toml": formula("(" * 300 + "fdi_actual" + ")" * 300)})
case("formula-too-long", "a formula of more than 1000 tokens", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:24:12: formula: formula longer than 1000 tokens"], files={"system.toml": formula(" + ".join(["fdi_actual"] * 600))})
case("formula-cycle", "a formula depending on itself", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:21:1: formula of `arrival_rate` depends on itself (arrival_rate → arrival_rate)"], files={"system.toml": formula("arrival_rate + 1")})
case("weight-huge-integer", "an integer weight beyond 64 bits is a number (it was 'must be a number (found integer)'); with the others it makes them negligible, exit 0",
     ev('system.toml', '../common/flat.csv'), 0, ["weights under `flat` sum to 100000000000000000000; divided by their sum"],
     files={"system.toml": FLAT_TOML.replace("weight = 0.4", "weight = 99999999999999999999")})
case("range-reversed", "a reversed `range = [150, 80]` is reported at `range` with the indicator's id (it was at `direction`, without the id)",
     ev('system.toml', '../common/flat.csv'), 1, ["system.toml:32:9: indicator `energy`: `range = [150, 80]` must be [low, high] with low < high"],
     files={"system.toml": FLAT_TOML.replace('direction = "cost"', 'direction = "range"\nrange = [150, 80]')})
case("formula-cycle-elsewhere", "a formula that leads into a cycle between two others: the cycle's own members are named (the first indicator was named before)",
     ev('system.toml', '../common/flat.csv'), 1,
     ["formula of `d1` depends on itself (d1 → d2 → d1)"], stderr_not=["`arrival_rate` depends"],
     files={"system.toml": formula("d1 + 1") + '\n[[indicators]]\nid = "d1"\nformula = "d2 * 2"\ndirection = "benefit"\nweight = 0.1\n\n[[indicators]]\nid = "d2"\nformula = "d1 / 2"\ndirection = "benefit"\nweight = 0.1\n'})

# ---------------------------------------------------------------- tree
def nested(n, leaf=True):
    s = '[system]\nid = "deep"\nname = "deep"\n'
    path = 'criteria'
    for i in range(n):
        s += f'\n[[{path}]]\nid = "c{i}"\nweight = 1\n'
        path += '.criteria'
    if leaf:
        s += f'\n[[{path[:-len(".criteria")]}.indicators]]\nid = "energy"\ndirection = "cost"\nweight = 1\n'
    return s
case("criteria-nested-40", "criteria nested 40 levels deep (limit 32); no follow-on errors", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:133:1: criteria nested more than 32 levels deep"], stderr_not=["has no indicators", "all weights are zero"],
     files={"system.toml": nested(40)})
deep300 = nested(300)
deep_line = deep300.splitlines().index(next(l for l in deep300.splitlines() if "indicators]]" in l)) + 1
case("criteria-nested-300", "regression: criteria nested 300 levels deep hit TOML's recursion limit with no line; now the deepest header's line", ev('system.toml', '../common/flat.csv'), 1,
     [f"system.toml:{deep_line}:1: TOML syntax error: table header or key nested too deeply"], files={"system.toml": deep300})
case("criteria-and-indicators", "a node holding both criteria and indicators", ev('system.toml', '../common/flat.csv'), 1,
     ["either criteria or indicators, not both"],
     files={"system.toml": '[system]\nid = "x"\nname = "x"\n\n[[criteria]]\nid = "a"\nweight = 1\n\n[[criteria.criteria]]\nid = "b"\nweight = 1\n\n[[criteria.criteria.indicators]]\nid = "energy"\ndirection = "cost"\nweight = 1\n\n[[criteria.indicators]]\nid = "fdi_actual"\ndirection = "benefit"\nweight = 1\n'})
case("criterion-empty", "a criterion without indicators", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:5:1: criterion `a` has no indicators"],
     files={"system.toml": '[system]\nid = "x"\nname = "x"\n\n[[criteria]]\nid = "a"\nweight = 1\n\n[[criteria]]\nid = "b"\nweight = 1\n\n[[criteria.indicators]]\nid = "energy"\ndirection = "cost"\nweight = 1\n'})
case("duplicate-indicator-id", "two indicators with one id", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:28:1: duplicate id `fdi_actual` (first used at system.toml:14:1)"], files={"system.toml": sub('id = "energy"', 'id = "fdi_actual"')})
case("system-section-missing", "no [system] section", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:1:1: missing [system] section"], files={"system.toml": FLAT_TOML.split("[method]", 1)[1].join(["[method]", ""]) if False else "[method]" + FLAT_TOML.split("[method]", 1)[1]})
case("system-no-indicators", "a system without indicators", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:1:1: the system has no indicators"], files={"system.toml": '[system]\nid = "x"\nname = "x"\n'})

# ---------------------------------------------------------------- computations
case("normalization-zero-under-cost-max", "a zero under the cost form of `max` (divides by x) names zone and indicator", ev('../common/flat.toml', 'data.csv', '--normalization', 'max'), 1,
     ['data.csv:3:6: zone "乙", indicator energy: value 0 under the cost form of `max`'],
     files={"data.csv": csv(["z1,甲,鲁东,1,2,3", "z2,乙,鲁东,4,5,0"])})
case("entropy-negative-value", "a negative value under entropy weighting names zone and indicator", ev('../common/flat.toml', 'data.csv', '--weighting', 'entropy'), 1,
     ['data.csv:3:4: zone "乙", indicator fdi_actual: value -4: entropy weights need finite values ≥ 0'],
     files={"data.csv": csv(["z1,甲,鲁东,1,2,3", "z2,乙,鲁东,-4,5,6"])})
case("every-zone-vetoed", "veto = exclude and every zone fails the gate: nothing to rank", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:21:8: every zone failed a veto gate (fdi_actual), and veto = \"exclude\": nothing to rank"],
     files={"system.toml": sub('aggregation = "weighted-sum"', 'aggregation = "weighted-sum"\nveto = "exclude"', sub('weight = 0.4', 'weight = 0.4\nveto = { min = 1e9 }'))})

# ---------------------------------------------------------------- paths
case("path-system-missing", "a system file that does not exist", ev('no-such-system.toml', '../common/flat.csv'), 1,
     ["no-such-system.toml: cannot read no-such-system.toml"])
case("path-data-missing", "a data file that does not exist", ev('../common/flat.toml', 'no-such-data.csv'), 1,
     ["no-such-data.csv: cannot read no-such-data.csv"])
# A path ending like a bundled file is still a path: no bundled file is substituted for it.
case("path-data-missing-bundled-name", "a --data path that does not exist but ends like the bundled dataset is an error, with the id as a hint",
     ["evaluate", "--data", "/nonexistent/seeds/shandong-zones.csv"], 1,
     ["/nonexistent/seeds/shandong-zones.csv: cannot read /nonexistent/seeds/shandong-zones.csv: No such file or directory",
      "(the bundled dataset is `--data shandong-zones`)"])
case("path-system-missing-bundled-name", "a --system path that does not exist but ends like a bundled system is an error, with the id as a hint",
     ["evaluate", "--system", "/nonexistent/indicators/mofcom-etdz-2021.toml"], 1,
     ["/nonexistent/indicators/mofcom-etdz-2021.toml: cannot read /nonexistent/indicators/mofcom-etdz-2021.toml: No such file or directory",
      "(the bundled system is `--system mofcom-etdz-2021`)"])
case("path-system-bundled-name-elsewhere", "a bundled system's repository path, run outside the repository, is a path that does not exist there",
     ["evaluate", "--system", "indicators/shandong-provincial.toml", "--data", "seeds/shandong-zones.csv"], 1,
     ["indicators/shandong-provincial.toml: cannot read indicators/shandong-provincial.toml: No such file or directory"])
case("path-data-is-directory", "regression: `--data .` showed an empty file name; a directory given as the data file", ev("../common/flat.toml", "."), 1, [".: cannot read .: Is a directory"])
case("path-data-default-missing", "[data] path naming a file that does not exist, relative to the system", ["evaluate", "--system", "system.toml"], 1,
     ["missing/zones.csv: cannot read"], files={"system.toml": sub('groups = ["region"]', 'groups = ["region"]\npath = "missing/zones.csv"')})
case("path-output-dir-missing", "--out in a directory that does not exist", ev('../common/flat.toml', '../common/flat.csv', '--out', 'no-such-dir/out.csv'), 1,
     ["output directory no-such-dir does not exist"], driver_out=False)
case("path-output-is-directory", "--out naming a directory is invalid input (exit 1), and the directory is untouched", ev('../common/flat.toml', '../common/flat.csv', '--out', '.'), 1,
     ["cannot write .: it is a directory"], driver_out=False)
case("path-output-bad-after-bad-input", "bad input and a bad --out: the input is reported; nothing is written", ev('../common/flat.toml', 'data.csv', '--out', 'no-such-dir/out.csv'), 1,
     ["data.csv: the file is empty"], files={"data.csv": ""}, driver_out=False)

# ---------------------------------------------------------------- command line (exit 2)
case("usage-format-xml", "--format xml lists the valid formats", ev('../common/flat.toml', '../common/flat.csv', '--format', 'xml'), 2,
     ["invalid value 'xml' for '--format <FORMAT>'", "table, csv, json, markdown"])
case("usage-aggregation-flag", "--aggregation electre-iii lists the valid names", ev('../common/flat.toml', '../common/flat.csv', '--aggregation', 'electre-iii'), 2,
     ["invalid value 'electre-iii' for '--aggregation <AGGREGATION>'", "weighted-sum", "rsr"])
case("usage-unknown-flag", "an unknown flag", ev('../common/flat.toml', '../common/flat.csv', '--colour'), 2, ["unexpected argument '--colour'"])
case("usage-encoding", "--encoding latin1", ev('../common/flat.toml', '../common/flat.csv', '--encoding', 'latin1'), 2, ["invalid value 'latin1' for '--encoding"])
case("usage-threads-absurd", "--threads 1000000 is refused instead of trying to start a million threads", ev('../common/flat.toml', '../common/flat.csv', '--threads', '1000000'), 2,
     ["invalid value '1000000' for '--threads <N>'", "1..=256"])
case("usage-mc-samples-absurd", "regression: --samples near usize::MAX overflowed (panic)", ["sensitivity", "monte-carlo", "-s", "../common/flat.toml", "-d", "../common/flat.csv", "--samples", "18446744073709551615"], 2,
     ["--samples must be between 1 and"])
case("usage-oat-steps-absurd", "regression: oat --steps near usize::MAX overflowed (panic)", ["sensitivity", "oat", "-s", "../common/flat.toml", "-d", "../common/flat.csv", "--steps", "18446744073709551615"], 2,
     ["--steps between 1 and 100000"])
case("usage-sobol-bootstrap-absurd", "regression: sobol --bootstrap near usize::MAX: capacity overflow (panic)", ["sensitivity", "sobol", "-s", "../common/flat.toml", "-d", "../common/flat.csv", "--samples", "8", "--bootstrap", "18446744073709551615"], 2,
     ["--bootstrap must be"])
S = ["-s", "../common/flat.toml", "-d", "../common/flat.csv"]
case("usage-dirichlet-underflow", "--dirichlet 1e-10 gave no spread at all (gamma draws underflow to 0); refused with the smallest concentration these weights allow",
     ["sensitivity", "monte-carlo", *S, "--samples", "10", "--dirichlet", "1e-10"], 2, ["--dirichlet must be at least 1 for these weights"])
case("usage-perturb-with-dirichlet", "--perturb with --dirichlet silently ignored one of them; now a usage error",
     ["sensitivity", "monte-carlo", *S, "--samples", "10", "--perturb", "0.3", "--dirichlet", "5"], 2, ["'--perturb <PERTURB>' cannot be used with '--dirichlet <C>'"])
case("usage-weights-file-with-dirichlet", "--weights-file with --dirichlet silently ignored the concentration; now a usage error",
     ["sensitivity", "monte-carlo", *S, "--weights-file", "w.csv", "--dirichlet", "5"], 2, ["'--weights-file <FILE>' cannot be used with '--dirichlet <C>'"],
     files={"w.csv": "fdi_actual,arrival_rate,energy\n0.4,0.3,0.3\n"})
case("usage-top-zero", "--top 0 silently became 1; now a usage error", ["sensitivity", "monte-carlo", *S, "--samples", "10", "--top", "0"], 2, ["--top must be at least 1"])
case("usage-stability-steps-zero", "stability --steps 0 was accepted; now a usage error", ["sensitivity", "stability", *S, "--steps", "0"], 2, ["--steps must be between 1 and"])
case("usage-sobol-bootstrap-one", "--bootstrap 1 printed confidence intervals of 0.0; fewer than 2 resamples is a usage error",
     ["sensitivity", "sobol", *S, "--samples", "8", "--bootstrap", "1"], 2, ["--bootstrap must be between 2 and"])
case("usage-vary-aggregation-twice", "a method listed twice in --vary-aggregation was sampled twice as often; now a usage error",
     ["sensitivity", "monte-carlo", *S, "--samples", "10", "--vary-aggregation", "topsis,weighted-sum,topsis"], 2, ["aggregation `topsis` is listed twice"])
case("weights-overflowing-sum", "three weights of 1e308 reported 'all weights are zero' (the sum overflowed); now they are scaled first and the sum is shown by its size, exit 0",
     ev('system.toml', '../common/flat.csv'), 0, ["weights under `flat` sum to 3×1e308; divided by their sum"],
     files={"system.toml": FLAT_TOML.replace("weight = 0.4", "weight = 1e308").replace("weight = 0.3", "weight = 1e308")})
case("rank-reversal-one-zone", "rank-reversal on one zone said 'every zone failed a veto gate ()' for a system without gates; now it says what the check needs",
     ["sensitivity", "rank-reversal", "-s", "../common/flat.toml", "-d", "data.csv"], 1, ["rank reversal compares the ranking with one zone left out or copied: it needs at least two ranked zones (1 here)"],
     stderr_not=["veto gate"], files={"data.csv": csv(["z1,甲,鲁东,1,2,3"])})
case("usage-dirichlet-inf", "regression: --dirichlet inf gave NaN weights and wrong ranks silently", ["sensitivity", "monte-carlo", "-s", "../common/flat.toml", "-d", "../common/flat.csv", "--samples", "10", "--dirichlet", "inf"], 2,
     ["--dirichlet must be"])
case("usage-weights-file-and-samples", "--weights-file with --samples", ["sensitivity", "monte-carlo", "-s", "../common/flat.toml", "-d", "../common/flat.csv", "--weights-file", "w.csv", "--samples", "10"], 2,
     ["do not give --samples too"], files={"w.csv": "fdi_actual,arrival_rate,energy\n1,1,1\n"})
case("weights-file-not-numeric", "a weights file cell that is not a number", ["sensitivity", "monte-carlo", "-s", "../common/flat.toml", "-d", "../common/flat.csv", "--weights-file", "w.csv"], 1,
     ['w.csv:3:2: not a number ("x")'], files={"w.csv": "fdi_actual,arrival_rate,energy\n1,1,1\n1,x,1\n"})

# ---------------------------------------------------------------- validate lists everything
case("validate-lists-every-problem", "validate reports every problem of every file at once", ["validate", "a.toml", "b.toml"], 1,
     ["a.toml:7:1: unknown key `normalisation`", "a.toml:31:13: invalid direction `costly`", "b.toml:9:15: unknown aggregation `topsys`"],
     files={"a.toml": sub('direction = "cost"', 'direction = "costly"', sub('normalization = "min-max"', 'normalisation = "min-max"')),
            "b.toml": sub('aggregation = "weighted-sum"', 'aggregation = "topsys"')})
case("weights-command-bad-system", "the weights command on a bad system", ["weights", "--system", "system.toml"], 1,
     ["system.toml:19:10: weight -0.4 is negative"], files={"system.toml": sub('weight = 0.4', 'weight = -0.4')})

# ---------------------------------------------------------------- report directory
case("report-dir-bad-input", "evaluate --report DIR with bad data: the directory is not created", ev('../common/flat.toml', 'data.csv', '--report', 'report'), 1,
     ['data.csv:3:4: zone "乙", column `fdi_actual`: not a number ("abc")'],
     files={"data.csv": csv(["z1,甲,鲁东,1,2,3", "z2,乙,鲁东,abc,2,3"])})
case("report-dir-is-a-file", "--report naming an existing file: exit 1, the file untouched", ev('../common/flat.toml', '../common/flat.csv', '--report', 'taken'), 1,
     ["taken exists and is not a directory"], files={"taken": "not a directory\n"})
case("report-dir-parent-missing", "--report in a directory that does not exist", ev('../common/flat.toml', '../common/flat.csv', '--report', 'no-such-dir/report'), 1,
     ["output directory no-such-dir does not exist"])
case("report-results-not-json", "zoneval report on a results.json that is not JSON names line and column; no directory written", ["report", "results.json", "--out", "rendered"], 1,
     ["results.json:1:13: not valid JSON"], files={"results.json": '{"system": 3,'})
case("report-results-wrong-shape", "zoneval report on JSON that is not a results.json", ["report", "results.json", "--out", "rendered"], 1,
     ["results.json: no `report` section"], files={"results.json": '{"system": "x"}'})
case("report-results-missing", "zoneval report on a file that does not exist", ["report", "no-such-results.json", "--out", "rendered"], 1,
     ["no-such-results.json: cannot read"])
case("report-sensitivity-bad-input", "sensitivity --report DIR with bad data: the directory is not created", ["sensitivity", "oat", "-s", "../common/flat.toml", "-d", "data.csv", "--report", "report"], 1,
     ['data.csv:3:4: zone "乙", column `fdi_actual`: not a number ("abc")'],
     files={"data.csv": csv(["z1,甲,鲁东,1,2,3", "z2,乙,鲁东,abc,2,3"])})
case("report-sensitivity-bad-option", "sensitivity --report DIR with a bad option: usage error, no directory", ["sensitivity", "oat", "-s", "../common/flat.toml", "-d", "../common/flat.csv", "--steps", "0", "--report", "report"], 2,
     ["--steps between 1 and 100000"])

# ---------------------------------------------------------------- gates
GATE = '[system]\nid = "g"\nname = "g"\n\n[[indicators]]\nid = "energy"\ndirection = "cost"\nweight = 1\n\n[[gates]]\nid = "inv"\ncolumn = "fdi_actual"\nmin = { lookup = "t" }\n\n[[tables]]\nid = "t"\nby = ["region"]\nrows = [["鲁东", 1000]]\n'
case("gate-lookup-no-match", "a lookup table without a row for a zone's key (and no default) names the line, the table and the key", ev('system.toml', '../common/flat.csv'), 1,
     ["flat.csv:4: no row of table `t` matches (鲁中)"], files={"system.toml": GATE})
case("table-duplicate-key", "a lookup table with the same key twice is an error at the second row (the first no longer silently wins)", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:20:3: table `t` has the key (鲁东) twice"],
     files={"system.toml": GATE.replace('rows = [["鲁东", 1000]]', 'rows = [\n  ["鲁东", 1000],\n  ["鲁东", 2000],\n]')})
case("gate-lookup-unknown-table", "a gate naming a table that does not exist; no follow-on 'needs min or max'", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:13:18: no [[tables]] with id `tt` (did you mean `t`?)"], stderr_not=["needs `min` or `max`"],
     files={"system.toml": GATE.replace('lookup = "t"', 'lookup = "tt"')})
case("gate-without-bounds", "a gate with neither min nor max", ev('system.toml', '../common/flat.csv'), 1,
     ["system.toml:10:1: a gate condition needs `min` or `max`"], files={"system.toml": GATE.replace('min = { lookup = "t" }\n', '')})

# ---------------------------------------------------------------- sensitivity input files
SENS = ["-s", "../common/flat.toml", "-d", "../common/flat.csv"]
SF_HEAD = "fdi_actual,arrival_rate,energy\n"
case("samples-file-negative", "regression: a negative Sobol multiplier was accepted (meaningless indices); now an error at its cell", ["sensitivity", "sobol", *SENS, "--factors", "indicators", "--samples-file", "s.csv"], 1,
     ["s.csv:2:1: multiplier -1 is negative"], files={"s.csv": SF_HEAD + "-1,2,3\n" + "1,1,1\n" * 4})
case("samples-file-zero-row", "regression: a row of zero multipliers was accepted; now an error at its line", ["sensitivity", "sobol", *SENS, "--factors", "indicators", "--samples-file", "s.csv"], 1,
     ["s.csv:2: every multiplier of this row is 0"], files={"s.csv": SF_HEAD + "0,0,0\n" + "1,1,1\n" * 4})
case("samples-file-row-count", "a samples file whose rows are not a multiple of k + 2 names the file", ["sensitivity", "sobol", *SENS, "--factors", "indicators", "--samples-file", "s.csv"], 1,
     ["s.csv: the samples file has 1 rows; expected a multiple of k + 2 = 5"], files={"s.csv": SF_HEAD + "1,2,3\n"})
case("weights-file-duplicate-column", "regression: a weights file naming a column twice silently used the first; now an error", ["sensitivity", "monte-carlo", *SENS, "--weights-file", "w.csv"], 1,
     ["w.csv:1:4: duplicate column `fdi_actual` (fields 1 and 4)"], files={"w.csv": SF_HEAD.strip() + ",fdi_actual\n1,2,3,4\n"})
case("weights-file-ragged", "a ragged weights file", ["sensitivity", "monte-carlo", *SENS, "--weights-file", "w.csv"], 1,
     ["w.csv:2: malformed CSV"], files={"w.csv": SF_HEAD + "1,2\n"})
case("weights-file-negative", "a negative weight in a weights file", ["sensitivity", "monte-carlo", *SENS, "--weights-file", "w.csv"], 1,
     ["w.csv:2: weights must be ≥ 0 with a positive sum"], files={"w.csv": SF_HEAD + "-1,1,1\n"})

def declared_bomb():
    """A small valid workbook plus 64 one-byte parts whose headers declare 4 GiB each
    (256 GiB in all): the size a decompression bomb would claim, without the bytes."""
    import struct
    book = xlsx([("S", [XH, ["z1", "甲", "鲁东", 1, 2, 3]])], compress=zipfile.ZIP_STORED)
    b = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(book)) as src, zipfile.ZipFile(b, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        for i in range(64):
            put(dst, f"xl/media/pad{i}.bin", b"x")
    data = bytearray(b.getvalue())
    # Patch the uncompressed size (0xFFFFFFFE: just below the ZIP64 marker) of every pad
    # part, in its local header (offset 22) and its central directory entry (offset 24).
    for sig, off in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        pos = data.find(sig)
        while pos != -1:
            name_len_off = 26 if sig == b"PK\x03\x04" else 28
            name_len = struct.unpack_from("<H", data, pos + name_len_off)[0]
            name_start = pos + (30 if sig == b"PK\x03\x04" else 46)
            if data[name_start:name_start + name_len].startswith(b"xl/media/pad"):
                struct.pack_into("<I", data, pos + off, 0xFFFFFFFE)
            pos = data.find(sig, pos + 4)
    return bytes(data)

case("xlsx-declared-bomb", "an .xlsx whose parts declare 256 GiB uncompressed (a decompression bomb's claim) is refused before calamine expands anything",
     ev('../common/flat.toml', 'data.xlsx'), 1, ["data.xlsx: the workbook expands to", "MiB is available"], files={"data.xlsx": declared_bomb()})

# ---------------------------------------------------------------- column mapping
CN = "zone_id,zone_name,region,{},fdi_contracted,energy\n"
case("mapping-ambiguous-match", "a header whose name (units and brackets stripped) matches two indicators is an ambiguous automatic match: an error at the header cell, asking which",
     ev('system.toml'), 1,
     ["data.csv:1:4: ambiguous header `实际利用外资（万美元）`: it matches the columns `fdi_actual`, `fdi_usd` by name", "[data] columns = { fdi_actual = "],
     files={"system.toml": sub('[[indicators]]\nid = "energy"', '[[indicators]]\nid = "fdi_usd"\nname = "实际利用外资(亿美元)"\ndirection = "benefit"\nweight = 0.1\n\n[[indicators]]\nid = "energy"'),
            "data.csv": CN.format("实际利用外资（万美元）") + "z1,甲,鲁东,1,2,3\nz2,乙,鲁东,4,5,6\n"})
case("mapping-two-headers-one-column", "two headers that both match one indicator by name (half- and full-width brackets) are an error naming both cells",
     ev(), 1,
     ["data.csv:1:5: two headers match column `fdi_actual`: `实际利用外资(万美元)` (data.csv:1:4) and `实际利用外资（亿元）` (data.csv:1:5)"],
     files={"data.csv": "zone_id,zone_name,region,实际利用外资(万美元),实际利用外资（亿元）,fdi_contracted,energy\nz1,甲,鲁东,1,1,2,3\nz2,乙,鲁东,4,4,5,6\n"})
case("mapping-alias-missing-header", "[data] columns mapping a column to a header the file lacks is an error at the mapping, with the nearest headers",
     ev('system.toml'), 1,
     ["system.toml:13:13: column `fdi_actual` is mapped to the header `实际使用外资`, which the file does not have", "nearest headers: `实际利用外资`"],
     files={"system.toml": sub('groups = ["region"]', 'groups = ["region"]\ncolumns = { fdi_actual = "实际使用外资" }'),
            "data.csv": CN.format("实际利用外资") + "z1,甲,鲁东,1,2,3\nz2,乙,鲁东,4,5,6\n"})
case("mapping-file-missing-header", "a --columns mapping file row naming a header the data lacks is located at that row",
     ev('../common/flat.toml', 'data.csv', '--columns', 'map.csv'), 1,
     ["map.csv:3:1: column `energy` is mapped to the header `能耗`, which the file does not have"],
     files={"map.csv": "column,header\nfdi_actual,实际利用外资\nenergy,能耗\n",
            "data.csv": "zone_id,zone_name,region,实际利用外资,fdi_contracted,单位能耗\nz1,甲,鲁东,1,2,3\nz2,乙,鲁东,4,5,6\n"})
case("mapping-file-two-headers", "a mapping file giving one column two headers is an error at the second row",
     ev('../common/flat.toml', 'data.csv', '--columns', 'map.csv'), 1,
     ["map.csv:3:1: two headers are mapped to column `fdi_actual`: `实际利用外资` and `外资`"],
     files={"map.csv": "column,header\nfdi_actual,实际利用外资\nfdi_actual,外资\n",
            "data.csv": "zone_id,zone_name,region,实际利用外资,外资,fdi_contracted,energy\nz1,甲,鲁东,1,1,2,3\nz2,乙,鲁东,4,4,5,6\n"})
case("mapping-unknown-column", "a mapping naming a column the system does not read is an error suggesting the nearest",
     ev('system.toml'), 1,
     ["system.toml:13:13: `fdi_actul` is not a column this system reads", "did you mean `fdi_actual`?"],
     files={"system.toml": sub('groups = ["region"]', 'groups = ["region"]\ncolumns = { fdi_actul = "实际利用外资" }'),
            "data.csv": CN.format("实际利用外资") + "z1,甲,鲁东,1,2,3\n"})
case("validate-mapping-unknown-column", "validate checks the keys of [data] columns: each key that is not a column the system reads is an error at the key, with the nearest column (the message evaluating gives)",
     ["validate", "system.toml"], 1,
     ["system.toml:13:13: `fdi_actul` is not a column this system reads", "did you mean `fdi_actual`?",
      "system.toml:13:54: `regoin` is not a column this system reads", "did you mean `region`?"],
     stderr_not=["`zone_id` is not a column"],
     files={"system.toml": sub('groups = ["region"]', 'groups = ["region"]\ncolumns = { fdi_actul = "实际利用外资", zone_id = "开发区代码", regoin = "区域" }')})
case("mapping-id-column-suggested", "ids under another header: the error says what to set, naming the header whose values are unique",
     ev(), 1,
     ["data.csv:1: missing column `zone_id`", 'set [data] id_column = "开发区代码" (its values are unique)'],
     files={"data.csv": "区域代码,开发区代码,zone_name,region,fdi_actual,fdi_contracted,energy\n37,z1,甲,鲁东,1,2,3\n37,z2,乙,鲁东,4,5,6\n"})
case("xlsx-cover-sheet-first", "a workbook whose first sheet is a cover note: the error lists the sheets and names the one with the data",
     ev('../common/flat.toml', 'data.xlsx'), 1,
     ["data.xlsx!封面!1:1: the file has a header but no zones", 'the workbook\'s sheets: 封面, 2024; sheet `2024` has the columns: set [data] sheet = "2024"'],
     files={"data.xlsx": xlsx([("封面", [["2024年开发区统计"]]), ("2024", [XH, ["z1", "甲", "鲁东", 1, 2, 3]])])})

print(f"{len(CASES)} cases")
