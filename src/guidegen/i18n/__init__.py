"""Translation: guideline text <-> gettext catalogs (extract, merge, localize)."""
