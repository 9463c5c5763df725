"""Django admin for operators: find workspaces, people and records; fix what users cannot."""

from typing import Any

from django import forms
from django.contrib import admin

from upward.planning.name import name_key
from upward.web.workspace import models
from upward.web.workspace.forms.accounts import ThrottledAdminAuthenticationForm

# The admin's sign-in counts failures and locks exactly like the site's (see throttle).
admin.site.login_form = ThrottledAdminAuthenticationForm


class UniqueNameForm(forms.ModelForm):
    """The name rule of the pages (``name_key``) for records edited here, so a clash is a
    field error rather than the database's refusal."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        name, workspace = cleaned.get("name"), cleaned.get("workspace")
        if name and workspace:
            same = type(self.instance)._default_manager.filter(
                workspace=workspace, name_key=name_key(name)
            )
            if same.exclude(pk=self.instance.pk).exists():
                self.add_error("name", "Another record of this workspace already has this name.")
        return cleaned


class MembershipInline(admin.TabularInline):
    model = models.Membership
    extra = 0
    raw_id_fields = ("user",)
    readonly_fields = ("joined_at", "version")


@admin.register(models.Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "geoids", "created_at", "created_by")
    search_fields = ("name", "slug")
    readonly_fields = ("created_at", "updated_at", "version")
    inlines = [MembershipInline]


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("workspace", "user", "role", "joined_at")
    list_filter = ("role",)
    search_fields = ("workspace__name", "user__username", "user__email")
    raw_id_fields = ("user", "workspace")


@admin.register(models.Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = (
        "workspace",
        "role",
        "note",
        "created_at",
        "expires_at",
        "accepted_by",
        "revoked_at",
    )
    list_filter = ("role",)
    search_fields = ("workspace__name", "note")
    readonly_fields = ("nonce", "created_at", "accepted_at", "accepted_by")


@admin.register(models.Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("at", "workspace", "actor_name", "verb", "target")
    list_filter = ("verb",)
    search_fields = ("workspace__name", "actor_name", "target")
    date_hierarchy = "at"

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # the log is a record; operators read it but do not rewrite it


class StepAnswerInline(admin.TabularInline):
    model = models.StepAnswer
    extra = 0


@admin.register(models.Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("workspace", "number", "title", "created_at", "created_by")
    search_fields = ("workspace__name", "title")


@admin.register(models.ConditionAnswer)
class ConditionAnswerAdmin(admin.ModelAdmin):
    list_display = ("assessment", "condition_id", "version", "updated_at")
    inlines = [StepAnswerInline]


@admin.register(models.PreparednessTask)
class PreparednessTaskAdmin(admin.ModelAdmin):
    list_display = ("assessment", "step_id", "owner", "due_date", "status")
    list_filter = ("status",)


@admin.register(models.Stakeholder)
class StakeholderAdmin(admin.ModelAdmin):
    form = UniqueNameForm
    list_display = ("name", "workspace", "sector", "relationship", "role", "invitation_status")
    list_filter = ("sector", "role", "invitation_status", "relationship")
    search_fields = ("name", "organization", "email", "workspace__name")


@admin.register(models.CoalitionStructure)
class CoalitionStructureAdmin(admin.ModelAdmin):
    list_display = ("workspace", "backbone", "advisory_cadence")
    raw_id_fields = ("backbone",)
    filter_horizontal = ("advisory_members",)


@admin.register(models.Workgroup)
class WorkgroupAdmin(admin.ModelAdmin):
    form = UniqueNameForm
    list_display = ("name", "workspace", "focus_pillar", "focus_predictor", "lead", "cadence")
    search_fields = ("name", "workspace__name")
    raw_id_fields = ("lead",)
    filter_horizontal = ("members",)


@admin.register(models.PeerSet)
class PeerSetAdmin(admin.ModelAdmin):
    form = UniqueNameForm
    list_display = ("name", "workspace", "place", "geoids")
    search_fields = ("name", "workspace__name")


@admin.register(models.GuideNote)
class GuideNoteAdmin(admin.ModelAdmin):
    list_display = ("workspace", "geoid", "question_id", "updated_at")
    list_filter = ("question_id",)
    search_fields = ("workspace__name", "geoid", "text")
    readonly_fields = ("version", "updated_by", "created_at", "updated_at")


@admin.register(models.LoginAttempt)
class LoginAttemptAdmin(admin.ModelAdmin):
    list_display = ("username", "ip", "failures", "first_failure_at", "locked_until")
    search_fields = ("username", "ip")


@admin.register(models.FormSubmission)
class FormSubmissionAdmin(admin.ModelAdmin):
    list_display = ("user", "url", "created_at")
    search_fields = ("user__username", "url")
    raw_id_fields = ("user",)
