"""Custom ticket fields: which fields a ticket has, checking a value, reading and writing it.

Other code reads and writes a ticket's custom field by its key through two functions:

``get_value(ticket, key)``
    The field's value on the ticket in its Python type: ``str`` for text, dropdown and linked product,
    ``Decimal`` for number, ``datetime.date`` for date, ``bool`` for checkbox (``False`` when unset),
    ``list[str]`` for multi-select (``[]`` when unset), ``None`` for an unset text, number, date or dropdown.
    Raises ``UnknownField`` for a key no active field has.

``set_value(ticket, key, value, *, actor=None)``
    Check ``value`` against the field (``clean_value``) and store it; ``None``, ``""`` or ``[]`` clear it.
    Raises ``django.core.exceptions.ValidationError`` naming the bad value, or ``UnknownField``. A change is
    written to the ticket's history, by ``actor`` (``None`` for the system).

Values live in ``CustomFieldValue`` rows, one per value (a multi-select has one per option), in typed columns
with (field, value, ticket) indexes, so a filter on a field is an index lookup.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from tickets.models import CustomField, CustomFieldValue, TicketEvent

Type = CustomField.Type
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class UnknownField(LookupError):
    pass


def fields_for(queue=None, *, customer=False):
    """The active fields of a queue (and those for every queue); a customer gets only the visible ones."""
    fields = CustomField.objects.filter(is_active=True)
    if queue is not None:
        fields = fields.filter(Q(queue__isnull=True) | Q(queue=queue))
    if customer:
        fields = fields.filter(visible_to_customers=True)
    return list(fields)


def field_by_key(key) -> CustomField:
    try:
        return CustomField.objects.get(key=key, is_active=True)
    except CustomField.DoesNotExist:
        raise UnknownField(key) from None


def is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value is False


def clean_value(field: CustomField, value):
    """``value`` (from a form, a rule or Python) in the field's type; ``ValidationError`` names a bad one."""
    label = field.label
    if field.type == Type.MULTI:
        items = value if isinstance(value, (list, tuple, set)) else ([] if value in (None, "") else [value])
        items = [str(item).strip() for item in items if str(item).strip()]
        allowed = field.choice_list
        for item in items:
            if item not in allowed:
                raise ValidationError(_("“%(value)s” is not an option of %(field)s.") % {"value": item, "field": label})
        return [choice for choice in allowed if choice in items]
    if field.type == Type.CHECKBOX:
        if isinstance(value, bool):
            return value
        word = str(value if value is not None else "").strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValidationError(_("“%(value)s” is not yes or no for %(field)s.") % {"value": value, "field": label})
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if field.type == Type.NUMBER:
        try:
            number = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            raise ValidationError(
                _("“%(value)s” is not a number for %(field)s.") % {"value": value, "field": label}
            ) from None
        if not number.is_finite() or abs(number) >= Decimal("1e14"):
            raise ValidationError(_("“%(value)s” is not a number for %(field)s.") % {"value": value, "field": label})
        return number.quantize(Decimal("0.0001"))
    if field.type == Type.DATE:
        if isinstance(value, date):
            return value
        try:
            parsed = parse_date(str(value).strip())
        except ValueError:
            parsed = None
        if parsed is None:
            raise ValidationError(
                _("“%(value)s” is not a date (YYYY-MM-DD) for %(field)s.") % {"value": value, "field": label}
            )
        return parsed
    text = " ".join(str(value).split())
    if field.type == Type.DROPDOWN and text not in field.choice_list:
        raise ValidationError(_("“%(value)s” is not an option of %(field)s.") % {"value": text, "field": label})
    if len(text) > 255:
        raise ValidationError(_("%(field)s takes at most 255 characters.") % {"field": label})
    return text


def _rows(field, value) -> list[CustomFieldValue]:
    if is_empty(value):
        return []
    if field.type == Type.MULTI:
        return [CustomFieldValue(field=field, text=item) for item in value]
    if field.type == Type.NUMBER:
        return [CustomFieldValue(field=field, number=value)]
    if field.type == Type.DATE:
        return [CustomFieldValue(field=field, date=value)]
    if field.type == Type.CHECKBOX:
        return [CustomFieldValue(field=field, text="yes")]
    return [CustomFieldValue(field=field, text=value)]


