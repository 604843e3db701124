from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from heard.accounts.forms import AcceptInvitationForm
from heard.orgs.services.invitations import invitation_accept, invitation_from_token


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_from_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    if request.user.is_authenticated:
        messages.info(request, "You are signed in already; sign out to accept another invitation.")
        return redirect("core:home")
    form = AcceptInvitationForm(
        request.POST or None,
        email=invitation.person.email,
        initial={"name": invitation.person.name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                invitation=invitation,
                name=form.cleaned_data["name"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome to Heard, {user.get_short_name()}.")
            return redirect("core:home")
    return render(
        request, "accounts/accept_invitation.html", {"form": form, "invitation": invitation}
    )
