"""Views of the reachability graph: the part around one function, as DOT, GraphML or node-link
JSON."""
