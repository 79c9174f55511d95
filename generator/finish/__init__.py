"""Steps over finished pages and over a finished site folder, whichever tool built them.

They read and write HTML only, never a site generator's objects: the MkDocs plugin
applies them page by page as it writes (:mod:`generator.mkdocs_site.plugin`), and
``python -m generator.finish SITE_DIR`` applies them to a folder another tool built
(:mod:`generator.finish.site`)."""
