"""CSV for spreadsheets: the statistics and the LAPOR! export. Pure functions, no I/O."""
import csv
import io

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """A CSV cell. Text a citizen wrote that starts like a formula (``=HYPERLINK(…)``) is
    prefixed with ``'`` so a spreadsheet shows it instead of running it (CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def to_csv(rows, fields):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(fields), extrasaction="ignore",
                            lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: cell(row.get(k)) for k in fields})
    return out.getvalue()
