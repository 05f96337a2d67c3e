"""Yiwang (一网): an integrated government service platform."""
