import copy

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from helpdesk.accounts.models import Organization, OrganizationStatusChange, User
from helpdesk.accounts.privacy_admin import export_customer_data, forget_customer, privacy_permission
from helpdesk.accounts.roles import Role, is_manager, role_names, set_roles
from helpdesk.accounts.services import AccountError, organization_create, organization_set_status
from helpdesk.admin_mixins import ReadOnlyAdminMixin
from helpdesk.forms import InputLimitsMixin

# Who may grant what in the user admin. An admin (superuser) may do anything. A manager may give the
# customer and agent roles to people who hold no more than those, and change their profile; they may
# not touch another manager or an admin, their own roles or status, anyone's permissions or password.
MANAGER_GRANTABLE_ROLES = [Role.CUSTOMER, Role.AGENT]
ADMIN_ONLY_FIELDS = ["password", "is_superuser", "is_staff", "groups", "user_permissions"]


class RolesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=Role.choices,
            widget=forms.CheckboxSelectMultiple,
            required=False,
            label=_("Roles"),
            help_text=_("Managers may also use this admin site. Tick “superuser” below for a full admin."),
            **kwargs,
        )


def limit_roles(form_class, request) -> None:
    """A manager is offered, and may post, only the roles they may grant.

    The field is replaced, not changed: the form class shares its declared fields with its base class.
    """
    field = form_class.base_fields.get("roles")
    if field is None or request.user.is_superuser:
        return
    limited = copy.deepcopy(field)
    limited.choices = [(value, label) for value, label in Role.choices if value in MANAGER_GRANTABLE_ROLES]
    limited.help_text = _("Only an admin can make someone a manager or an admin.")
    form_class.base_fields["roles"] = limited


def outranks(user, target) -> bool:
    """Whether ``user`` may change ``target``'s account in the admin."""
    if user.is_superuser:
        return True
    if target is None:
        return True
    if target.pk == user.pk:
        return False  # their own profile is on the profile page; their roles are for an admin to set
    return not (target.is_superuser or target.is_staff or is_manager(target))


class UserChangeWithRolesForm(InputLimitsMixin, UserChangeForm):
    roles = RolesField()

    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roles"].initial = sorted(role_names(self.instance))


class UserCreationWithRolesForm(InputLimitsMixin, AdminUserCreationForm):
    roles = RolesField(initial=[Role.CUSTOMER])

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email", "name")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeWithRolesForm
    add_form = UserCreationWithRolesForm
    ordering = ["email"]
    list_display = ["email", "name", "organization", "is_primary_contact", "role_list", "is_active", "last_login"]
    list_filter = ["groups", "is_active", "is_superuser", "is_primary_contact", "organization__tier"]
    search_fields = ["email", "name", "organization__name"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization"]
    readonly_fields = ["last_login", "date_joined", "email_verified_at"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["name", "locale", "timezone"]}),
        (_("Organisation"), {"fields": ["organization", "is_primary_contact"]}),
        (_("Access"), {"fields": ["roles", "is_active", "is_superuser", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined", "email_verified_at"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2", "roles"]}),
    ]
    filter_horizontal = ["user_permissions"]
    actions = [export_customer_data, forget_customer]  # data protection, admins only
    has_privacy_permission = privacy_permission

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    # Privilege boundaries: enforced here, on the server, for the page, its POST and the password form.

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [(name, {**options, "fields": [f for f in options["fields"] if f not in ADMIN_ONLY_FIELDS]})
                for name, options in fieldsets]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        limit_roles(form, request)
        return form

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and outranks(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and outranks(request.user, obj)

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            raise PermissionDenied  # a manager who could set a password could sign in as that person
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            roles = set(form.cleaned_data.get("roles") or [])
            target = obj if change else None
            if roles - set(MANAGER_GRANTABLE_ROLES) or obj.is_superuser or not outranks(request.user, target):
                raise PermissionDenied
        super().save_model(request, obj, form, change)

    @admin.display(description=_("roles"))
    def role_list(self, user):
        names = sorted(group.name for group in user.groups.all() if group.name in Role.values)
        if user.is_superuser:
            names.append("admin")
        return ", ".join(names) or "—"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if "roles" in form.cleaned_data:
            set_roles(form.instance, form.cleaned_data["roles"])


class MemberInline(admin.TabularInline):
    model = User
    fk_name = "organization"
    fields = ["email", "name", "is_primary_contact", "is_active"]
    readonly_fields = ["email", "name", "is_active"]
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = _("member")
    verbose_name_plural = _("members")

    def has_add_permission(self, request, obj=None):
        return False


class StatusChangeInline(admin.TabularInline):
    model = OrganizationStatusChange
    fields = ["effective_on", "from_status", "to_status", "reason", "note", "changed_by", "recorded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-recorded_at"]

    def has_add_permission(self, request, obj=None):
        return False


class OrganizationAdminForm(InputLimitsMixin, forms.ModelForm):
    status_note = forms.CharField(
        label=_("Note on the status change"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = Organization
        fields = ["name", "email_domain", "tier", "account_manager", "customer_since", "status", "churn_reason"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Organization.Status.CHURNED and not (cleaned.get("churn_reason") or "").strip():
            self.add_error("churn_reason", _("Give a reason when marking an organisation as churned."))
        return cleaned


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    form = OrganizationAdminForm
    list_display = ["name", "tier", "status", "account_manager", "member_count", "customer_since", "churned_at"]
    list_filter = ["tier", "status", "account_manager"]
    search_fields = ["name", "email_domain"]
    autocomplete_fields = ["account_manager"]
    readonly_fields = ["churned_at", "created_at"]
    inlines = [MemberInline, StatusChangeInline]
    fieldsets = [
        (None, {"fields": ["name", "email_domain", "tier", "account_manager", "customer_since"]}),
        (_("Lifecycle"), {"fields": ["status", "churn_reason", "status_note", "churned_at", "created_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("account_manager").annotate(member_count=Count("members"))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, organization):
        return organization.member_count

    def save_model(self, request, obj, form, change):
        """Status changes go through the service, so every one lands in the history."""
        if not change:
            data = {name: getattr(obj, name) for name in ["email_domain", "tier", "account_manager", "customer_since"]}
            created = organization_create(name=obj.name, by=request.user, **data)
            obj.pk = created.pk
            if form.cleaned_data["status"] == Organization.Status.CHURNED:
                self._change_status(request, created, form)
            obj.refresh_from_db()
            return
        new_status = form.cleaned_data["status"]
        previous = Organization.objects.get(pk=obj.pk)
        obj.status, obj.churn_reason, obj.churned_at = previous.status, previous.churn_reason, previous.churned_at
        obj.save()
        if new_status != previous.status:
            self._change_status(request, obj, form)
            obj.refresh_from_db()

    def _change_status(self, request, obj, form):
        try:
            organization_set_status(
                organization=obj,
                status=form.cleaned_data["status"],
                by=request.user,
                reason=form.cleaned_data.get("churn_reason", ""),
                note=form.cleaned_data.get("status_note", ""),
            )
        except AccountError as error:
            messages.error(request, str(error))


@admin.register(OrganizationStatusChange)
class OrganizationStatusChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["organization", "from_status", "to_status", "effective_on", "reason", "changed_by"]
    list_filter = ["to_status", "effective_on"]
    search_fields = ["organization__name", "reason", "note"]
    list_select_related = ["organization", "changed_by"]
    date_hierarchy = "effective_on"
