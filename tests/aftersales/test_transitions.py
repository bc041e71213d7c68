"""The statuses a service request moves through, and every move that is refused."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from aftersales import services
from aftersales.models import ServiceEvent, ServiceRequest
from aftersales.services import ServiceRequestError
from tests.aftersales.factories import PurchaseFactory, ServiceRequestFactory

Status = ServiceRequest.Status
Eligibility = ServiceRequest.Eligibility
pytestmark = pytest.mark.django_db

ALLOWED = {(old, new) for old, targets in ServiceRequest.TRANSITIONS.items() for new in targets}
REFUSED = [(old, new) for old in Status.values for new in Status.values
           if (old, new) not in ALLOWED and new != Status.SUBMITTED]


def move(request, target, *, manager, agent):
    """The service that moves a request to ``target``, called with valid input."""
    if target == Status.UNDER_REVIEW:
        return services.service_request_start_review(service_request=request, actor=manager)
    if target == Status.APPROVED:
        return services.service_request_approve(service_request=request, actor=manager, notify=False)
    if target == Status.REJECTED:
        return services.service_request_reject(service_request=request, actor=manager, reason="Not covered.",
                                               notify=False)
    if target == Status.IN_SERVICE:
        return services.service_request_start(service_request=request, actor=agent, notify=False)
    if target == Status.COMPLETED:
        return services.service_request_complete(service_request=request, actor=agent, work_done="Fixed.",
                                                 notify=False)
    if target == Status.CLOSED:
        return services.service_request_close(service_request=request, actor=agent)
    raise AssertionError(target)


def test_the_refused_list_covers_every_pair_not_allowed():
    assert len(REFUSED) + len(ALLOWED) + len(Status.values) == len(Status.values) ** 2


@pytest.mark.parametrize(("old", "new"), REFUSED, ids=[f"{old}->{new}" for old, new in REFUSED])
def test_every_move_not_allowed_is_refused_with_a_clear_message(old, new, manager, agent):
    request = ServiceRequestFactory(status=old)
    version = request.version
    with pytest.raises(ServiceRequestError) as refused:
        move(request, new, manager=manager, agent=agent)
    assert "cannot go from" in str(refused.value)
    assert str(Status(old).label) in str(refused.value) and str(Status(new).label) in str(refused.value)
    request.refresh_from_db()
    assert (request.status, request.version) == (old, version)
    assert not ServiceEvent.objects.filter(service_request=request).exists()


@pytest.mark.parametrize("old", Status.values)
def test_nothing_goes_back_to_submitted(old):
    assert not ServiceRequestFactory.build(status=old).can_move_to(Status.SUBMITTED)


def test_the_whole_way_in_warranty(customer_a, purchase_a, manager, agent):
    request = services.service_request_submit(purchase=purchase_a, requester=customer_a, kind="repair",
                                              description="Fan is loud.", notify=False)
    request = move(request, Status.UNDER_REVIEW, manager=manager, agent=agent)
    request = move(request, Status.APPROVED, manager=manager, agent=agent)
    request = move(request, Status.IN_SERVICE, manager=manager, agent=agent)
    assert request.technician == agent, "whoever starts the work becomes the technician"
    request = move(request, Status.COMPLETED, manager=manager, agent=agent)
    request = move(request, Status.CLOSED, manager=manager, agent=agent)
    assert request.status == Status.CLOSED and request.version == 6
    assert request.eligibility_confirmed_at is not None and request.reviewer == manager
    statuses = list(request.events.filter(kind=ServiceEvent.Kind.STATUS).values_list("new_value", flat=True))
    assert statuses == [Status.UNDER_REVIEW, Status.APPROVED, Status.IN_SERVICE, Status.COMPLETED, Status.CLOSED]


def test_reject_needs_a_reason(manager):
    request = ServiceRequestFactory(status=Status.UNDER_REVIEW)
    with pytest.raises(ServiceRequestError, match="reason") as refused:
        services.service_request_reject(service_request=request, actor=manager, reason="  ", notify=False)
    assert refused.value.field == "reason"
    request.refresh_from_db()
    assert request.status == Status.UNDER_REVIEW


def test_only_a_manager_decides(agent):
    request = ServiceRequestFactory(status=Status.UNDER_REVIEW)
    with pytest.raises(ServiceRequestError, match="manager"):
        services.service_request_approve(service_request=request, actor=agent, notify=False)
    request.refresh_from_db()
    assert request.status == Status.UNDER_REVIEW


def test_an_out_of_warranty_request_cannot_be_approved_without_a_quote(manager):
    request = ServiceRequestFactory(status=Status.UNDER_REVIEW, eligibility_assessed=Eligibility.OUT_OF_WARRANTY)
    with pytest.raises(ServiceRequestError, match="quote"):
        services.service_request_approve(service_request=request, actor=manager, notify=False)
    request.refresh_from_db()
    assert request.status == Status.UNDER_REVIEW
    assert not request.events.exists()


def test_the_reviewer_may_correct_the_eligibility_when_approving(manager):
    request = ServiceRequestFactory(status=Status.UNDER_REVIEW, eligibility_assessed=Eligibility.OUT_OF_WARRANTY)
    request = services.service_request_approve(service_request=request, actor=manager,
                                               eligibility=Eligibility.IN_WARRANTY, notify=False)
    assert request.status == Status.APPROVED and request.eligibility == Eligibility.IN_WARRANTY
    assert request.eligibility_assessed == Eligibility.OUT_OF_WARRANTY
    event = request.events.get(kind=ServiceEvent.Kind.ELIGIBILITY)
    assert (event.old_value, event.new_value, event.actor) == (Eligibility.OUT_OF_WARRANTY,
                                                               Eligibility.IN_WARRANTY, manager)


def test_an_eligibility_that_does_not_fit_the_kind_is_refused(manager):
    request = ServiceRequestFactory(status=Status.UNDER_REVIEW)
    with pytest.raises(ServiceRequestError) as refused:
        services.service_request_approve(service_request=request, actor=manager,
                                         eligibility=Eligibility.REFUND_WINDOW, notify=False)
    assert refused.value.field == "eligibility"


def test_a_refund_past_its_window_is_not_approved(manager):
    request = ServiceRequestFactory(status=Status.UNDER_REVIEW, kind="refund",
                                    eligibility_assessed=Eligibility.REFUND_EXPIRED)
    with pytest.raises(ServiceRequestError, match="refund window"):
        services.service_request_approve(service_request=request, actor=manager, notify=False)
    with pytest.raises(ServiceRequestError, match="cannot be quoted"):
        services.service_request_send_quote(service_request=request, actor=manager, amount="10", currency="EUR",
                                            notify=False)


# ---------------------------------------------------------------- paid service: the quote


@pytest.fixture
def quoted(manager):
    request = ServiceRequestFactory(status=Status.UNDER_REVIEW, eligibility_assessed=Eligibility.OUT_OF_WARRANTY,
                                    purchase=PurchaseFactory(age_days=900))
    return services.service_request_send_quote(service_request=request, actor=manager, amount="149.5",
                                               currency="EUR", note="New power supply.", notify=False)


def test_a_quote_keeps_the_request_under_review_until_the_customer_answers(quoted):
    assert quoted.status == Status.UNDER_REVIEW and quoted.quote_pending
    assert quoted.quote_amount == Decimal("149.50") and quoted.eligibility == Eligibility.OUT_OF_WARRANTY
    assert quoted.can_answer_quote()


def test_service_cannot_start_before_the_quote_is_accepted(quoted, agent):
    with pytest.raises(ServiceRequestError, match="accepted the quote"):
        services.service_request_start(service_request=quoted, actor=agent, notify=False)
    quoted.refresh_from_db()
    assert quoted.status == Status.UNDER_REVIEW and quoted.service_started_at is None


def test_an_approved_paid_service_without_acceptance_cannot_start(agent):
    # However it got there (an admin edit, an old import), a paid service without an accepted quote waits.
    request = ServiceRequestFactory(status=Status.APPROVED, eligibility_assessed=Eligibility.OUT_OF_WARRANTY)
    with pytest.raises(ServiceRequestError, match="accepted the quote"):
        services.service_request_start(service_request=request, actor=agent, notify=False)


def test_accepting_the_quote_approves_and_service_may_start(quoted, agent):
    customer = quoted.requester
    request = services.service_request_accept_quote(service_request=quoted, customer=customer, notify=False)
    assert request.status == Status.APPROVED and request.quote_accepted_at is not None
    request = services.service_request_start(service_request=request, actor=agent, notify=False)
    assert request.status == Status.IN_SERVICE


def test_declining_the_quote_closes_the_request(quoted, agent):
    request = services.service_request_decline_quote(service_request=quoted, customer=quoted.requester,
                                                     notify=False)
    assert request.status == Status.CLOSED and request.closed_at is not None and request.quote_declined_at
    assert list(request.events.values_list("kind", flat=True))[-2:] == [ServiceEvent.Kind.QUOTE_DECLINED,
                                                                        ServiceEvent.Kind.STATUS]
    with pytest.raises(ServiceRequestError):
        services.service_request_start(service_request=request, actor=agent, notify=False)
    with pytest.raises(ServiceRequestError, match="no quote waiting"):
        services.service_request_accept_quote(service_request=request, customer=request.requester, notify=False)


def test_a_second_quote_while_one_is_pending_is_refused(quoted, manager):
    with pytest.raises(ServiceRequestError, match="already waiting"):
        services.service_request_send_quote(service_request=quoted, actor=manager, amount="99", currency="EUR",
                                            notify=False)


@pytest.mark.parametrize("amount", ["0", "-5", "abc"])
def test_a_quote_needs_a_positive_amount(amount, manager):
    request = ServiceRequestFactory(status=Status.UNDER_REVIEW)
    with pytest.raises(ServiceRequestError) as refused:
        services.service_request_send_quote(service_request=request, actor=manager, amount=amount, currency="EUR",
                                            notify=False)
    assert refused.value.field == "amount"


def test_an_agent_cannot_close_a_request_under_review(agent):
    request = ServiceRequestFactory(status=Status.UNDER_REVIEW)
    with pytest.raises(ServiceRequestError, match="completed or rejected"):
        services.service_request_close(service_request=request, actor=agent)


# ---------------------------------------------------------------- the completion report


def test_a_replacement_needs_the_new_serial_number(agent):
    request = ServiceRequestFactory(status=Status.IN_SERVICE, kind="replacement")
    with pytest.raises(ServiceRequestError) as refused:
        services.service_request_complete(service_request=request, actor=agent, work_done="Swapped.", notify=False)
    assert refused.value.field == "replacement_serial"
    request = services.service_request_complete(service_request=request, actor=agent, work_done="Swapped.",
                                                parts_replaced="Whole unit", replacement_serial="sg2-9999",
                                                notify=False)
    assert (request.status, request.replacement_serial) == (Status.COMPLETED, "SG2-9999")


def test_completed_requests_close_by_themselves_once(agent):
    old = ServiceRequestFactory(status=Status.COMPLETED, completed_at=timezone.now() - timedelta(days=20))
    recent = ServiceRequestFactory(status=Status.COMPLETED, completed_at=timezone.now() - timedelta(days=2))
    assert services.service_requests_auto_close() == 1
    assert services.service_requests_auto_close() == 0
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, recent.status) == (Status.CLOSED, Status.COMPLETED)
    assert old.events.filter(kind=ServiceEvent.Kind.STATUS, new_value=Status.CLOSED).count() == 1


def test_onsite_service_needs_an_address(customer_a, purchase_a):
    with pytest.raises(ServiceRequestError) as refused:
        services.service_request_submit(purchase=purchase_a, requester=customer_a, kind="onsite",
                                        description="Come and look.", notify=False)
    assert refused.value.field == "onsite_address"
    assert not ServiceRequest.objects.exists()
