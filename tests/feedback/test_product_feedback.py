"""Sending product feedback in the portal, triage in the desk, and who sees what."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from feedback import services
from feedback.models import Feedback, FeedbackTag, ProductArea

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def test_customer_sends_feedback_with_a_screenshot(client, customer_a):
    area = ProductArea.objects.create(name="Reports")
    client.force_login(customer_a)
    page = client.post("/portal/feedback/new/", {
        "kind": "idea", "area": area.pk, "text": "Export reports as CSV please", "score": "4",
        "screenshot": SimpleUploadedFile("shot.png", PNG, content_type="image/png")}, follow=True)
    feedback = Feedback.objects.get()
    assert feedback.author == customer_a and feedback.area == area and feedback.score == 4
    assert feedback.screenshot_name == "shot.png"
    assert "What happens next" in page.content.decode()
    download = client.get(f"/portal/feedback/{feedback.pk}/screenshot/")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert download["Cache-Control"] == "private, no-store"


def test_bad_input_shows_a_message_and_saves_nothing(client, customer_a):
    client.force_login(customer_a)
    page = client.post("/portal/feedback/new/", {
        "kind": "bug", "text": "Broken page", "screenshot": SimpleUploadedFile("shot.png", b"<script>x</script>")})
    assert page.status_code == 200 and "is-invalid" in page.content.decode()
    page = client.post("/portal/feedback/new/", {"kind": "bug", "text": "   "})
    assert "This field is required" in page.content.decode() or "Tell us a little more" in page.content.decode()
    assert not Feedback.objects.exists()


def test_customer_b_cannot_see_customer_a_feedback(client, customer_a, customer_a2, customer_b):
    feedback = services.feedback_create(author=customer_a, kind="bug", text="<script>alert(1)</script> crashes",
                                        screenshot=(SimpleUploadedFile("s.png", PNG), "s.png", "image/png"))
    for other in (customer_b, customer_a2):
        client.force_login(other)
        for url in (f"/portal/feedback/{feedback.pk}/", f"/portal/feedback/{feedback.pk}/screenshot/"):
            assert client.get(url).status_code == 404
        assert "crashes" not in client.get("/portal/feedback/").content.decode()
    client.force_login(customer_a)
    page = client.get(f"/portal/feedback/{feedback.pk}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page


def test_customers_cannot_open_the_desk(client, customer_a):
    feedback = services.feedback_create(author=customer_a, kind="bug", text="Something is broken")
    client.force_login(customer_a)
    assert client.get("/desk/feedback/").status_code == 403
    assert client.get(f"/desk/feedback/{feedback.pk}/").status_code == 403


def test_triage_status_tags_and_duplicates_roll_up(client, agent, customer_a, customer_b):
    original = services.feedback_create(author=customer_a, kind="idea", text="Dark mode please")
    copy = services.feedback_create(author=customer_b, kind="idea", text="A dark theme would be nice")
    copy_of_copy = services.feedback_create(author=customer_b, kind="idea", text="Night mode")
    client.force_login(agent)
    client.post(f"/desk/feedback/{original.pk}/triage/", {"status": "acknowledged", "tags": "theme, ui , theme"})
    original.refresh_from_db()
    assert original.status == "acknowledged"
    assert sorted(original.tags.values_list("name", flat=True)) == ["theme", "ui"]
    client.post(f"/desk/feedback/{copy_of_copy.pk}/duplicate/", {"original": copy.pk})
    client.post(f"/desk/feedback/{copy.pk}/duplicate/", {"original": original.pk})
    copy_of_copy.refresh_from_db()
    assert copy_of_copy.duplicate_of == original and copy_of_copy.status == "closed"
    page = client.get("/desk/feedback/").content.decode()
    assert "Dark mode please" in page and "Night mode" not in page  # duplicates fold into the original
    assert '<span class="badge rounded-pill text-bg-primary">3</span>' in page
    bad = client.post(f"/desk/feedback/{original.pk}/duplicate/", {"original": original.pk})
    assert bad.status_code == 400 and "cannot be a duplicate of itself" in bad.content.decode()
    assert client.post(f"/desk/feedback/{original.pk}/duplicate/", {"original": 99999}).status_code == 400


def _triage_queries(client, customer_a, rows, area, tag):
    Feedback.objects.bulk_create([Feedback(author=customer_a, organization=customer_a.organization, kind="bug",
                                           area=area, text=f"Item {n}") for n in range(rows)])
    for item in Feedback.objects.all()[:5]:
        item.tags.add(tag)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/desk/feedback/?kind=bug")
    assert page.status_code == 200 and page.content.decode().count('href="/desk/feedback/') >= min(rows, 25)
    return len(queries.captured_queries)


def test_triage_list_runs_a_fixed_number_of_queries(client, agent, customer_a):
    area = ProductArea.objects.create(name="Billing")
    tag = FeedbackTag.objects.create(name="urgent")
    client.force_login(agent)
    client.get("/desk/feedback/")
    few = _triage_queries(client, customer_a, 5, area, tag)
    Feedback.objects.all().delete()
    many = _triage_queries(client, customer_a, 50, area, tag)
    assert few == many
    assert few <= 20
