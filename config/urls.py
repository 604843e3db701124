from django.contrib import admin
from django.urls import include, path

from heard.accounts.urls import invitation_urlpatterns

admin.site.site_header = "Heard operations"

urlpatterns = [
    path("", include("heard.core.urls")),
    path("account/", include("heard.accounts.urls")),
    path("", include((invitation_urlpatterns, "invitations"))),
    path("", include("heard.orgs.urls")),
    path("", include("heard.surveys.urls")),
    path("", include("heard.customers.urls")),
    path("", include("heard.customers.import_urls")),
    path("django-admin/", admin.site.urls),
]
