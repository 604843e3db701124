from django.contrib import admin

from heard.orgs.models import Invitation, Organization, Person, RosterImport, Team


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin[Organization]):
    list_display = ("name", "slug", "min_group_size", "created_at")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ("name", "organization", "parent", "manager")
    list_filter = ("organization",)
    raw_id_fields = ("parent", "manager")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    list_display = ("name", "email", "organization", "team", "role", "is_active")
    list_filter = ("organization", "role", "is_active", "customer_facing")
    search_fields = ("name", "email")
    raw_id_fields = ("user", "team", "manager")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = ("person", "organization", "created_at", "sent_at", "accepted_at", "revoked_at")
    raw_id_fields = ("person", "invited_by")


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin[RosterImport]):
    list_display = ("filename", "organization", "status", "row_count", "created_at")
    exclude = ("rows",)
