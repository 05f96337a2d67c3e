"""Generated histories for the demo's dashboards, the learned dispatch suggestions and the benchmarks:
a year of cases (``cases``), the hall's queue (``hall``), their ratings (``evaluation``), 12345 tickets
and calls (``hotline``). Each writes its context's tables in bulk, past the services and signals, which
only the demo may do (the import contracts in pyproject.toml); whoever calls them recounts the
aggregates the generator does not recount itself."""
