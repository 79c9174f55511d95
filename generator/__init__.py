"""Paper Catalogue: listing dumps in, a curated MkDocs site out.

The core (:func:`generator.pipeline.build_catalogue`) knows nothing of MkDocs; the
MkDocs glue lives in :mod:`generator.mkdocs_site.plugin` alone, so the engine can move to
another static site generator without a rewrite.
"""
