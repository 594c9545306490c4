"""The master workbook: read, built, held as one unit of work, checked and repaired."""
