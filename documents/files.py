"""Uploaded files: type and size checks, hashing, text extraction (placeholder until issue work)."""
