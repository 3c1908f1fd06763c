"""One test module per feature file, so node ids carry the feature's name (``pytest -k protocol``).

tests/test_feature_modules.py holds every feature file to exactly one module here.
"""
