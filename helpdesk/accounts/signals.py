from django.dispatch import Signal

# Data protection. Each app that holds personal data connects a receiver to both.
# privacy_export: sender=None, user=User; a receiver returns {"section": [...json-able...]} and may add
#   "files": [(path inside the ZIP, an open-able FieldFile), …]; its sections go into the customer's ZIP.
# privacy_forget: sender=None, user=User; a receiver anonymises what its app holds about the user (names,
#   e-mail addresses, free text they wrote, uploaded files) and returns {"what": count} for the log,
#   keeping rows, dates, statuses and scores so that report numbers stay the same.
privacy_export = Signal()
privacy_forget = Signal()
