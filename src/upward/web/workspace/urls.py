"""Workspace routes, mounted at /w/. Everything about one workspace is under /w/<slug>/."""

from django.urls import path

from upward.web.knowledge.urls import workspace_patterns as knowledge_patterns
from upward.web.measurement.urls import workspace_patterns as measurement_patterns
from upward.web.networks.urls import workspace_patterns as network_patterns
from upward.web.strategy.urls import workspace_patterns as strategy_patterns
from upward.web.workspace.views import (
    coalition,
    guide_notes,
    members,
    peers,
    readiness,
    stakeholders,
    workspaces,
)

app_name = "workspace"

W = "<slug:slug>/"

urlpatterns = [
    path("", workspaces.workspace_list, name="list"),
    path("new/", workspaces.workspace_create, name="create"),
    path(W, workspaces.workspace_home, name="home"),
    path(W + "settings/", workspaces.workspace_settings, name="settings"),
    path(W + "activity/", workspaces.activity_log, name="activity"),
    # members and invitations
    path(W + "members/", members.members, name="members"),
    path(W + "members/invite/", members.invite, name="invite"),
    path(W + "members/<int:pk>/role/", members.change_role, name="member_role"),
    path(W + "members/<int:pk>/remove/", members.remove_member, name="member_remove"),
    path(W + "invitations/<int:pk>/revoke/", members.revoke_invitation, name="invitation_revoke"),
    # readiness (guide Step 3)
    path(W + "readiness/", readiness.assessment_list, name="readiness"),
    path(W + "readiness/compare/", readiness.compare, name="readiness_compare"),
    path(W + "readiness/<int:number>/", readiness.assessment_detail, name="assessment"),
    path(W + "readiness/<int:number>/plan/", readiness.plan, name="plan"),
    path(W + "readiness/<int:number>/plan/<int:pk>/", readiness.task_edit, name="task_edit"),
    path(
        W + "readiness/<int:number>/conditions/<slug:condition_id>/",
        readiness.condition_edit,
        name="condition_edit",
    ),
    # stakeholders (guide Step 4)
    path(W + "stakeholders/", stakeholders.stakeholder_list, name="stakeholders"),
    path(W + "stakeholders/import/", stakeholders.stakeholder_import, name="stakeholder_import"),
    path(W + "stakeholders/export.csv", stakeholders.stakeholder_export, name="stakeholder_export"),
    path(W + "stakeholders/coverage/", stakeholders.coverage, name="coverage"),
    path(W + "stakeholders/invitations/", stakeholders.invitations, name="invitation_list"),
    *stakeholders.PAGES.urls(W + "stakeholders/"),
    path(W + "stakeholders/<int:pk>/invited/", stakeholders.mark_invited, name="mark_invited"),
    # coalition structure
    path(W + "coalition/", coalition.coalition, name="coalition"),
    path(W + "coalition/structure/", coalition.structure_edit, name="structure_edit"),
    *coalition.WORKGROUPS.urls(W + "coalition/workgroups/"),
    # Data Review Guide notes (saved from the explorer's guide page)
    path(W + "guide-notes/", guide_notes.guide_note_list, name="guide_notes"),
    path(W + "guide-notes/<geoid>/", guide_notes.guide_note_save, name="guide_note_save"),
    # readiness: every condition on one page
    path(W + "readiness/<int:number>/all/", readiness.answer_all, name="assessment_all"),
    # peer sets
    path(W + "peers/", peers.peer_sets, name="peers"),
    path(W + "peers/save/", peers.peer_set_save, name="peer_set_save"),
    *peers.PAGES.urls(W + "peers/"),
    # local knowledge (guide Steps 5 and 6): upward.web.knowledge
    *knowledge_patterns,
    # strategy (guide Step 7): upward.web.strategy
    *strategy_patterns,
    # measurement and the plan (guide Steps 8 to 10): upward.web.measurement
    *measurement_patterns,
    *network_patterns,
]