def _from_rows(field, rows):
    if field.type == Type.MULTI:
        chosen = {row.text for row in rows}
        return [choice for choice in field.choice_list if choice in chosen] + sorted(chosen - set(field.choice_list))
    if field.type == Type.CHECKBOX:
        return bool(rows)
    if not rows:
        return None
    row = rows[0]
    if field.type == Type.NUMBER:
        return row.number
    if field.type == Type.DATE:
        return row.date
    return row.text


def display(field, value) -> str:
    if field.type == Type.MULTI:
        return ", ".join(value or [])
    if field.type == Type.CHECKBOX:
        return _("Yes") if value else _("No")
    if value is None:
        return ""
    if field.type == Type.NUMBER:
        return f"{value.normalize():f}"
    return str(value)


def values_for(ticket, fields) -> dict[str, object]:
    """key → value of ``fields`` on the ticket, in one query (or none when the rows are prefetched)."""
    rows: dict[int, list] = {}
    for row in ticket.custom_values.all():
        rows.setdefault(row.field_id, []).append(row)
    return {field.key: _from_rows(field, rows.get(field.pk, [])) for field in fields}


def get_value(ticket, key):
    field = field_by_key(key)
    return _from_rows(field, list(CustomFieldValue.objects.filter(ticket=ticket, field=field)))


def store(ticket, field, value, *, actor=None) -> bool:
    """Store an already cleaned value; returns whether it changed (and records the change in the history)."""
    old = _from_rows(field, list(CustomFieldValue.objects.filter(ticket=ticket, field=field)))
    if old == value or (is_empty(old) and is_empty(value)):
        return False
    CustomFieldValue.objects.filter(ticket=ticket, field=field).delete()
    rows = _rows(field, value)
    for row in rows:
        row.ticket = ticket
    CustomFieldValue.objects.bulk_create(rows)
    TicketEvent.objects.create(
        ticket=ticket,
        actor=actor,
        kind=TicketEvent.Kind.FIELD,
        old_value=f"{field.label}: {display(field, old)}"[:255],
        new_value=f"{field.label}: {display(field, value)}"[:255],
        version=ticket.version,
    )
    return True


def set_value(ticket, key, value, *, actor=None):
    field = field_by_key(key)
    cleaned = clean_value(field, value)
    with transaction.atomic():
        store(ticket, field, cleaned, actor=actor)
    return cleaned


def store_many(ticket, cleaned: dict, *, actor=None) -> list[CustomField]:
    """Store {field: cleaned value}; returns the fields that changed."""
    return [field for field, value in cleaned.items() if store(ticket, field, value, actor=actor)]


def missing_before_resolve(ticket) -> list[CustomField]:
    """Fields the ticket's queue needs filled in (required or required before resolving) that are empty."""
    needed = [
        field
        for field in fields_for(ticket.queue)
        if field.requirement in (CustomField.Requirement.REQUIRED, CustomField.Requirement.BEFORE_RESOLVE)
    ]
    if not needed:
        return []
    filled = set(CustomFieldValue.objects.filter(ticket=ticket, field__in=needed).values_list("field_id", flat=True))
    return [field for field in needed if field.pk not in filled]


def filter_tickets(tickets, field: CustomField, value):
    """Tickets whose ``field`` has ``value`` (for a multi-select: has that option), by the value index."""
    cleaned = clean_value(field, value)
    if field.type == Type.CHECKBOX:
        has = Exists(CustomFieldValue.objects.filter(ticket=OuterRef("pk"), field=field))
        return tickets.filter(has) if cleaned else tickets.exclude(has)
    if is_empty(cleaned):
        return tickets
    if field.type == Type.MULTI:
        lookups = Q(text__in=cleaned)
    elif field.type == Type.NUMBER:
        lookups = Q(number=cleaned)
    elif field.type == Type.DATE:
        lookups = Q(date=cleaned)
    else:
        lookups = Q(text=cleaned)
    return tickets.filter(Exists(CustomFieldValue.objects.filter(lookups, field=field, ticket=OuterRef("pk"))))
