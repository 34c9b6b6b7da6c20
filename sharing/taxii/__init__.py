"""TAXII 2.1 for dtix: the hub's server (a read collection and an inbox per lab) and the
collector that pulls from a lab's own TAXII server. docs/taxii.md is the outsiders' text."""
