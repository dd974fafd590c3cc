"""guidegen: national clinical guideline drafts from structured YAML and gettext catalogs."""

__version__ = "0.1.0"
