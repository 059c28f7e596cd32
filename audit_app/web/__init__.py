"""Web blueprints, one per feature."""

from __future__ import annotations

from flask import Blueprint


def blueprints() -> list[Blueprint]:
    from audit_app.web.admin.views import bp as admin
    from audit_app.web.api.views import bp as api
    from audit_app.web.audit_files.views import bp as audit_files
    from audit_app.web.audits.views import bp as audits
    from audit_app.web.auth.views import bp as auth
    from audit_app.web.campaigns import export_views as _campaign_exports  # noqa: F401
    from audit_app.web.campaigns import member_views as _campaign_members  # noqa: F401
    from audit_app.web.campaigns import reminder_views as _campaign_reminders  # noqa: F401
    from audit_app.web.campaigns.views import bp as campaigns
    from audit_app.web.deletion.views import bp as deletion
    from audit_app.web.evidence.views import bp as evidence
    from audit_app.web.evidence_files.views import bp as evidence_files
    from audit_app.web.health.views import bp as health
    from audit_app.web.mail.views import bp as mail
    from audit_app.web.main.views import bp as main
    from audit_app.web.organisations.views import bp as organisations
    from audit_app.web.password.views import bp as password
    from audit_app.web.questionnaire_admin.views import bp as questionnaire_admin
    from audit_app.web.register.views import bp as register
    from audit_app.web.reports.views import bp as reports
    from audit_app.web.respond import files as _respond_files  # noqa: F401  (routes on respond)
    from audit_app.web.respond.views import bp as respond
    from audit_app.web.respondents import revoke_views as _revoke  # noqa: F401  (routes on respondents)
    from audit_app.web.respondents.mail_views import bp as respondent_mail
    from audit_app.web.respondents.views import bp as respondents
    from audit_app.web.results.views import bp as results
    from audit_app.web.share.views import bp as share
    from audit_app.web.tokens.views import bp as tokens

    return [
        auth,
        password,
        mail,
        health,
        main,
        admin,
        questionnaire_admin,
        organisations,
        audits,
        deletion,
        audit_files,
        results,
        campaigns,
        reports,
        share,
        register,
        api,
        tokens,
        respondents,
        respondent_mail,
        respond,
        evidence,
        evidence_files,
    ]
