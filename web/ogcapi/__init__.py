"""OGC API – Features (Part 1 Core, Part 2 CRS by reference) over the product's own selectors.

Collections per event: ``{slug}-features``, ``{slug}-reports``, ``{slug}-sensors`` and
``{slug}-overlay``, with the same consent and coarsening rules as ``/api/v1/``: the
selectors decide what a reader sees, the views here only parse, call and shape.
"""
