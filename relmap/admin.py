from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.validators import MaxLengthValidator


class AdminLoginForm(AdminAuthenticationForm):
    """Django's admin login, which also refuses a username longer than any account's.

    Django sets the username field's max_length only after the field is built, so nothing
    checks it: an overlong name went on to django-axes, whose record of failed logins holds
    255 characters, and PostgreSQL refused it with a 500. No account can have such a name,
    so nothing that could succeed goes uncounted."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].validators.append(
            MaxLengthValidator(self.username_field.max_length)
        )


class SiteAdmin(admin.AdminSite):
    login_form = AdminLoginForm
