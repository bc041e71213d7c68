"""What customer care does when a lower app tells it something happened (connected in ``CareConfig.ready``)."""

from django.dispatch import receiver

from care import services
from feedback.signals import survey_response_submitted


@receiver(survey_response_submitted, dispatch_uid="care.receivers.follow_up_low_score")
def follow_up_low_score(sender, response, invitation, is_low, now=None, **kwargs):
    if is_low:
        services.follow_up_for_low_score(response=response, invitation=invitation, now=now)
