"""The stages of the Resolver simulation, one module each (combined in ``dns.simulate``)."""
