from django.urls import path

from heard.orgs import views

app_name = "orgs"

urlpatterns = [
    path("people/", views.people_list, name="people_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/invite-all/", views.invite_all, name="invite_all"),
    path("people/<int:person_id>/", views.person_detail, name="person_detail"),
    path("people/<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:person_id>/active/", views.person_set_active, name="person_set_active"),
    path("people/<int:person_id>/invite/", views.person_invite, name="person_invite"),
    path("teams/", views.team_list, name="team_list"),
    path("settings/privacy/", views.privacy_settings, name="privacy_settings"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<int:team_id>/edit/", views.team_edit, name="team_edit"),
    path("people/import/", views.roster_upload, name="roster_upload"),
    path("people/import/<int:import_id>/", views.roster_import, name="roster_import"),
    path(
        "people/import/<int:import_id>/apply/",
        views.roster_import_apply,
        name="roster_import_apply",
    ),
]
