"""The demo: seed stories that fill an empty desk with believable data (``manage.py seed_demo``).

It sits on top of every app and plays its stories through their services; no app imports it.
"""
