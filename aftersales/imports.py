"""Reading and checking a CSV file of purchases, before anything is written.

The file has a header row naming its columns (customer e-mail, product SKU, serial number,
purchase date, order reference; the order reference may be left out). Rows are numbered as
a spreadsheet shows them: the header is row 1, the first purchase row 2. Every row is
checked, and every problem is reported with its row number, so a manager fixes the file once.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from aftersales.eligibility import customer_date
from aftersales.models import Product, Purchase, warranty_end
from helpdesk.accounts import selectors as account_selectors
from helpdesk.accounts.models import normalize_email

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# Header spellings people use, reduced to letters: "Customer e-mail", "customer_email", "E-mail", …
COLUMNS = {
    "email": {"customeremail", "email", "customer", "emailaddress", "customeremailaddress"},
    "sku": {"productsku", "sku", "product", "productcode", "articlenumber"},
    "serial": {"serial", "serialnumber", "serialno", "sn"},
    "date": {"purchasedate", "date", "purchasedon", "dateofpurchase"},
    "order": {"orderreference", "order", "orderref", "ordernumber", "orderno", "reference"},
}
REQUIRED = ("email", "sku", "serial", "date")


@dataclass(frozen=True)
class Problem:
    row: int
    message: str

    def __str__(self):
        if self.row:
            return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


class ImportRefused(Exception):
    """The file cannot be imported; ``problems`` lists every reason, row by row."""

    def __init__(self, problems):
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = list(problems)


def _key(header: str) -> str:
    return "".join(ch for ch in (header or "").lower() if ch.isalnum())


def read_rows(uploaded) -> list[tuple[int, dict]]:
    """(row number, {column: value}) for every non-empty row of the file."""
    if uploaded.size > MAX_BYTES:
        raise ImportRefused([Problem(0, _("The file is larger than 5 MB; split it into several files."))])
    raw = uploaded.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused([Problem(0, _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."))]) \
            from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise ImportRefused([Problem(0, _("The file is empty."))]) from None
    positions = {}
    for index, name in enumerate(header):
        for column, spellings in COLUMNS.items():
            if _key(name) in spellings and column not in positions:
                positions[column] = index
    missing = [column for column in REQUIRED if column not in positions]
    if missing:
        names = {"email": _("customer e-mail"), "sku": _("product SKU"), "serial": _("serial number"),
                 "date": _("purchase date")}
        raise ImportRefused([Problem(1, _("the header row has no column for: %(columns)s. Expected columns: "
                                          "customer e-mail, product SKU, serial number, purchase date, order "
                                          "reference.") % {"columns": ", ".join(names[c] for c in missing)})])
    rows = []
    try:
        for number, record in enumerate(reader, start=2):
            if not any(cell.strip() for cell in record):
                continue
            values = {column: (record[index].strip() if index < len(record) else "")
                      for column, index in positions.items()}
            rows.append((number, values))
            if len(rows) > MAX_ROWS:
                raise ImportRefused([Problem(0, _("The file has more than %(max)d purchases; split it.")
                                             % {"max": MAX_ROWS})])
    except csv.Error as error:
        raise ImportRefused([Problem(reader.line_num, _("the line cannot be read (%(error)s).")
                                     % {"error": error})]) from None
    if not rows:
        raise ImportRefused([Problem(0, _("The file has a header row but no purchases."))])
    return rows


def check_rows(rows, *, now, normalize_serial) -> list[Purchase]:
    """Unsaved purchases for every row, or ImportRefused listing every row's problems."""
    emails = {normalize_email(values["email"]) for _number, values in rows}
    customers = {user.email: user for user in
                 account_selectors.customers().filter(email__in=emails).select_related("organization")}
    # Products are few: match SKUs without regard to case.
    products = {product.sku.upper(): product for product in Product.objects.all()}
    serials = {normalize_serial(values["serial"]) for _number, values in rows}
    taken = set(Purchase.objects.filter(serial_number__in=serials, product__in=products.values())
                .values_list("product_id", "serial_number"))
    seen = {}
    problems, purchases = [], []
    for number, values in rows:
        row_problems = []
        email = normalize_email(values["email"])
        customer = customers.get(email)
        if not email:
            row_problems.append(_("the customer e-mail is empty."))
        elif customer is None:
            row_problems.append(_("no customer has the e-mail address “%(email)s”.") % {"email": values["email"]})
        sku = values["sku"].strip()
        product = products.get(sku.upper())
        if not sku:
            row_problems.append(_("the product SKU is empty."))
        elif product is None:
            row_problems.append(_("there is no product with the SKU “%(sku)s”.") % {"sku": sku})
        serial = normalize_serial(values["serial"])
        if not serial:
            row_problems.append(_("the serial number is empty."))
        elif len(serial) > 100:
            row_problems.append(_("the serial number is longer than 100 characters."))
        elif product is not None:
            if (product.pk, serial) in taken:
                row_problems.append(_("serial number %(serial)s of %(sku)s is already registered.")
                                    % {"serial": serial, "sku": product.sku})
            elif (product.pk, serial) in seen:
                row_problems.append(_("serial number %(serial)s of %(sku)s is also on row %(other)d.")
                                    % {"serial": serial, "sku": product.sku, "other": seen[(product.pk, serial)]})
            else:
                seen[(product.pk, serial)] = number
        purchase_date = _parse_date(values["date"])
        if purchase_date is None:
            row_problems.append(_("“%(value)s” is not a date in the form YYYY-MM-DD.") % {"value": values["date"]})
        elif customer is not None and purchase_date > customer_date(customer, now):
            row_problems.append(_("the purchase date %(date)s is in the future.") % {"date": values["date"]})
        order = values.get("order", "")
        if len(order) > 100:
            row_problems.append(_("the order reference is longer than 100 characters."))
        if row_problems:
            problems.extend(Problem(number, message) for message in row_problems)
            continue
        purchases.append(Purchase(
            customer=customer, organization=customer.organization, product=product, serial_number=serial,
            purchase_date=purchase_date, order_reference=order,
            warranty_until=warranty_end(purchase_date, product.warranty_months), created_at=now,
        ))
    if problems:
        raise ImportRefused(problems)
    return purchases


def _parse_date(value: str) -> date | None:
    value = (value or "").strip()
    if not ISO_DATE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
