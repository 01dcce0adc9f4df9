from django.contrib import admin

admin.site.site_header = "Niagara production management"
admin.site.site_title = "Niagara admin"
admin.site.index_title = "Customers, work and the floor"
