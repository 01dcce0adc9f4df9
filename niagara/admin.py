from django.contrib import admin

admin.site.site_header = "Niagara production management"
admin.site.site_title = "Niagara admin"
admin.site.index_title = "Customers, work and the floor"
# "View site" leads to the admin's home: the admin is where the floor runs.
admin.site.site_url = "/admin/"
