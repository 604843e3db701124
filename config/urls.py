from django.contrib import admin
from django.urls import include, path

from heard.accounts.urls import invitation_urlpatterns
from heard.customers import api as customers_api

admin.site.site_header = "Heard operations"

urlpatterns = [
    path("", include("heard.core.urls")),
    path("account/", include("heard.accounts.urls")),
    path("", include((invitation_urlpatterns, "invitations"))),
    path("", include("heard.orgs.urls")),
    path("", include("heard.surveys.urls")),
    path("", include("heard.customers.urls")),
    path("", include("heard.customers.import_urls")),
    path("api/v1/customer-items/", customers_api.customer_items, name="api_customer_items"),
    path("django-admin/", admin.site.urls),
]
