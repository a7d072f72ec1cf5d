"""The engine: the networkx reachability graph of an account and the walks over it."""
