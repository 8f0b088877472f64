"""kj-budget: plan and budget the introduction of kjernejournal in a municipality's
nursing homes and home-care services (Norsk helsenett's note of June 2020)."""

__version__ = "0.1.0"
