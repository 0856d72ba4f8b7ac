"""XLSX writing in openpyxl's write-only mode (constant memory for big exports).

Every workbook of the portal is written here, so user text can never become a live formula:
a string starting with ``=``, ``+``, ``-``, ``@``, a tab or a CR is stored as a text cell with
Excel's quote prefix (CSV/formula injection); numbers and dates keep their type."""
import io

from django.http import HttpResponse
from django.utils.encoding import escape_uri_path
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _text_cell(ws, value):
    """A cell that holds ``value`` as text, even if it looks like a formula."""
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def _cell_value(value):
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, (int, float)) or hasattr(value, "isoformat"):
        return value
    return str(value)


def write_xlsx(sheets, fh=None):
    """``sheets``: iterable of (title, headers, rows) → XLSX bytes, or written into the binary
    file ``fh`` (a job's ``ctx.output``) with rows streamed: memory stays flat however many."""
    wb = Workbook(write_only=True)
    for title, headers, rows in sheets:
        ws = wb.create_sheet(title=str(title)[:31])
        ws.column_dimensions["A"].width = 18
        header_cells = []
        for h in headers:
            c = _text_cell(ws, str(h))
            c.font = Font(bold=True)
            c.fill = PatternFill("solid", fgColor="DDEBF7")
            header_cells.append(c)
        ws.append(header_cells)
        for row in rows:
            values = [_cell_value(v) for v in row]
            ws.append([_text_cell(ws, v) if isinstance(v, str) and v.startswith(FORMULA_TRIGGERS) else v
                       for v in values])
    if fh is not None:
        wb.save(fh)
        return None
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def attachment_response(content, filename, content_type):
    """An HTTP download that keeps a Chinese file name (RFC 6266 filename*)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def content_disposition(filename, inline=False):
    ascii_name = filename.encode("ascii", "ignore").decode() or "download"
    ascii_name = ascii_name.replace('"', "")
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{escape_uri_path(filename)}"


def xlsx_response(filename, headers, rows, title="Sheet1"):
    return attachment_response(write_xlsx([(title, headers, rows)]), filename, XLSX_TYPE)
