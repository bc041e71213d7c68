"""CSV downloads of the dashboard tables: the same rows as the page, in a file Excel opens as UTF-8."""

import csv

from django.http import StreamingHttpResponse

BOM = "\ufeff"  # tells Excel the file is UTF-8
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object whose write() hands the line back, so rows stream out as they are written."""

    def write(self, value):
        return value


def safe_cell(value):
    """Text a spreadsheet would run as a formula (a customer's comment starting with "=") is quoted. Numbers
    are written as numbers: a negative NPS or change stays -50.0, which a spreadsheet reads as a number."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def filename(*, page: str, table: str, period) -> str:
    return f"{page}-{table}-{period.start:%Y-%m-%d}-{period.end:%Y-%m-%d}.csv"


def csv_response(*, table, page: str, period) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield BOM + writer.writerow(table.csv_header())
        for row in table.csv_rows():
            yield writer.writerow([safe_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename(page=page, table=table.slug, period=period)}"'
    response["Cache-Control"] = "private, no-store"
    return response
