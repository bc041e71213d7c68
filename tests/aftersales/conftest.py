"""Shared set-up for the after-sales tests: uploaded files go to a temporary folder."""

import pytest

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def product(db):
    from tests.aftersales.factories import ProductFactory

    return ProductFactory(name="SecureGate SG-200", sku="SG-200", warranty_months=24, refund_window_days=30)


@pytest.fixture
def purchase_a(customer_a, product):
    """Alice's appliance, bought 100 days ago: in warranty, past the refund window."""
    from tests.aftersales.factories import PurchaseFactory

    return PurchaseFactory(customer=customer_a, product=product, serial_number="SG2-0001")
