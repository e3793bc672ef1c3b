"""Message catalogs: `mlu_doctor.locale.<lang>.MESSAGES` maps English templates to translations.

A catalog is imported only when its language is chosen, so English start-up pays nothing.
`extract.py` lists every translatable template in the package (tests and scripts/i18n_missing.py).
"""
