"""The public explorer as a static site: ``upward export site DIR``.

:mod:`.links` turns a rendered page's absolute addresses into relative ones (and takes
out what needs the server); :mod:`.export` renders every page through the explorer's own
views, writes the site into a folder beside ``DIR`` and swaps it in; :mod:`.manifest`
keeps the content hashes that ``--only-changed`` compares.
"""

from upward.web.static_site.export import ExportRefused, SiteExport, export_site

__all__ = ["ExportRefused", "SiteExport", "export_site"]
