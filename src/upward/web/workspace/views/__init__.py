"""Workspace views: thin; read the request, call the library or the store, render."""
