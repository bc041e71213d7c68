app_name = "aftersales"

urlpatterns = []
