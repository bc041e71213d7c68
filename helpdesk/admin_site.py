"""The admin site, with the models grouped by what an admin comes to do rather than by the app that holds them.

The groups name models by label only, so this module imports no feature app. A model registered without a
group still shows, under "Other", and a test fails until it is given one.
"""

from django.contrib import admin
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

# (slug, name, model labels in the order shown). The things configured every day come first; the tables that a
# job or the audit trail writes come last, for superusers only (see helpdesk.admin_mixins.InternalAdminMixin).
ADMIN_GROUPS = [
    ("support-desk", _("Support desk"), [
        "tickets.queue", "tickets.businesshours", "tickets.slapolicy", "tickets.cannedresponse", "tickets.tag",
        "tickets.customfield", "tickets.agentavailability",
    ]),
    ("automation", _("Automation"), ["tickets.rule", "tickets.automation"]),
    ("people", _("People"), [
        "accounts.user", "accounts.organization", "auth.group", "accounts.organizationstatuschange",
        "accounts.privacyrequest",
    ]),
    ("after-sales", _("After-sales"), [
        "aftersales.product", "aftersales.purchase", "aftersales.servicerequest", "aftersales.servicelog",
        "aftersales.servicefile",
    ]),
    ("surveys", _("Surveys"), [
        "feedback.survey", "feedback.question", "feedback.surveyresponse", "feedback.answer",
        "feedback.surveyinvitation", "feedback.customersurveypreference",
    ]),
    ("product-feedback", _("Product feedback"), [
        "feedback.feedback", "feedback.improvement", "feedback.productarea", "feedback.feedbacktag",
        "feedback.improvementnotice",
    ]),
    ("customer-care", _("Customer care"), ["care.careplan", "care.churnreason", "care.caretask"]),
    ("knowledge-base", _("Knowledge base"), [
        "knowledgebase.article", "knowledgebase.category", "knowledgebase.articlerevision",
        "knowledgebase.articlevote", "knowledgebase.searchquerylog", "knowledgebase.deflection",
        "knowledgebase.deflectioncandidate",
    ]),
    ("tickets", _("Tickets"), ["tickets.ticket", "tickets.message", "tickets.attachment"]),
    ("e-mail", _("E-mail"), ["mail.outboundemail", "tickets.intakerecord"]),
    ("sign-in-security", _("Sign-in security"), [
        "axes.accessattempt", "axes.accessfailurelog", "axes.accesslog", "otp_totp.totpdevice",
        "otp_static.staticdevice",
    ]),
    ("internal", _("Internal records"), [
        "tickets.ticketevent", "aftersales.serviceevent", "care.healthscore", "knowledgebase.searchday",
        "knowledgebase.articleviewday", "reports.reportrun", "reports.reportday", "reports.supportdaily",
        "reports.agentdaily", "reports.channeldaily", "reports.satisfactiondaily", "reports.aftersalesdaily",
        "reports.churnmonthly", "reports.knowledgedaily", "reports.articledaily", "reports.searchgapdaily",
        "reports.feedbackdaily", "reports.improvementdaily",
    ]),
]
INTERNAL_GROUP = "internal"
OTHER_GROUP = "other"


class HelpdeskAdminSite(admin.AdminSite):
    site_header = _("Helpdesk administration")
    site_title = _("Helpdesk admin")

    def get_app_list(self, request, app_label=None):
        """The index and the sidebar list the groups; an app's own page (/admin/<app_label>/) stays as it was."""
        if app_label is not None:
            return super().get_app_list(request, app_label)
        models = {}
        for app in self._build_app_dict(request).values():
            for model in app["models"]:
                models[model["model"]._meta.label_lower] = model
        groups = []
        for slug, name, labels in ADMIN_GROUPS:
            entries = [models.pop(label) for label in labels if label in models]
            if entries:
                groups.append(_group(slug, name, entries))
        if models:  # registered without a group: shown rather than lost
            leftovers = sorted(models.values(), key=lambda model: str(model["name"]).lower())
            groups.append(_group(OTHER_GROUP, _("Other"), leftovers))
        return groups


def _group(slug, name, models):
    """A group in the shape Django's templates expect of an app; it has no page of its own."""
    return {"name": capfirst(name), "app_label": slug, "app_url": "", "has_module_perms": True, "models": models}
