"""Strategy pages, one module per section; each exports ``SECTION_LINKS`` (its card on the
overview) and ``workspace_urls`` (mounted under /w/<slug>/plan/)."""
