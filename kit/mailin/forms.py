"""Forms of mail in: discarding held mail, and the admin's mail set-up."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional

SECURITY = [
    ("ssl", "SSL/TLS from the start (port 993)"),
    ("starttls", "STARTTLS (port 143)"),
    ("none", "None: only for a server on this same machine"),
]


class DiscardForm(FlaskForm):
    confirm = BooleanField(
        "Yes, discard this mail",
        validators=[InputRequired("Tick the box to say you mean to discard it.")],
        description="It stays in the desk's mailbox; it only leaves this list. Nothing is sent.",
    )


def _secret(label: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[Optional(), Length(max=500)],
        description="Leave empty to keep the one saved.",
    )


class MailSetupForm(FlaskForm):
    """Mail in (IMAP) and mail out (SMTP), and the Microsoft 365 app sign-in."""

    imap_host = StringField(
        "Mail server for mail in (IMAP)",
        validators=[Optional(), Length(max=200)],
        description="For example outlook.office365.com or imap.gmail.com. Empty: no mail in.",
    )
    imap_port = IntegerField(
        "IMAP port", validators=[Optional(), NumberRange(min=1, max=65535)], default=993
    )
    imap_security = SelectField("IMAP security", choices=SECURITY, default="ssl")
    imap_username = StringField("Mailbox user name", validators=[Optional(), Length(max=200)])
    imap_password = _secret("Mailbox password (or app password)")
    imap_folder = StringField(
        "Folder to read", validators=[Optional(), Length(max=200)], default="INBOX"
    )
    imap_done_folder = StringField(
        "Move read mail to this folder",
        validators=[Optional(), Length(max=200)],
        description="Empty: read mail stays where it is, marked as read. Mail is never deleted.",
    )
    imap_poll_seconds = IntegerField(
        "Check for new mail every (seconds)",
        validators=[Optional(), NumberRange(min=10, max=86400)],
        default=60,
    )
    smtp_host = StringField(
        "Mail server for mail out (SMTP)",
        validators=[Optional(), Length(max=200)],
        description="For example smtp.office365.com or smtp.gmail.com. Empty: mail waits in "
        "the outbox.",
    )
    smtp_port = IntegerField(
        "SMTP port", validators=[Optional(), NumberRange(min=1, max=65535)], default=587
    )
    smtp_starttls = BooleanField("Use STARTTLS", default=True)
    smtp_username = StringField("SMTP user name", validators=[Optional(), Length(max=200)])
    smtp_password = _secret("SMTP password (or app password)")
    mail_from = StringField(
        "Send as",
        validators=[Optional(), Email("That is not an email address."), Length(max=200)],
        description="The desk's address; replies to it come back as mail in.",
    )
    mail_oauth_tenant = StringField(
        "Microsoft 365 tenant (directory) ID",
        validators=[Optional(), Length(max=200)],
        description="Only for Microsoft 365: with these three, the kit signs in as an app "
        "(OAuth), not with a password.",
    )
    mail_oauth_client_id = StringField(
        "Application (client) ID", validators=[Optional(), Length(max=200)]
    )
    mail_oauth_client_secret = _secret("Client secret")
    clear_secrets = BooleanField("Forget the saved passwords and client secret")
