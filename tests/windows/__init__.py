"""Tests that run only on Windows (marker ``windows``; skipped elsewhere): see README.md."""
