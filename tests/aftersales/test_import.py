"""Importing purchases from a CSV file in admin: all rows are checked first, and all or none are imported."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from aftersales import services
from aftersales.imports import ImportRefused
from aftersales.models import Purchase
from tests.aftersales.factories import ProductFactory, PurchaseFactory

pytestmark = pytest.mark.django_db
IMPORT = reverse("admin:aftersales_purchase_import")


def csv_file(text, name="purchases.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


@pytest.fixture
def catalogue(db):
    return {"SG-200": ProductFactory(sku="SG-200", warranty_months=24), "HLK-USB": ProductFactory(sku="HLK-USB")}


GOOD = """customer_email,product_sku,serial_number,purchase_date,order_reference
alice@acme.example,SG-200,SG2-1001,2025-03-10,SO-1
Bob@Acme.example,hlk-usb,hlk-7,2026-01-31,
carol@globex.example,SG-200,SG2-1002,2024-02-29,SO-3
"""


def test_a_good_file_imports_every_row(customer_a, customer_a2, customer_b, catalogue, manager):
    created = services.purchases_import(csv_file=csv_file(GOOD), actor=manager)
    assert len(created) == 3 and Purchase.objects.count() == 3
    first = Purchase.objects.get(serial_number="SG2-1001")
    assert (first.customer, first.organization, first.order_reference) == (customer_a, customer_a.organization,
                                                                            "SO-1")
    assert first.warranty_until == date(2027, 3, 10) and first.registered_by == manager
    assert Purchase.objects.get(serial_number="HLK-7").customer == customer_a2


def test_a_file_with_bad_rows_imports_nothing_and_names_each_row(customer_a, customer_b, catalogue):
    PurchaseFactory(customer=customer_b, product=catalogue["SG-200"], serial_number="SG2-TAKEN")
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    text = f"""Customer e-mail;Product SKU;Serial number;Purchase date;Order reference
alice@acme.example;SG-200;SG2-2001;2025-03-10;SO-1
nobody@acme.example;SG-200;SG2-2002;2025-03-10;
alice@acme.example;NOPE-1;SG2-2003;2025-03-10;
alice@acme.example;SG-200;SG2-2004;10/03/2025;
alice@acme.example;SG-200;SG2-TAKEN;2025-03-10;
alice@acme.example;SG-200;SG2-2001;2025-03-11;
alice@acme.example;SG-200;;2025-03-10;
alice@acme.example;SG-200;SG2-2005;{future};
"""
    with pytest.raises(ImportRefused) as refused:
        services.purchases_import(csv_file=csv_file(text))
    problems = [str(problem) for problem in refused.value.problems]
    assert problems == [
        "Row 3: no customer has the e-mail address “nobody@acme.example”.",
        "Row 4: there is no product with the SKU “NOPE-1”.",
        "Row 5: “10/03/2025” is not a date in the form YYYY-MM-DD.",
        "Row 6: serial number SG2-TAKEN of SG-200 is already registered.",
        "Row 7: serial number SG2-2001 of SG-200 is also on row 2.",
        "Row 8: the serial number is empty.",
        f"Row 9: the purchase date {future} is in the future.",
    ]
    assert Purchase.objects.count() == 1, "the good row was not imported either"


def test_a_file_without_the_needed_columns_is_refused(catalogue):
    with pytest.raises(ImportRefused) as refused:
        services.purchases_import(csv_file=csv_file("email,sku\nalice@acme.example,SG-200\n"))
    assert "Row 1" in str(refused.value.problems[0]) and "serial number, purchase date" in str(
        refused.value.problems[0])


def test_a_file_that_is_not_text_is_refused(catalogue):
    with pytest.raises(ImportRefused, match="UTF-8"):
        services.purchases_import(csv_file=SimpleUploadedFile("x.csv", b"\xff\xfe\x00\x01garbage\x9c"))


# ---------------------------------------------------------------- in admin


def test_a_manager_imports_from_the_admin_page(client, manager, customer_a, customer_a2, customer_b, catalogue):
    client.force_login(manager)
    changelist = client.get(reverse("admin:aftersales_purchase_changelist"))
    assert changelist.status_code == 200 and IMPORT in changelist.content.decode()
    response = client.post(IMPORT, {"csv_file": csv_file(GOOD)})
    assert response.status_code == 302 and Purchase.objects.count() == 3
    assert "Imported 3 purchases." in client.get(response["Location"]).content.decode()


def test_the_admin_page_lists_every_bad_row(client, manager, customer_a, catalogue):
    client.force_login(manager)
    text = "customer_email,product_sku,serial_number,purchase_date\nalice@acme.example,SG-200,A,2025-01-01\n" \
           "ghost@acme.example,SG-200,B,2025-01-01\nalice@acme.example,SG-200,C,yesterday\n"
    response = client.post(IMPORT, {"csv_file": csv_file(text)})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nothing was imported" in body
    assert "Row 3: no customer has the e-mail address “ghost@acme.example”." in body
    assert "Row 4: “yesterday” is not a date in the form YYYY-MM-DD." in body
    assert not Purchase.objects.exists()


def test_agents_and_customers_cannot_import(client, agent, customer_a, catalogue):
    for person in (agent, customer_a):
        client.force_login(person)
        response = client.post(IMPORT, {"csv_file": csv_file(GOOD)})
        assert response.status_code in (302, 403)
        assert not Purchase.objects.exists()


def test_managers_get_the_catalogue_and_purchase_permissions(manager):
    for codename in ("add_product", "change_product", "view_product", "add_purchase", "change_purchase",
                     "view_purchase", "import_purchases", "view_servicerequest"):
        assert manager.has_perm(f"aftersales.{codename}"), codename
    assert not manager.has_perm("aftersales.change_servicerequest")
    assert not manager.has_perm("aftersales.delete_purchase")


def test_an_admin_edit_keeps_the_warranty_consistent(client, admin_user, customer_a, catalogue):
    purchase = PurchaseFactory(customer=customer_a, product=catalogue["SG-200"], serial_number="SG2-9")
    client.force_login(admin_user)
    url = reverse("admin:aftersales_purchase_change", args=[purchase.pk])
    response = client.post(url, {"customer": customer_a.pk, "product": catalogue["SG-200"].pk,
                                 "serial_number": "sg2-9", "purchase_date": "2025-05-31", "order_reference": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    purchase.refresh_from_db()
    assert purchase.warranty_until == date(2027, 5, 31) and purchase.serial_number == "SG2-9"
