"""Every route x every role against one table.

A new route without an entry in ACCESS fails `test_every_route_is_in_the_table`, so no
page can be added without deciding who may see it.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask, url_for
from PIL import Image

from audit_app.extensions import db
from audit_app.models import Action, Organisation, OrganisationAccess, Person, User
from audit_app.services import (
    api_tokens,
    campaigns,
    evidence,
    evidence_files,
    questionnaire_admin,
    report_requests,
    respondents,
    sharing,
)
from audit_app.services import audits as audit_service
from audit_app.services import report_archive as archive
from audit_app.services.mail import optouts, password_reset
from audit_app.services.questionnaires import catalogue
from audit_app.services.register import (
    consents,
    csvparse,
    followups,
    importer,
    interactions,
    people,
    uploads,
)
from tests.conftest import csrf_token, login, make_user

ROLES = ("anonymous", "viewer", "outsider", "consultant", "admin")

# Who may do what; each kind lists the status per role (None: allowed, any answer but
# 401/403/404/5xx; "login": redirected to the login page).
KINDS: dict[str, dict[str, object]] = {
    "public": dict.fromkeys(ROLES),
    "user": {
        "anonymous": "login",
        "viewer": None,
        "outsider": None,
        "consultant": None,
        "admin": None,
    },
    "admin": {
        "anonymous": "login",
        "viewer": 403,
        "outsider": 403,
        "consultant": 403,
        "admin": None,
    },
    "editor": {
        "anonymous": "login",
        "viewer": 403,
        "outsider": None,
        "consultant": None,
        "admin": None,
    },
    "org_view": {
        "anonymous": "login",
        "viewer": None,
        "outsider": 404,
        "consultant": None,
        "admin": None,
    },
    "org_edit": {
        "anonymous": "login",
        "viewer": 403,
        "outsider": 404,
        "consultant": None,
        "admin": None,
    },
    "org_admin": {
        "anonymous": "login",
        "viewer": 403,
        "outsider": 404,
        "consultant": 403,
        "admin": None,
    },
    # Whoever created it (the consultant in the World) and administrators; anybody
    # else is told it does not exist (an import batch).
    "creator": {
        "anonymous": "login",
        "viewer": 404,
        "outsider": 404,
        "consultant": None,
        "admin": None,
    },
    # A CSV upload waiting for its import: editors only (403 for a viewer first), and
    # then only the user who uploaded it (the consultant); everybody else, the admin
    # included, gets 404 (uploads.load matches the token and the user).
    "uploader": {
        "anonymous": "login",
        "viewer": 403,
        "outsider": 404,
        "consultant": None,
        "admin": 404,
    },
    # A user's own API token (the consultant's in the World): 404 for anybody else,
    # the admin included (api_tokens.token_of matches the user).
    "token_owner": {
        "anonymous": "login",
        "viewer": 404,
        "outsider": 404,
        "consultant": None,
        "admin": 404,
    },
    # The JSON API takes bearer tokens only: a session (or none) is always a 401.
    "api": dict.fromkeys(ROLES, 401),
    # Paths and methods the API does not have: a JSON 404 (405 with Allow where another
    # method exists) for everybody, without asking for a token.
    "api_unknown": dict.fromkeys(ROLES, 404),
}


@dataclass(frozen=True)
class Rule:
    kind: str
    params: tuple[str, ...] = ()  # names of World attributes, in URL order
    query: str = ""


ACCESS: dict[tuple[str, str], Rule] = {
    ("static", "GET"): Rule("public", ("static_file",)),
    ("health.health", "GET"): Rule("public"),
    ("auth.setup", "GET"): Rule("public"),
    ("auth.setup", "POST"): Rule("public"),
    ("auth.login", "GET"): Rule("public"),
    ("auth.login", "POST"): Rule("public"),
    ("auth.language", "POST"): Rule("public"),
    ("auth.logout", "POST"): Rule("user"),
    ("password.forgot", "GET"): Rule("public"),
    ("password.forgot", "POST"): Rule("public"),
    ("password.reset", "GET"): Rule("public", ("reset_token",)),
    ("password.reset", "POST"): Rule("public", ("reset_token",)),
    ("mail.unsubscribe", "GET"): Rule("public", ("unsubscribe_token",)),
    ("mail.unsubscribe_post", "POST"): Rule("public", ("unsubscribe_token",)),
    ("main.dashboard", "GET"): Rule("user"),
    ("admin.users", "GET"): Rule("admin"),
    ("admin.create_user", "GET"): Rule("admin"),
    ("admin.create_user", "POST"): Rule("admin"),
    ("admin.edit_user", "GET"): Rule("admin", ("user_id",)),
    ("admin.edit_user", "POST"): Rule("admin", ("user_id",)),
    ("admin.end_sessions", "POST"): Rule("admin", ("user_id",)),
    ("organisations.index", "GET"): Rule("user"),
    ("organisations.create", "GET"): Rule("editor"),
    ("organisations.create", "POST"): Rule("editor"),
    ("organisations.show", "GET"): Rule("org_view", ("organisation_id",)),
    ("organisations.edit", "GET"): Rule("org_edit", ("organisation_id",)),
    ("organisations.edit", "POST"): Rule("org_edit", ("organisation_id",)),
    ("audits.start", "GET"): Rule("org_edit", ("organisation_id",)),
    ("audits.start", "POST"): Rule("org_edit", ("organisation_id",)),
    ("audits.answer", "GET"): Rule("org_view", ("open_audit_id",)),
    ("audits.save_section", "POST"): Rule("org_edit", ("open_audit_id",)),
    ("audits.save", "POST"): Rule("org_edit", ("open_audit_id", "question_id")),
    ("audits.review", "GET"): Rule("org_view", ("open_audit_id",)),
    ("audits.submit", "POST"): Rule("org_edit", ("open_audit_id",)),
    ("audits.reopen", "POST"): Rule("org_admin", ("submitted_audit_id",)),
    # Deletion: organisations by administrators, an audit in progress also by the
    # consultant who started it (own records, so the other checks keep theirs); the
    # "Deleted items" page and restoring (of an organisation deleted in the World) are
    # for administrators.
    ("deletion.delete_audit", "GET"): Rule("org_edit", ("deletable_audit_id",)),
    ("deletion.delete_audit", "POST"): Rule("org_edit", ("deletable_audit_id",)),
    ("deletion.delete_organisation", "GET"): Rule("org_admin", ("deletable_organisation_id",)),
    ("deletion.delete_organisation", "POST"): Rule("org_admin", ("deletable_organisation_id",)),
    ("deletion.deleted_items", "GET"): Rule("admin"),
    ("deletion.restore", "GET"): Rule("admin", ("deleted_kind", "deleted_organisation_id")),
    ("deletion.restore", "POST"): Rule("admin", ("deleted_kind", "deleted_organisation_id")),
    ("results.show", "GET"): Rule("org_view", ("submitted_audit_id",)),
    ("results.create_action", "GET"): Rule("org_edit", ("submitted_audit_id",)),
    ("results.create_action", "POST"): Rule("org_edit", ("submitted_audit_id",)),
    ("results.update_action", "GET"): Rule("org_edit", ("action_id",)),
    ("results.update_action", "POST"): Rule("org_edit", ("action_id",)),
    ("results.history", "GET"): Rule("org_view", ("organisation_id",)),
    ("results.compare", "GET"): Rule("org_view", ("organisation_id",), "compare_query"),
    # Several respondents: the consultant's pages, and the public pages behind a link.
    ("respondents.index", "GET"): Rule("org_view", ("open_audit_id",)),
    ("respondents.remind", "GET"): Rule("org_edit", ("open_audit_id", "respondent_id")),
    ("respondents.exclude_form", "GET"): Rule("org_edit", ("open_audit_id", "respondent_id")),
    ("respondents.invite", "POST"): Rule("org_edit", ("open_audit_id",)),
    ("respondents.create_link", "POST"): Rule("org_edit", ("open_audit_id",)),
    ("respondents.consultant_role", "POST"): Rule("org_edit", ("open_audit_id",)),
    ("respondents.close", "POST"): Rule("org_edit", ("open_audit_id",)),
    ("respondents.reopen", "POST"): Rule("org_edit", ("open_audit_id",)),
    ("respondents.exclude", "POST"): Rule("org_edit", ("open_audit_id", "respondent_id")),
    ("respondents.include", "POST"): Rule("org_edit", ("open_audit_id", "respondent_id")),
    ("respondents.revoke", "GET"): Rule("org_edit", ("open_audit_id", "respondent_id")),
    ("respondents.revoke", "POST"): Rule("org_edit", ("open_audit_id", "respondent_id")),
    ("respondents.revoke_link", "GET"): Rule("org_edit", ("open_audit_id", "link_id")),
    ("respondents.revoke_link", "POST"): Rule("org_edit", ("open_audit_id", "link_id")),
    ("respondent_mail.send_reminder", "POST"): Rule("org_edit", ("open_audit_id", "respondent_id")),
    ("respondent_mail.reminder_days", "POST"): Rule("org_edit", ("open_audit_id",)),
    ("respond.show", "GET"): Rule("public", ("respondent_token",)),
    ("respond.done", "GET"): Rule("public", ("respondent_token",)),
    ("respond.save_section", "POST"): Rule("public", ("respondent_token",)),
    ("respond.save", "POST"): Rule("public", ("respondent_token", "question_id")),
    ("respond.start", "POST"): Rule("public", ("link_token",)),
    # PDF reports: the archive for viewers, issuing and sharing for editors, and the
    # read-only share link for anyone holding it.
    ("reports.index", "GET"): Rule("org_view", ("submitted_audit_id",)),
    ("reports.download", "GET"): Rule("org_view", ("report_id",)),
    ("reports.issue", "POST"): Rule("org_edit", ("submitted_audit_id",)),
    ("reports.share", "POST"): Rule("org_edit", ("report_id",)),
    ("reports.revoke", "POST"): Rule("org_edit", ("share_link_id",)),
    ("reports.progress", "GET"): Rule("org_view", ("report_request_id",)),
    ("reports.progress_status", "GET"): Rule("org_view", ("report_request_id",)),
    ("share.show", "GET"): Rule("public", ("share_token",)),
    ("share.pdf", "GET"): Rule("public", ("share_token",)),
    # The contact register. Lists, search and exports are open to every user and show
    # what the user may see. A person is visible through a membership in a visible
    # organisation (or to whoever created them); interactions and follow-ups through a
    # visible organisation or person: so the org_* kinds apply to them too (viewers
    # read, never change; outsiders get 404). Adding records needs an editor.
    ("register.people_index", "GET"): Rule("user"),
    ("register.organisations_index", "GET"): Rule("user"),
    ("register.interactions_index", "GET"): Rule("user"),
    ("register.followups_index", "GET"): Rule("user"),
    ("register.duplicates_index", "GET"): Rule("user"),
    ("register.organisation_suggestions", "GET"): Rule("user", (), "suggestion_query"),
    ("register.export_csv", "GET"): Rule("user", ("export_kind",)),
    ("register.person_new", "GET"): Rule("editor"),
    ("register.person_new", "POST"): Rule("editor"),
    ("register.person_show", "GET"): Rule("org_view", ("person_id",)),
    ("register.person_edit", "GET"): Rule("org_edit", ("person_id",)),
    ("register.person_edit", "POST"): Rule("org_edit", ("person_id",)),
    ("register.person_data", "GET"): Rule("org_view", ("person_id",)),
    ("register.person_data_json", "GET"): Rule("org_view", ("person_id",)),
    ("register.person_erase", "GET"): Rule("org_edit", ("erase_person_id",)),
    ("register.person_erase", "POST"): Rule("org_edit", ("erase_person_id",)),
    ("register.membership_add", "POST"): Rule("org_edit", ("person_id",)),
    ("register.membership_end", "POST"): Rule("org_edit", ("membership_id",)),
    ("register.consent_add", "POST"): Rule("org_edit", ("person_id",)),
    ("register.organisation_profile", "GET"): Rule("org_edit", ("organisation_id",)),
    ("register.organisation_profile", "POST"): Rule("org_edit", ("organisation_id",)),
    ("register.organisation_timeline", "GET"): Rule("org_view", ("organisation_id",)),
    ("register.interaction_new", "GET"): Rule("editor"),
    ("register.interaction_new", "POST"): Rule("editor"),
    ("register.interaction_show", "GET"): Rule("org_view", ("interaction_id",)),
    # The edit form itself is refused to viewers (not only saving it).
    ("register.interaction_edit", "GET"): Rule("org_edit", ("interaction_id",)),
    ("register.interaction_edit", "POST"): Rule("org_edit", ("interaction_id",)),
    ("register.followup_new", "GET"): Rule("editor"),
    ("register.followup_new", "POST"): Rule("editor"),
    # Viewers see the follow-up's form read-only; saving it is refused.
    ("register.followup_edit", "GET"): Rule("org_view", ("followup_id",)),
    ("register.followup_edit", "POST"): Rule("org_edit", ("followup_id",)),
    ("register.followup_status", "POST"): Rule("org_edit", ("followup_id",)),
    # Merging needs an editor who may change both records (the drop side is deleted).
    ("register.merge_people", "GET"): Rule("org_edit", (), "merge_people_query"),
    ("register.merge_people", "POST"): Rule("org_edit", (), "merge_people_query"),
    ("register.merge_organisations", "GET"): Rule("org_edit", (), "merge_organisations_query"),
    ("register.merge_organisations", "POST"): Rule("org_edit", (), "merge_organisations_query"),
    # CSV import: uploading is for editors; an upload is private to its uploader; a
    # batch (its report) belongs to whoever ran it and administrators, and reverting
    # also needs an editor (a viewer gets 403 before the batch is looked up).
    ("register.import_upload", "GET"): Rule("editor"),
    ("register.import_upload", "POST"): Rule("editor"),
    ("register.import_mapping", "GET"): Rule("uploader", ("upload_token",)),
    ("register.import_mapping", "POST"): Rule("uploader", ("upload_token",)),
    ("register.import_batches", "GET"): Rule("user"),
    ("register.import_batch", "GET"): Rule("creator", ("import_batch_id",)),
    ("register.import_revert", "GET"): Rule("org_edit", ("import_batch_id",)),
    ("register.import_revert", "POST"): Rule("org_edit", ("import_batch_id",)),
    # API tokens: every user manages their own.
    ("tokens.index", "GET"): Rule("user"),
    ("tokens.create", "POST"): Rule("user"),
    ("tokens.api_reference", "GET"): Rule("user"),
    ("tokens.revoke", "POST"): Rule("token_owner", ("api_token_id",)),
    # The JSON API: bearer tokens only (the web session is ignored), but the OpenAPI
    # document, which is public, and the JSON 404 of unknown paths.
    ("api.openapi", "GET"): Rule("public"),
    ("api.unknown", "GET"): Rule("api_unknown"),
    ("api.unknown", "POST"): Rule("api_unknown"),
    ("api.unknown", "PUT"): Rule("api_unknown"),
    ("api.unknown", "PATCH"): Rule("api_unknown"),
    ("api.unknown", "DELETE"): Rule("api_unknown"),
    ("api.list_questionnaires", "GET"): Rule("api"),
    ("api.get_questionnaire", "GET"): Rule("api", ("questionnaire_id",)),
    ("api.list_organisations", "GET"): Rule("api"),
    ("api.create_organisation", "POST"): Rule("api"),
    ("api.get_organisation", "GET"): Rule("api", ("organisation_id",)),
    ("api.organisation_audits", "GET"): Rule("api", ("organisation_id",)),
    ("api.start_audit", "POST"): Rule("api", ("organisation_id",)),
    ("api.get_audit", "GET"): Rule("api", ("open_audit_id",)),
    ("api.save_answer", "PUT"): Rule("api", ("open_audit_id", "question_id")),
    ("api.submit_audit", "POST"): Rule("api", ("open_audit_id",)),
    ("api.audit_results", "GET"): Rule("api", ("submitted_audit_id",)),
    ("api.audit_benchmark", "GET"): Rule("api", ("submitted_audit_id",)),
    ("api.request_report", "POST"): Rule("api", ("submitted_audit_id",)),
    ("api.report_status", "GET"): Rule("api", ("report_request_id",)),
    ("api.report_pdf", "GET"): Rule("api", ("report_request_id",)),
    ("api.list_people", "GET"): Rule("api"),
    ("api.list_interactions", "GET"): Rule("api"),
    ("api.list_campaigns", "GET"): Rule("api"),
    ("api.get_campaign", "GET"): Rule("api", ("campaign_id",)),
    ("api.add_campaign_member", "POST"): Rule("api", ("campaign_id",)),
    ("api.remove_campaign_member", "DELETE"): Rule("api", ("campaign_id", "organisation_id")),
    # Campaigns: any editor creates one; its pages are for its organiser (the World's
    # consultant) and administrators, 404 for everybody else (even the member's viewer).
    # A member's own people see the terms (viewers) and choose to share (editors).
    ("campaigns.index", "GET"): Rule("user"),
    ("campaigns.create", "GET"): Rule("editor"),
    ("campaigns.create", "POST"): Rule("editor"),
    ("campaigns.show", "GET"): Rule("creator", ("campaign_id",)),
    ("campaigns.edit", "GET"): Rule("creator", ("campaign_id",)),
    ("campaigns.edit", "POST"): Rule("creator", ("campaign_id",)),
    ("campaigns.results", "GET"): Rule("creator", ("campaign_id",)),
    ("campaigns.add_member", "POST"): Rule("creator", ("campaign_id",)),
    ("campaigns.import_members", "GET"): Rule("creator", ("campaign_id",)),
    ("campaigns.import_members", "POST"): Rule("creator", ("campaign_id",)),
    ("campaigns.report", "GET"): Rule("creator", ("campaign_id",)),
    ("campaigns.export", "GET"): Rule("creator", ("campaign_id", "campaign_export_kind")),
    ("campaigns.membership", "GET"): Rule("org_view", ("campaign_member_id",)),
    ("campaigns.membership", "POST"): Rule("org_edit", ("campaign_member_id",)),
    # Removing a member (it runs after the membership's checks: the table is sorted) and
    # reminding the members, for the organiser and administrators only.
    ("campaigns.remove_member", "GET"): Rule("creator", ("campaign_id", "campaign_member_id")),
    ("campaigns.remove_member", "POST"): Rule("creator", ("campaign_id", "campaign_member_id")),
    ("campaigns.reminders", "GET"): Rule("creator", ("campaign_id",)),
    ("campaigns.reminders", "POST"): Rule("creator", ("campaign_id",)),
    ("evidence.link", "POST"): Rule("org_edit", ("open_audit_id",)),
    ("evidence.unlink", "POST"): Rule("org_edit", ("open_audit_id", "evidence_link_id")),
    # Evidence files: downloads for whoever sees the audit, changes for its editors; a
    # respondent's own files behind their token.
    ("evidence_files.upload", "POST"): Rule("org_edit", ("open_audit_id",)),
    ("evidence_files.download_file", "GET"): Rule(
        "org_view", ("open_audit_id", "evidence_file_id")
    ),
    ("evidence_files.remove", "POST"): Rule("org_edit", ("open_audit_id", "evidence_file_id")),
    ("respond.upload_file", "POST"): Rule("public", ("respondent_token",)),
    ("respond.download_file", "GET"): Rule("public", ("respondent_token", "respondent_file_id")),
    ("respond.remove_file", "POST"): Rule("public", ("respondent_token", "respondent_file_id")),
    # Workshop files of an audit: downloads for viewers, reading answers in for editors.
    ("audit_files.index", "GET"): Rule("org_view", ("open_audit_id",)),
    ("audit_files.workbook", "GET"): Rule("org_view", ("open_audit_id",)),
    ("audit_files.paper", "GET"): Rule("org_view", ("open_audit_id",)),
    ("audit_files.export", "GET"): Rule("org_view", ("open_audit_id",)),
    ("audit_files.import_workbook", "POST"): Rule("org_edit", ("open_audit_id",)),
    # Questionnaires in the browser: administrators only. Withdrawing and offering an
    # unknown id, and publishing a draft whose version is not higher, change nothing
    # (the catalogue outlives this test).
    ("questionnaire_admin.index", "GET"): Rule("admin"),
    ("questionnaire_admin.upload", "POST"): Rule("admin"),
    ("questionnaire_admin.draft", "GET"): Rule("admin", ("draft_digest",)),
    ("questionnaire_admin.publish", "POST"): Rule("admin", ("draft_digest",)),
    ("questionnaire_admin.preview", "GET"): Rule("admin", ("draft_digest",)),
    ("questionnaire_admin.preview_section", "POST"): Rule("admin", ("draft_digest",)),
    ("questionnaire_admin.preview_answer", "POST"): Rule("admin", ("draft_digest", "question_id")),
    ("questionnaire_admin.withdraw", "POST"): Rule("admin", ("unknown_questionnaire_id",)),
    ("questionnaire_admin.offer", "POST"): Rule("admin", ("unknown_questionnaire_id",)),
}


@dataclass
class World:
    organisation_id: int
    open_audit_id: int
    submitted_audit_id: int
    earlier_audit_id: int
    action_id: int
    user_id: int
    respondent_id: int
    respondent_token: str
    link_id: int
    link_token: str
    report_id: int
    share_link_id: int
    share_token: str
    # The contact register: all made by the consultant, the people as members of the
    # shared organisation (so the viewer sees them and the outsider does not).
    second_organisation_id: int
    person_id: int
    erase_person_id: int  # its own person: erasing must not change other checks
    merge_person_ids: tuple[int, int]  # two more: merging deletes the second
    membership_id: int
    interaction_id: int
    followup_id: int
    consent_id: int
    import_batch_id: int
    upload_token: str
    api_token_id: int
    report_request_id: int
    evidence_link_id: int  # an interaction linked to the open audit as evidence
    reset_token: str  # the viewer's password reset link
    unsubscribe_token: str
    evidence_file_id: int  # a file attached to the open audit by the consultant
    respondent_file_id: int  # a file attached by the World's respondent
    draft_digest: str  # an uploaded questionnaire (library-crm-audit, same version)
    campaign_id: int  # organised by the consultant, the World's organisation a member
    campaign_member_id: int
    deletable_organisation_id: int  # shared like the first, with an audit to delete
    deletable_audit_id: int  # in progress, started by the consultant
    deleted_organisation_id: int  # deleted by the administrator, to restore
    campaign_export_kind: str = "json"
    deleted_kind: str = "organisations"
    unknown_questionnaire_id: str = "no-such-questionnaire"
    question_id: str = "q01_identify_users"
    questionnaire_id: str = "library-crm-audit"
    static_file: str = "app.css"
    export_kind: str = "people"

    @property
    def compare_query(self) -> str:
        return f"a={self.earlier_audit_id}&b={self.submitted_audit_id}"

    @property
    def merge_people_query(self) -> str:
        a, b = self.merge_person_ids
        return f"a={a}&b={b}"

    @property
    def merge_organisations_query(self) -> str:
        # The World's organisation is kept (an empty form keeps side a), the second goes.
        return f"a={self.organisation_id}&b={self.second_organisation_id}"

    @property
    def suggestion_query(self) -> str:
        return "q=Biblioteka"


IMPORT_CSV = (
    "Imię;Nazwisko;E-mail;Stanowisko\n"
    "Jan;Importowany;jan.importowany@example.org;Kierownik\n"
    "Ewa;Zaimportowana;ewa.zaimportowana@example.org;Bibliotekarka\n"
).encode()


def _register_world(
    consultant: User, organisation: Organisation, second: Organisation
) -> dict[str, object]:
    """The register's records, made through its services as the consultant would."""

    def person(first: str, last: str) -> int:
        data = people.PersonInput(
            first_name=first,
            last_name=last,
            emails=[people.ContactValue(f"{first}.{last}@example.org".lower())],
        )
        return people.create(consultant, data, organisation=organisation, role="Dyrektor").id

    person_id = person("Anna", "Kowalska")
    member = db.session.get(Person, person_id)
    assert member is not None
    interaction = interactions.log(
        consultant,
        interactions.InteractionInput(
            occurred_at=datetime.now(UTC) - timedelta(days=3),
            channel="phone",
            subject="Audit follow-up",
            organisation_id=organisation.id,
            participant_ids=[person_id],
        ),
    )
    followup = followups.create(
        consultant,
        followups.FollowupInput(
            title="Send the report",
            due_on=date.today() + timedelta(days=3),
            assignee_id=consultant.id,
            organisation_id=organisation.id,
            person_id=person_id,
            interaction_id=interaction.id,
        ),
    )
    consent = consents.record(
        consultant,
        member,
        consents.ConsentInput(
            purpose="newsletter", lawful_basis="consent", source="email", status="granted"
        ),
    )
    parsed = csvparse.parse(IMPORT_CSV)
    result = importer.run_import(
        consultant,
        parsed,
        csvparse.auto_map(parsed.headers, "people"),
        "people",
        "upsert",
        filename="people.csv",
    )
    assert result.batch_id is not None and result.counts.get("created") == 2, result.counts
    upload, _parsed = uploads.store(consultant, IMPORT_CSV, "people.csv")
    token, _secret = api_tokens.create(consultant, "Power BI")
    return {
        "second_organisation_id": second.id,
        "person_id": person_id,
        "erase_person_id": person("Piotr", "Usuwany"),
        "merge_person_ids": (person("Marta", "Nowak"), person("Marta", "Nowakowa")),
        "membership_id": member.memberships[0].id,
        "interaction_id": interaction.id,
        "followup_id": followup.id,
        "consent_id": consent.id,
        "import_batch_id": result.batch_id,
        "upload_token": upload.token,
        "api_token_id": token.id,
    }


