"""Learning networks: a network of coalitions in tracks, supported by technical-assistance
staff who see only what each coalition shares (issue 15)."""
