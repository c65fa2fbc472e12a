"""Forms for logging in and changing a password."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    username = StringField("User name", validators=[DataRequired(), Length(max=80)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])


class PasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired(), Length(max=200)])
    new = PasswordField(
        "New password",
        validators=[
            DataRequired(),
            Length(min=10, max=200, message="Use at least 10 characters."),
        ],
    )
    confirm = PasswordField(
        "New password again",
        validators=[DataRequired(), EqualTo("new", message="The two passwords differ.")],
    )


class ActionForm(FlaskForm):
    """An empty form: gives a POST button its CSRF token (log out, assign, close...)."""
