from django.dispatch import Signal

# Sent by ``response_submit`` inside its transaction each time a customer submits or changes their answers.
# sender=SurveyResponse, response=…, invitation=…, is_low=bool (the survey's low-score rule), now=datetime.
# Heard by customer care, which opens one follow-up task for a low score.
survey_response_submitted = Signal()