def build_world(app: Flask) -> World:
    admin_id = make_user(app, "admin@example.org", "admin")
    consultant_id = make_user(app, "consultant@example.org", "consultant")
    viewer_id = make_user(app, "viewer@example.org", "viewer")
    make_user(app, "outsider@example.org", "consultant")
    with app.app_context():
        organisation = Organisation(
            name="Biblioteka Testowa", type="library", created_by_id=admin_id
        )
        # A second organisation shared the same way, to merge into the first.
        second = Organisation(name="Biblioteka Druga", type="library", created_by_id=admin_id)
        deletable = Organisation(name="Biblioteka Trzecia", type="library", created_by_id=admin_id)
        deleted = Organisation(
            name="Biblioteka Usunięta",
            type="library",
            created_by_id=admin_id,
            deleted_at=datetime.now(UTC),
            deleted_by_id=admin_id,
        )
        db.session.add_all([organisation, second, deletable, deleted])
        db.session.flush()
        for shared in (organisation, second, deletable, deleted):
            for user_id in (consultant_id, viewer_id):
                db.session.add(OrganisationAccess(organisation_id=shared.id, user_id=user_id))
        library = catalogue().get("library-crm-audit")
        consultant = db.session.get(User, consultant_id)
        submitted = []
        for level in ("1", "3"):
            audit = audit_service.start_audit(organisation, library, consultant)
            for question in library.questions:
                audit_service.save_answer(audit, question.id, value=level, user=consultant)
            audit_service.submit(audit, consultant)
            submitted.append(audit)
        open_audit = audit_service.start_audit(organisation, library, consultant)
        deletable_audit = audit_service.start_audit(deletable, library, consultant)
        action = Action(audit_id=submitted[1].id, recommendation_id="x", title="Do it")
        db.session.add(action)
        respondent = respondents.invite(open_audit, role="frontline_staff", user=consultant)
        link = respondents.create_link(open_audit, role="leadership", user=consultant)
        report = archive.issue(submitted[1], "brief", "en", user=consultant)
        share_link, share_token = sharing.create_link(report, 7, consultant)
        report_request = report_requests.create(submitted[1], consultant, design="brief", lang="en")
        register = _register_world(consultant, organisation, second)
        evidence_link = evidence.link(
            open_audit, "q01_identify_users", register["interaction_id"], consultant
        )
        png = io.BytesIO()
        Image.new("RGB", (2, 2)).save(png, format="PNG")
        own_file = evidence_files.attach(
            open_audit, "q01_identify_users", "a.png", png.getvalue(), user=consultant
        )
        respondent_file = evidence_files.attach(
            open_audit, "q01_identify_users", "b.png", png.getvalue(), respondent=respondent
        )
        shipped = app.config["SHIPPED_QUESTIONNAIRES_DIR"] / "library-crm-audit.yaml"
        draft = questionnaire_admin.upload(shipped.read_bytes() + b"\n# a draft\n", "q.yaml")
        campaign = campaigns.create(
            consultant,
            campaigns.CampaignInput(
                "Sieć bibliotek", "library-crm-audit", date.today(), date.today()
            ),
        )
        member = campaigns.add_member(consultant, campaign, organisation)
        db.session.commit()
        return World(
            organisation_id=organisation.id,
            open_audit_id=open_audit.id,
            submitted_audit_id=submitted[1].id,
            earlier_audit_id=submitted[0].id,
            action_id=action.id,
            user_id=viewer_id,
            respondent_id=respondent.id,
            respondent_token=respondents.token_for(respondent),
            link_id=link.id,
            link_token=respondents.token_for(link),
            report_id=report.id,
            share_link_id=share_link.id,
            share_token=share_token,
            report_request_id=report_request.id,
            evidence_link_id=evidence_link.id,
            reset_token=password_reset.token_for(db.session.get(User, viewer_id)),
            unsubscribe_token=optouts.token_for("someone@example.org"),
            evidence_file_id=own_file.id,
            respondent_file_id=respondent_file.id,
            draft_digest=draft,
            campaign_id=campaign.id,
            campaign_member_id=member.id,
            deletable_organisation_id=deletable.id,
            deletable_audit_id=deletable_audit.id,
            deleted_organisation_id=deleted.id,
            **register,  # type: ignore[arg-type]
        )


