"""Answer: quote the sentences that answer the question, cite their clauses, or say not found."""
