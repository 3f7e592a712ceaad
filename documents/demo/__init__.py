"""Demo data of the 2012 rollout: Sở GD&ĐT Hòa Bình, its district offices, people and documents.

Loaded by ``manage.py seed_demo`` (``documents.demo.seed.seed_demo``); the texts live in
``procedures`` and ``system``, the list of documents in ``catalogue``.
"""
