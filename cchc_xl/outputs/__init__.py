"""What the office reads and prints: the report book, Word documents, the dashboard."""