def url_for_rule(app: Flask, endpoint: str, rule: Rule, world: World) -> str:
    """The URL of `endpoint` with its arguments, in order, taken from the world."""
    flask_rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    names = re.findall(r"<(?:\w+:)?(\w+)>", flask_rule.rule)
    values = {name: getattr(world, param) for name, param in zip(names, rule.params, strict=True)}
    with app.test_request_context():
        url = url_for(endpoint, **values)
    return f"{url}?{getattr(world, rule.query)}" if rule.query else url


def test_every_route_is_in_the_table(app):
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    missing = sorted(routes - set(ACCESS))
    assert missing == [], f"routes without an access rule: {missing}"
    stale = sorted(set(ACCESS) - routes)
    assert stale == [], f"access rules for routes that no longer exist: {stale}"


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_the_table_says(app, clean_db, role):
    world = build_world(app)
    client = app.test_client()
    if role != "anonymous":
        login(client, f"{role}@example.org")
    token = csrf_token(client.get("/login" if role == "anonymous" else "/").text)
    wrong = []
    for (endpoint, method), rule in sorted(ACCESS.items()):
        url = url_for_rule(app, endpoint, rule, world)
        if method == "GET":
            response = client.get(url)
        else:  # POST, and PUT, PATCH, DELETE (the API) with their own method
            response = client.open(
                url, method=method, data={"csrf_token": token}, headers={"X-CSRFToken": token}
            )
        expected = KINDS[rule.kind][role]
        if expected == "login":
            ok = response.status_code == 302 and "/login" in response.headers["Location"]
        elif expected is None:
            ok = response.status_code not in (401, 403, 404) and response.status_code < 500
        else:
            ok = response.status_code == expected
        response.close()
        if not ok:
            wrong.append(
                f"{method} {url} ({endpoint}): {response.status_code}, expected {expected}"
            )
        if endpoint == "auth.logout" and role != "anonymous":
            login(client, f"{role}@example.org")
            token = csrf_token(client.get("/").text)
    assert wrong == []
