"""Drop-ins for the tools people already use: an mmpose 0.x smoother filter
(:mod:`synsp.integrations.mmpose`), a pandas DataFrame helper
(:mod:`synsp.integrations.pandas`) and the live ``synsp stream`` loop
(:mod:`synsp.integrations.stream`). Each imports its tool lazily: ``import synsp`` needs none.
"""
